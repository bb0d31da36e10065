import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, firstLoginFlow, guestFlow, rejection, step } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Flow from "./Flow.svelte";

function setup(api = fakeApi(), id = "guest-space-join") {
  const props = { api, t: translator("en"), id, language: "en" as const, onback: vi.fn(), oncause: vi.fn(), onflow: vi.fn() };
  render(Flow, { props });
  return props;
}

describe("Flow", () => {
  it("expands the current step and moves on when it is done", async () => {
    const api = fakeApi();
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link", done: ["invitation"] }));
    setup(api);
    expect((await screen.findByTestId("flow-title")).textContent).toBe("Join a guest space");
    expect(screen.getByTestId("step-body-invitation")).toBeTruthy();
    expect(screen.getByTestId("step-expect").textContent).toContain("An invitation email.");
    expect(screen.queryByTestId("step-body-open-link")).toBeNull();
    await fireEvent.click(screen.getByTestId("step-done"));
    expect(api.changeProgress).toHaveBeenCalledWith("guest-space-join", { action: "done", step: "invitation", done: true });
    expect(await screen.findByTestId("step-body-open-link")).toBeTruthy();
    expect(screen.getByTestId("flow-progress").textContent).toBe("1 of 3 steps done");
  });

  it("shows alternatives as one choice, and the way not taken as not needed", async () => {
    const api = fakeApi();
    api.flow.mockResolvedValue({
      ...guestFlow(),
      steps: [
        step("existing-account", "Join with your account", { choice: "join", settled: true }),
        step("register", "Register and join", { choice: "join", settled: true, done: true }),
        step("verification-code", "Enter the code"),
      ],
      current: "verification-code",
      total: 2,
      done: 1,
    });
    setup(api);
    expect((await screen.findByTestId("choice-join")).textContent).toBe("Choose one of these ways:");
    expect(screen.getByTestId("step-existing-account").textContent).toContain("not needed: you took the other way");
    expect(screen.getByTestId("step-register").textContent).toContain("or");
    expect(screen.getByTestId("flow-progress").textContent).toBe("1 of 2 steps done");
  });

  it("opens a step's page through Rust and names the host", async () => {
    const api = fakeApi();
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link" }));
    setup(api);
    await screen.findByTestId("flow-title");
    await fireEvent.click(screen.getByText("Click the address"));
    expect(api.changeProgress).toHaveBeenCalledWith("guest-space-join", { action: "current", step: "open-link" });
    const body = await screen.findByTestId("step-body-open-link");
    expect(body.textContent).toContain("example.cybozu.com");
    await fireEvent.click(screen.getByTestId("step-open"));
    expect(api.openUrl).toHaveBeenCalledWith("https://example.cybozu.com/");
  });

  it("sends the user to the step's causes when stuck", async () => {
    const api = fakeApi();
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link" }));
    const { oncause } = setup(api);
    await screen.findByTestId("flow-title");
    await fireEvent.click(screen.getByText("Click the address"));
    await fireEvent.click(await screen.findByTestId("step-stuck"));
    expect(oncause).toHaveBeenCalledWith("wrong-url", [
      { id: "wrong-url", title: "The address is wrong" },
      { id: "caps-lock", title: null },
    ]);
  });

  it("follows in-app links in the guide text", async () => {
    const { oncause } = setup();
    await screen.findByTestId("flow-title");
    await fireEvent.click(screen.getByText("special"));
    expect(oncause).toHaveBeenCalledWith("guest-verification-code", []);
  });

  it("opens and closes the side panel", async () => {
    const api = fakeApi();
    api.showOverlay.mockImplementation(async (id) => void api.overlayState.mockResolvedValue({ open: true, flow: id }));
    setup(api);
    const toggle = await screen.findByTestId("overlay-toggle");
    expect(toggle.textContent?.trim()).toBe("Show beside the browser");
    await fireEvent.click(toggle);
    expect(api.showOverlay).toHaveBeenCalledWith("guest-space-join");
    await vi.waitFor(() => expect(toggle.getAttribute("aria-pressed")).toBe("true"));
    await fireEvent.click(toggle);
    expect(api.hideOverlay).toHaveBeenCalled();
  });

  it("moves the panel to this flow when it shows another one", async () => {
    const api = fakeApi({}, { overlayState: async () => ({ open: true, flow: "first-login" }) });
    setup(api);
    const toggle = await screen.findByTestId("overlay-toggle");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    await fireEvent.click(toggle);
    expect(api.showOverlay).toHaveBeenLastCalledWith("guest-space-join");
    expect(api.hideOverlay).not.toHaveBeenCalled();
  });

  it("starts over and notes a guide in the other language", async () => {
    const api = fakeApi();
    api.changeProgress
      .mockResolvedValueOnce(firstLoginFlow({ current: "sign-in", done: ["address"] }))
      .mockResolvedValueOnce(firstLoginFlow());
    setup(api, "first-login");
    expect(await screen.findByTestId("flow-language-note")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("step-done"));
    await fireEvent.click(await screen.findByTestId("flow-reset"));
    expect(api.changeProgress).toHaveBeenLastCalledWith("first-login", { action: "reset" });
    await vi.waitFor(() => expect(screen.getByTestId("flow-progress").textContent).toBe("0 of 2 steps done"));
  });

  it("explains a guide that is gone", async () => {
    setup(fakeApi({}, { flow: vi.fn(async () => Promise.reject(rejection("unknown-guide", "x"))) }), "x");
    expect((await screen.findByTestId("flow-error")).textContent).toContain("no longer available");
  });
});
