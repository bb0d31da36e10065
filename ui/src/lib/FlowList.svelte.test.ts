import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, firstLoginFlow, flowList, guestFlow } from "./fakeApi";
import FlowList from "./FlowList.svelte";
import { translator } from "./i18n";

function setup(api = fakeApi(), language: "en" | "ja" = "en") {
  const onopen = vi.fn();
  const onview = vi.fn();
  render(FlowList, { props: { api, t: translator(language), role: null, onview, onopen } });
  return { api, onopen, onview };
}

describe("FlowList", () => {
  it("lists the walkthroughs with their progress", async () => {
    const { onopen } = setup();
    const flow = await screen.findByTestId("flow-guest-space-join");
    expect(flow.textContent).toContain("Join a guest space");
    expect(screen.getByTestId("flow-progress-guest-space-join").textContent?.trim()).toBe("0 of 3 steps done");
    await fireEvent.click(flow);
    expect(onopen).toHaveBeenCalledWith("guest-space-join");
    // A guide in the other language is marked so screen readers switch voice.
    expect(within(screen.getByTestId("flow-first-login")).getByText("Log in for the first time").getAttribute("lang")).toBe("ja");
  });

  it("puts a guest's walkthrough first once they say they are a guest", async () => {
    const { api, onview } = setup();
    await screen.findByTestId("flow-first-login");
    api.flows.mockResolvedValue(flowList([guestFlow(), firstLoginFlow()], ["guest-space-join"]));
    await fireEvent.click(screen.getByTestId("role-guest"));
    expect(api.changeSetting).toHaveBeenCalledWith({ key: "role", value: "guest" });
    expect(onview).toHaveBeenCalled();
    await vi.waitFor(() => expect(screen.getByTestId("flow-guest-space-join").textContent).toContain("For you"));
    const order = screen.getAllByRole("button", { name: /guest space|first time/ }).map((b) => b.dataset.testid);
    expect(order[0]).toBe("flow-guest-space-join");
  });

  it("refreshes when progress changes elsewhere (the side panel)", async () => {
    const { api } = setup();
    await screen.findByTestId("flow-guest-space-join");
    api.flows.mockResolvedValue(flowList([guestFlow({ done: ["invitation"] }), firstLoginFlow()]));
    api.emit("progress-changed");
    await vi.waitFor(() =>
      expect(screen.getByTestId("flow-progress-guest-space-join").textContent?.trim()).toBe("1 of 3 steps done"),
    );
  });

  it("rings the role that has keyboard focus, also after arrow keys, and not after a click", async () => {
    setup();
    const employee = screen.getByTestId("role-employee");
    const guest = screen.getByTestId("role-guest");
    const ringed = async () => {
      await tick();
      return Array.from(document.querySelectorAll(".roles label.focused"));
    };
    // Tab into the group.
    await fireEvent.keyDown(document.body, { key: "Tab" });
    employee.focus();
    expect(await ringed()).toEqual([employee.closest("label")]);
    // An arrow key moves the focus (and the choice) to the next role.
    await fireEvent.keyDown(employee, { key: "ArrowRight" });
    guest.focus();
    await fireEvent.click(guest);
    expect(await ringed()).toEqual([guest.closest("label")]);
    // A click is not keyboard use: no ring.
    await fireEvent.pointerDown(employee.closest("label") as Element);
    employee.focus();
    expect(await ringed()).toEqual([]);
    employee.blur();
    expect(await ringed()).toEqual([]);
  });

  it("says when guide files could not be read", async () => {
    const api = fakeApi({}, { flows: vi.fn(async () => ({ flows: [], problems: ["/etc/g/en/a.md:1:1: bad"] })) });
    setup(api, "ja");
    expect((await screen.findByTestId("guide-problems")).textContent).toContain("1 件のガイドファイル");
    expect(screen.getByText("/etc/g/en/a.md:1:1: bad")).toBeTruthy();
  });
});
