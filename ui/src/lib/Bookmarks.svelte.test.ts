import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { AppView } from "../api";
import Bookmarks from "./Bookmarks.svelte";
import { bookmarksOf, fakeApi, rejection, site } from "./fakeApi";
import { translator } from "./i18n";

const current = site("example.cybozu.com");

/** Renders the list the way Home does: each answer from Rust replaces it. */
function renderList(api = fakeApi({ site: current }), org: { name: string; url: string }[] = []) {
  const props = $state({
    api,
    t: translator("en"),
    bookmarks: bookmarksOf(current, org, []),
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
    renderList(undefined, [{ name: "Expenses", url: "/k/45/" }]);
    expect(names()).toEqual(["Help centre", "Expenses"]);
    expect(screen.queryAllByTestId("delete-bookmark")).toHaveLength(0);
    expect(screen.getByText("Organisation")).toBeTruthy();
  });

  it("adds a pasted URL, deletes it and brings it back with Undo", async () => {
    const api = renderList();
    await fireEvent.input(screen.getByTestId("bookmark-input"), { target: { value: "/k/12/" } });
    await fireEvent.click(screen.getByTestId("add-bookmark"));
    expect(api.addBookmark).toHaveBeenCalledWith("/k/12/");
    expect(names()).toContain("Page /k/12/");
    await fireEvent.click(screen.getByTestId("delete-bookmark"));
    expect(names()).not.toContain("Page /k/12/");
    expect((await screen.findByTestId("undo-bar")).textContent).toContain("Deleted “Page /k/12/”.");
    await fireEvent.click(screen.getByTestId("undo"));
    expect(api.restoreBookmark).toHaveBeenCalledWith(0, { name: "Page /k/12/", path: "/k/12/" });
    expect(names()).toContain("Page /k/12/");
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
