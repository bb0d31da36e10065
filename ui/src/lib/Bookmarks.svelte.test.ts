import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { AppView, ResolvedBookmark } from "../api";
import Bookmarks from "./Bookmarks.svelte";
import { appView, builtinBookmarks, fakeApi, rejection, site } from "./fakeApi";
import { translator } from "./i18n";

const current = site("example.cybozu.com");

/** Renders the list the way Home does: each answer from Rust replaces it. */
const builtin = builtinBookmarks(current);
const app12: ResolvedBookmark = { id: "user-0", name: "App 12", url: "https://example.cybozu.com/k/12/", origin: "user", kind: "app", number: 12 };

function renderList(api = fakeApi({ site: current }), bookmarks = builtin) {
  const props = $state({
    api,
    t: translator("en"),
    bookmarks,
    onview: (view: AppView) => {
      props.bookmarks = view.bookmarks;
    },
  });
  render(Bookmarks, { props });
  return api;
}

function names(): string[] {
  return screen.getAllByTestId("bookmark").map((li) => li.querySelector(".name")?.textContent ?? "");
}

describe("Bookmarks", () => {
  it("lists the help centre and the organisation's bookmarks without delete buttons", () => {
    renderList(undefined, [
      ...builtin,
      { id: "org-0", name: "Expenses", url: "https://example.cybozu.com/k/45/", origin: "org", kind: "app", number: 45 },
    ]);
    expect(names()).toEqual(["Help centre", "Expenses"]);
    expect(screen.queryAllByTestId("delete-bookmark")).toHaveLength(0);
    expect(screen.getByText("Organisation")).toBeTruthy();
  });

  it("adds a pasted URL, deletes it and brings it back with Undo", async () => {
    const api = fakeApi({ site: current });
    const withApp12 = appView({ site: current, bookmarks: [...builtin, app12] });
    api.addBookmark.mockResolvedValue(withApp12);
    api.removeBookmark.mockResolvedValue({ index: 0, bookmark: { name: "App 12", path: "/k/12/" }, view: appView({ site: current, bookmarks: builtin }) });
    api.restoreBookmark.mockResolvedValue(withApp12);
    renderList(api);
    await fireEvent.input(screen.getByTestId("bookmark-input"), { target: { value: "/k/12/" } });
    await fireEvent.click(screen.getByTestId("add-bookmark"));
    expect(api.addBookmark).toHaveBeenCalledWith("/k/12/");
    expect(names()).toContain("App 12");
    await fireEvent.click(screen.getByTestId("delete-bookmark"));
    expect(names()).not.toContain("App 12");
    expect((await screen.findByTestId("undo-bar")).textContent).toContain("Deleted “App 12”.");
    await fireEvent.click(screen.getByTestId("undo"));
    expect(api.removeBookmark).toHaveBeenCalledWith(0);
    expect(api.restoreBookmark).toHaveBeenCalledWith(0, { name: "App 12", path: "/k/12/" });
    expect(names()).toContain("App 12");
    expect(screen.queryByTestId("undo-bar")).toBeNull();
  });

  it("explains a refused page in the user's words", async () => {
    const api = fakeApi({ site: current }, { addBookmark: vi.fn(async () => Promise.reject(rejection("bookmark-other-site", "evil.test"))) });
    renderList(api);
    await fireEvent.input(screen.getByTestId("bookmark-input"), { target: { value: "https://evil.test/" } });
    await fireEvent.click(screen.getByTestId("add-bookmark"));
    expect((await screen.findByTestId("bookmark-error")).textContent).toBe(
      "“evil.test” is not your kintone. Bookmarks can only be pages of your own site.",
    );
  });

  it("exports a bookmarks file and shows the portal's QR code", async () => {
    const api = renderList();
    await fireEvent.click(screen.getByTestId("export-html"));
    expect(api.exportBookmarks).toHaveBeenCalledWith("html");
    expect((await screen.findByTestId("export-result")).textContent).toContain("kintone-example.html");
    await fireEvent.click(screen.getByTestId("export-qr"));
    const img = (await screen.findByTestId("qr")) as HTMLImageElement;
    expect(img.src.startsWith("data:image/svg+xml;base64,")).toBe(true);
    expect(img.alt).toBe("QR code of https://example.cybozu.com/k/");
  });
});
