import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { fakeApi, site } from "./lib/fakeApi";

describe("App", () => {
  it("opens on Setup when no site is saved, then tells Rust it is ready", async () => {
    const api = fakeApi();
    render(App, { props: { api } });
    await screen.findByTestId("setup-screen");
    await waitFor(() => expect(api.ready).toHaveBeenCalledOnce());
  });

  it("opens on Home when a site is saved, in the OS language", async () => {
    render(App, { props: { api: fakeApi({ site: site("example.cybozu.com"), language: "ja" }) } });
    await screen.findByTestId("home-screen");
    expect(screen.getByText("ポータルを開く")).toBeTruthy();
    expect(document.documentElement.lang).toBe("ja");
  });

  it("goes from Setup to Home after saving, and back to change the address", async () => {
    render(App, { props: { api: fakeApi() } });
    const input = (await screen.findByTestId("site-input")) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "example" } });
    await screen.findByTestId("site-preview");
    await fireEvent.click(screen.getByTestId("save-site"));
    await screen.findByTestId("home-screen");
    await fireEvent.click(screen.getByTestId("change-site"));
    const again = (await screen.findByTestId("site-input")) as HTMLInputElement;
    expect(again.value).toBe("example.cybozu.com");
    await fireEvent.click(screen.getByText("Cancel"));
    await screen.findByTestId("home-screen");
  });

  it("reports a damaged settings file that was moved aside", async () => {
    const notice = {
      kind: "settings-recovered" as const,
      moved_to: "/home/u/.config/tobira/settings.corrupt-20261124T101500Z.toml",
      problem: "line 2, column 1: invalid array",
      restored_backup: true,
    };
    render(App, { props: { api: fakeApi({ notice, site: site("example.cybozu.com") }) } });
    const shown = await screen.findByTestId("startup-notice");
    expect(shown.textContent).toContain("settings.corrupt-20261124T101500Z.toml");
    expect(shown.textContent).toContain("the previous version was restored");
    await fireEvent.click(screen.getByText("Dismiss"));
    expect(screen.queryByTestId("startup-notice")).toBeNull();
  });
});
