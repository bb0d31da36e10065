import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ApiError, DeepLink } from "./api";
import App from "./App.svelte";
import { appView, fakeApi, rejection, settings, site } from "./lib/fakeApi";

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
    const api = fakeApi();
    api.appState.mockResolvedValueOnce(appView()).mockResolvedValue(appView({ site: site("example.cybozu.com") }));
    render(App, { props: { api } });
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
    const api = fakeApi({ site: site("example.cybozu.com") });
    api.changeSetting.mockResolvedValue(
      appView({ site: site("example.cybozu.com"), language: "ja", settings: settings({ language: { value: "ja", source: "user" } }) }),
    );
    render(App, { props: { api } });
    await fireEvent.click(await screen.findByTestId("open-settings"));
    const select = (await screen.findByTestId("language-select")) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "ja" } });
    expect(api.changeSetting).toHaveBeenCalledWith({ key: "language", value: "ja" });
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
    const api = linking([{ route: "cause", id: "wrong-url" }], { site: null } as never);
    api.appState.mockResolvedValueOnce(appView()).mockResolvedValue(appView({ site: site("example.cybozu.com") }));
    render(App, { props: { api } });
    await screen.findByTestId("link-after-setup");
    const input = (await screen.findByTestId("site-input")) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "example" } });
    await screen.findByTestId("site-preview");
    await fireEvent.click(screen.getByTestId("save-site"));
    await screen.findByTestId("cause-screen");
  });
});

describe("App and the keyboard", () => {
  const home = () => render(App, { props: { api: fakeApi({ site: site("example.cybozu.com") }) } });
  /** What a keyboard user does: focus the control, press Enter (a click). */
  async function activate(testId: string) {
    const control = await screen.findByTestId(testId);
    control.focus();
    await fireEvent.click(control);
    return control;
  }
  const escape = (target: Element = document.activeElement ?? document.body, init: KeyboardEventInit = {}) =>
    fireEvent.keyDown(target, { key: "Escape", ...init });
  const heading = (testId: string) => screen.getByTestId(testId).querySelector("h1");

  it("puts the focus on the new screen's heading", async () => {
    home();
    await activate("open-settings");
    await screen.findByTestId("settings-screen");
    await waitFor(() => expect(document.activeElement).toBe(heading("settings-screen")));
    expect(document.activeElement?.getAttribute("tabindex")).toBe("-1");
  });

  it("waits for a heading that comes with the screen's data", async () => {
    home();
    await activate("flow-guest-space-join");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("flow-title")));
  });

  it("goes back to Home on Esc, to the control that was used", async () => {
    home();
    await activate("open-checks");
    await screen.findByTestId("assistant-screen");
    await waitFor(() => expect(document.activeElement).toBe(heading("assistant-screen")));
    await escape();
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("open-checks")));
  });

  it("comes back to a control that loads after the screen (the flow list)", async () => {
    home();
    await activate("flow-guest-space-join");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("flow-title")));
    await escape();
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("flow-guest-space-join")));
  });

  it("goes back one screen at a time: cause, then flow, then Home", async () => {
    home();
    await activate("flow-guest-space-join");
    await activate("step-stuck");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("cause-title")));
    await escape();
    await screen.findByTestId("flow-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("step-stuck")));
    await escape();
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("flow-guest-space-join")));
  });

  it("returns the focus the same way after the Back button or Cancel", async () => {
    home();
    await activate("open-settings");
    await activate("back");
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("open-settings")));
    await activate("change-site");
    // Setup puts the focus in its address field itself: it stays there.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("site-input")));
    screen.getByText("Cancel").focus();
    await fireEvent.click(screen.getByText("Cancel"));
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("change-site")));
  });

  it("lands on the heading when the control is gone", async () => {
    const api = fakeApi({ site: site("example.cybozu.com") });
    render(App, { props: { api } });
    await activate("flow-guest-space-join");
    await screen.findByTestId("flow-title");
    // The walkthrough is gone from the list (an administrator hid it).
    api.flows.mockResolvedValue({ flows: [], problems: [] });
    await escape();
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(document.activeElement).toBe(heading("home-screen")), { timeout: 2000 });
  });

  it("does nothing on Esc on Home and Setup", async () => {
    home();
    await screen.findByTestId("home-screen");
    await escape(document.body);
    expect(screen.getByTestId("home-screen")).toBeTruthy();
    await activate("change-site");
    const field = await screen.findByTestId("site-input");
    await escape(field);
    expect(screen.getByTestId("setup-screen")).toBeTruthy();
    expect(document.activeElement).toBe(field);
  });

  it("only leaves a field with typed text on Esc, keeping the text; a second Esc goes back", async () => {
    home();
    await activate("open-checks");
    const field = (await screen.findByTestId("assistant-query")) as HTMLTextAreaElement;
    field.focus();
    await fireEvent.input(field, { target: { value: "cannot log in" } });
    await escape(field);
    expect(screen.getByTestId("assistant-screen")).toBeTruthy();
    expect(field.value).toBe("cannot log in");
    expect(document.activeElement).not.toBe(field);
    await escape(document.body);
    await screen.findByTestId("home-screen");
  });

  it("goes back from an empty field: nothing typed, nothing lost", async () => {
    home();
    await activate("open-checks");
    const probe = await screen.findByTestId("assistant-probe");
    probe.focus();
    await escape(probe);
    await screen.findByTestId("home-screen");
  });

  it("leaves Esc to an input method and to a dialog", async () => {
    home();
    await activate("open-settings");
    const settingsHeading = await waitFor(() => {
      const h1 = heading("settings-screen");
      expect(document.activeElement).toBe(h1);
      return h1 as HTMLElement;
    });
    // Esc cancels a Japanese conversion first.
    await escape(settingsHeading, { isComposing: true });
    expect(screen.getByTestId("settings-screen")).toBeTruthy();
    const dialog = document.createElement("dialog");
    dialog.setAttribute("open", "");
    document.body.append(dialog);
    try {
      await escape(dialog);
      await escape(settingsHeading);
      expect(screen.getByTestId("settings-screen")).toBeTruthy();
    } finally {
      dialog.remove();
    }
    await escape(settingsHeading);
    await screen.findByTestId("home-screen");
  });
});
