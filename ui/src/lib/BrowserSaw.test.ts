import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import Overlay from "../Overlay.svelte";
import Flow from "../screens/Flow.svelte";
import { fakeApi, firstLoginFlow, lastSeen, settings, site } from "./fakeApi";
import { translator } from "./i18n";

const offer = { text: "不正なリクエストです。<b>x</b>", causes: ["maintenance"] };
// The extension has connected lately: steps it can tick say so.
const home = { site: site("example.cybozu.com"), companion_in_use: true };

describe("What the browser saw, in the main window", () => {
  it("offers the message on Home, as text, and opens the assistant with it", async () => {
    const api = fakeApi(home, { companionSeen: async () => lastSeen({ page: "error", offer }) });
    render(App, { props: { api } });
    const text = await screen.findByTestId("seen-offer-text");
    expect(text.textContent).toBe("Tobira saw: “不正なリクエストです。<b>x</b>”");
    expect(text.querySelector("b")).toBeNull();
    expect(screen.getByTestId("seen-offer-ask").textContent).toBe("Find out why");
    await fireEvent.click(screen.getByTestId("seen-offer-ask"));
    const field = (await screen.findByTestId("assistant-query")) as HTMLTextAreaElement;
    expect(field.value).toBe(offer.text);
    await waitFor(() => expect(api.troubleshoot).toHaveBeenCalledWith(offer.text, []));
  });

  it("speaks Japanese", async () => {
    const api = fakeApi({ ...home, language: "ja" }, { companionSeen: async () => lastSeen({ page: "error", offer }) });
    render(App, { props: { api } });
    expect((await screen.findByTestId("seen-offer-text")).textContent).toBe(`Tobira が見つけたメッセージ:「${offer.text}」`);
    expect(screen.getByTestId("seen-offer-ask").textContent).toBe("原因を調べる");
  });

  it("× asks Rust to forget it, and it goes", async () => {
    const api = fakeApi(home, { companionSeen: async () => lastSeen({ page: "error", offer }) });
    render(App, { props: { api } });
    await screen.findByTestId("seen-offer");
    await fireEvent.click(screen.getByTestId("seen-dismiss"));
    expect(api.forgetSeen).toHaveBeenCalledOnce();
    expect(screen.queryByTestId("seen-offer")).toBeNull();
  });

  it("follows the browser: refetched when the companion saw another page", async () => {
    const api = fakeApi(home);
    render(App, { props: { api } });
    await screen.findByTestId("home-screen");
    await waitFor(() => expect(api.companionSeen).toHaveBeenCalled());
    expect(screen.queryByTestId("seen-offer")).toBeNull();
    api.companionSeen.mockResolvedValue(lastSeen({ page: "error", offer }));
    api.emit("companion-seen");
    expect(await screen.findByTestId("seen-offer")).toBeTruthy();
    api.companionSeen.mockResolvedValue(null);
    api.emit("companion-seen");
    await waitFor(() => expect(screen.queryByTestId("seen-offer")).toBeNull());
  });

  it("shows nothing, and asks nothing, when the organisation turns the companion off", async () => {
    const off = settings({ companion: { value: false, source: "locked" } });
    const api = fakeApi({ ...home, settings: off }, { companionSeen: async () => lastSeen({ page: "error", offer }) });
    render(App, { props: { api } });
    await screen.findByTestId("home-screen");
    expect(api.companionSeen).not.toHaveBeenCalled();
    expect(screen.queryByTestId("browser-saw")).toBeNull();
  });

  it("on the flow screen, lists the steps the page ticked, each with Undo", async () => {
    const ticked = { ...firstLoginFlow({ done: ["address", "sign-in"], current: "sign-in" }) };
    ticked.steps = ticked.steps.map((s) => ({ ...s, watched: true, seen: "portal" as const }));
    ticked.steps.push({ ...ticked.steps[0], id: "bookmark", title: "Bookmark it", done: false, settled: false, watched: false, seen: null });
    ticked.current = "bookmark";
    ticked.total = 3;
    const completed = ["address", "sign-in"].map((step) => ({ flow: "first-login", step, title: step, page: "portal" as const }));
    const api = fakeApi(home, { flow: async () => ticked, companionSeen: async () => lastSeen({ completed }) });
    const onask = vi.fn();
    render(Flow, { props: { api, t: translator("en"), id: "first-login", language: "en", companion: true, onback: vi.fn(), oncause: vi.fn(), onflow: vi.fn(), onask } });
    expect((await screen.findByTestId("seen-steps")).textContent).toBe("Tobira saw you reach the portal");
    expect(screen.getByTestId("seen-step-sign-in").textContent).toContain("Sign in");
    await fireEvent.click(screen.getByTestId("seen-undo-sign-in"));
    expect(api.changeProgress).toHaveBeenCalledWith("first-login", { action: "done", step: "sign-in", done: false });
  });
});

describe("What the browser saw, in the side panel", () => {
  it("shows the ticked steps and the offer; Find out why brings up the main window's assistant", async () => {
    const flow = firstLoginFlow({ done: ["address"], current: "sign-in" });
    flow.steps = flow.steps.map((s) => ({ ...s, watched: true, seen: s.id === "address" ? "login" : null }));
    const completed = [{ flow: "first-login", step: "address", title: "Find the address", page: "login" as const }];
    const api = fakeApi(home, {
      overlayState: async () => ({ open: true, flow: "first-login" }),
      flow: async () => flow,
      companionSeen: async () => lastSeen({ page: "login", completed, offer }),
    });
    render(Overlay, { props: { api } });
    expect((await screen.findByTestId("seen-steps")).textContent).toBe("Tobira saw your browser open the login page");
    expect(screen.getByTestId("step-watched")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("seen-offer-ask"));
    expect(api.askAssistant).toHaveBeenCalledWith(offer.text);
    await fireEvent.click(screen.getByTestId("seen-undo-address"));
    expect(api.changeProgress).toHaveBeenCalledWith("first-login", { action: "done", step: "address", done: false });
    await fireEvent.click(screen.getByTestId("seen-dismiss"));
    expect(api.forgetSeen).toHaveBeenCalledOnce();
    expect(screen.queryByTestId("browser-saw")).toBeNull();
  });

  it("shows none of it when the organisation turns the companion off", async () => {
    const flow = firstLoginFlow({ done: ["address"], current: "address" });
    flow.steps = flow.steps.map((s) => ({ ...s, watched: true, seen: s.id === "address" ? "login" : null }));
    const off = settings({ companion: { value: false, source: "locked" } });
    const api = fakeApi({ ...home, settings: off }, {
      overlayState: async () => ({ open: true, flow: "first-login" }),
      flow: async () => flow,
      companionSeen: async () => lastSeen({ page: "error", offer }),
    });
    render(Overlay, { props: { api } });
    await screen.findByTestId("overlay-step-title");
    expect(screen.queryByTestId("browser-saw")).toBeNull();
    expect(screen.queryByTestId("step-seen")).toBeNull();
    expect(api.companionSeen).not.toHaveBeenCalled();
  });
});
