import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, guestFlow, site } from "./lib/fakeApi";
import Overlay from "./Overlay.svelte";

async function openPanel() {
  const api = fakeApi({ site: site("example.cybozu.com") }, { overlayState: async () => ({ open: true, flow: "guest-space-join" }) });
  render(Overlay, { props: { api } });
  await screen.findByTestId("overlay-step-title");
  return api;
}

describe("Overlay", () => {
  it("shows only the current step, and moves with next and back", async () => {
    const api = await openPanel();
    expect(screen.getByTestId("overlay-step-title").textContent).toBe("Open the invitation");
    expect(screen.getByTestId("overlay-count").textContent).toContain("Step 1 of 3");
    expect((screen.getByTestId("overlay-back") as HTMLButtonElement).disabled).toBe(true);
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link" }));
    await fireEvent.click(screen.getByTestId("overlay-next"));
    expect(api.changeProgress).toHaveBeenCalledWith("guest-space-join", { action: "current", step: "open-link" });
    await vi.waitFor(() => expect(screen.getByTestId("overlay-step-title").textContent).toBe("Click the address"));
  });

  it("marks a step done and follows changes made in the main window", async () => {
    const api = await openPanel();
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link", done: ["invitation"] }));
    await fireEvent.click(screen.getByTestId("step-done"));
    expect(api.changeProgress).toHaveBeenCalledWith("guest-space-join", { action: "done", step: "invitation", done: true });
    await vi.waitFor(() => expect(screen.getByTestId("overlay-step-title").textContent).toBe("Click the address"));
    api.flow.mockResolvedValue(guestFlow({ current: "verification-code", done: ["invitation"] }));
    api.emit("progress-changed");
    await vi.waitFor(() => expect(screen.getByTestId("overlay-step-title").textContent).toBe("Enter the code"));
  });

  it("says when the guide is finished and offers the next one", async () => {
    const api = await openPanel();
    api.flow.mockResolvedValue(guestFlow({ current: "verification-code", done: ["invitation", "open-link", "verification-code"] }));
    api.emit("progress-changed");
    expect((await screen.findByTestId("overlay-finished")).textContent).toContain("This guide is finished");
    const next = await screen.findByTestId("overlay-next-guide");
    expect(next.textContent).toBe("Log in for the first time");
    await fireEvent.click(next);
    expect(api.showOverlay).toHaveBeenCalledWith("first-login");
  });

  it("shows the cause inside the panel when stuck, and closes itself", async () => {
    const api = await openPanel();
    api.changeProgress.mockResolvedValueOnce(guestFlow({ current: "open-link" }));
    await fireEvent.click(screen.getByTestId("overlay-next"));
    await vi.waitFor(() => expect(screen.getByTestId("overlay-step-title").textContent).toBe("Click the address"));
    await fireEvent.click(screen.getByTestId("step-stuck"));
    expect((await screen.findByTestId("cause-title")).textContent).toBe("The address is wrong");
    await fireEvent.click(screen.getByTestId("cause-back"));
    expect(await screen.findByTestId("overlay-step-title")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("overlay-close"));
    expect(api.hideOverlay).toHaveBeenCalled();
  });
});
