import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ApiError, DeepLink } from "./api";
import App from "./App.svelte";
import { fakeApi, rejection, settings, site } from "./lib/fakeApi";

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

  it("reaches every screen from Home and comes back", async () => {
    render(App, { props: { api: fakeApi({ site: site("example.cybozu.com") }) } });
    await fireEvent.click(await screen.findByTestId("open-checks"));
    await fireEvent.click(await screen.findByTestId("assistant-run-checks"));
    await fireEvent.click(await screen.findByTestId("checks-back"));
    await fireEvent.click(await screen.findByTestId("open-doctor"));
    await screen.findByTestId("checks-screen");
    await fireEvent.click(await screen.findByTestId("checks-back"));
    await fireEvent.click(await screen.findByTestId("flow-guest-space-join"));
    await fireEvent.click(await screen.findByTestId("flow-back"));
    await fireEvent.click(await screen.findByTestId("open-checks"));
    await fireEvent.click(await screen.findByTestId("assistant-back"));
    await screen.findByTestId("home-screen");
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
    render(App, { props: { api: fakeApi({ notices: [notice], site: site("example.cybozu.com") }) } });
    const shown = await screen.findByTestId("startup-notice");
    expect(shown.textContent).toContain("settings.corrupt-20261124T101500Z.toml");
    expect(shown.textContent).toContain("the previous version was restored");
    await fireEvent.click(screen.getByText("Dismiss"));
    expect(screen.queryByTestId("startup-notice")).toBeNull();
  });

  it("skips Setup when the organisation locks the site, and says so", async () => {
    const locked = site("corp.cybozu.com");
    const api = fakeApi({ site: locked, settings: settings({ site: { value: locked, source: "locked" } }) });
    render(App, { props: { api } });
    await screen.findByTestId("home-screen");
    expect(screen.queryByTestId("change-site")).toBeNull();
    expect(screen.getByTestId("site-managed").textContent).toBe("Your organisation set this address.");
    await fireEvent.click(screen.getByTestId("open-settings"));
    expect((await screen.findByTestId("site-locked")).textContent).toContain("Managed by your organisation");
    expect(screen.queryByTestId("settings-change-site")).toBeNull();
  });

  it("tells the user when the organisation's policy could not be read", async () => {
    const notice = { kind: "policy-unreadable" as const, path: "/etc/tobira/policy.toml", message: "/etc/tobira/policy.toml:3:1: unknown field `sitee`" };
    render(App, { props: { api: fakeApi({ notices: [notice] }) } });
    const shown = await screen.findByTestId("startup-notice");
    expect(shown.textContent).toContain("Your organisation's settings could not be read");
    expect(shown.textContent).toContain("policy.toml:3:1: unknown field `sitee`");
  });

  it("switches every string to Japanese when the language setting changes", async () => {
    render(App, { props: { api: fakeApi({ site: site("example.cybozu.com") }) } });
    await fireEvent.click(await screen.findByTestId("open-settings"));
    const select = (await screen.findByTestId("language-select")) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "ja" } });
    await screen.findByText("表示言語");
    expect(document.documentElement.lang).toBe("ja");
  });
});

describe("App and tobira:// links", () => {
  /** An api whose `takeLink` hands out `links` one by one, then null. */
  function linking(links: (DeepLink | ApiError)[], initial = { site: site("example.cybozu.com") }) {
    const queue = [...links];
    return fakeApi(initial, {
      takeLink: vi.fn(async () => {
        const next = queue.shift() ?? null;
        if (next && "code" in next) throw next;
        return next;
      }),
    });
  }

  it("opens the flow a link names", async () => {
    render(App, { props: { api: linking([{ route: "flow", id: "guest-space-join" }]) } });
    await screen.findByTestId("flow-title");
  });

  it("opens the assistant with the link's question", async () => {
    const api = linking([{ route: "troubleshoot", query: "不正なリクエスト" }]);
    render(App, { props: { api } });
    const field = (await screen.findByTestId("assistant-query")) as HTMLTextAreaElement;
    expect(field.value).toBe("不正なリクエスト");
    await waitFor(() => expect(api.troubleshoot).toHaveBeenCalledWith("不正なリクエスト", []));
  });

  it("says why a link was refused, in the user's language", async () => {
    render(App, { props: { api: linking([rejection("link-unknown-route")], { site: site("example.cybozu.com"), language: "ja" } as never) } });
    const problem = await screen.findByTestId("link-problem");
    expect(problem.textContent).toContain("何を開くものか分かりません");
  });

  it("asks before using a link's site, and saves it only when told", async () => {
    const api = linking([{ route: "site", site: site("other.cybozu.com") }]);
    render(App, { props: { api } });
    const offer = await screen.findByTestId("link-site-offer");
    expect(offer.textContent).toContain("instead of example.cybozu.com");
    await fireEvent.click(screen.getByTestId("link-site-keep"));
    expect(screen.queryByTestId("link-site-offer")).toBeNull();
    expect(api.saveSite).not.toHaveBeenCalled();
  });

  it("keeps a link that came before setup and follows it after", async () => {
    render(App, { props: { api: linking([{ route: "cause", id: "wrong-url" }], { site: null } as never) } });
    await screen.findByTestId("link-after-setup");
    const input = (await screen.findByTestId("site-input")) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "example" } });
    await screen.findByTestId("site-preview");
    await fireEvent.click(screen.getByTestId("save-site"));
    await screen.findByTestId("cause-screen");
  });
});
