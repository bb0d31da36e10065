import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { StepView } from "../api";
import { step } from "./fakeApi";
import { translator } from "./i18n";
import StepCard from "./StepCard.svelte";

function card(shown: StepView, companion = true, language: "en" | "ja" = "en", watching = true) {
  const props = {
    t: translator(language),
    step: shown,
    lang: "en" as const,
    last: false,
    onlink: vi.fn(),
    onopen: vi.fn(),
    ondone: vi.fn(),
    onstuck: vi.fn(),
    companion,
    watching,
  };
  render(StepCard, { props });
  return props;
}

describe("StepCard and the browser companion", () => {
  it("says which page ticked a step, and Undo marks it not done", async () => {
    const props = card(step("sign-in", "Sign in", { done: true, settled: true, watched: true, seen: "portal" }));
    expect(screen.getByTestId("step-seen").textContent).toContain("Tobira saw you reach the portal");
    // One way back, not two.
    expect(screen.queryByTestId("step-undone")).toBeNull();
    expect(screen.queryByTestId("step-watched")).toBeNull();
    await fireEvent.click(screen.getByTestId("step-seen-undo"));
    expect(props.ondone).toHaveBeenCalledWith(false);
  });

  it("names each kind of page, with a general sentence for the others", () => {
    card(step("a", "A", { done: true, watched: true, seen: "guest-space" }), true, "ja");
    expect(screen.getByTestId("step-seen").textContent).toContain("Tobira はゲストスペースが開いたのを確認しました");
    expect(screen.getByTestId("step-seen-undo").textContent).toBe("元に戻す");
  });

  it("falls back to the general sentence for a page no message names", () => {
    card(step("a", "A", { done: true, watched: true, seen: "error" }));
    expect(screen.getByTestId("step-seen").textContent).toContain("Tobira saw the page in your browser");
  });

  it("says quietly that a watched step ticks itself, until it is done", () => {
    card(step("address", "Find the address", { watched: true }));
    expect(screen.getByTestId("step-watched").textContent).toBe("Tobira ticks this when your browser shows the page.");
    expect(screen.getByTestId("step-done")).toBeTruthy();
  });

  it("after Undo the step is plainly not done, with no seen line", () => {
    card(step("sign-in", "Sign in", { watched: true, seen: null }));
    expect(screen.queryByTestId("step-seen")).toBeNull();
    expect(screen.getByTestId("step-done")).toBeTruthy();
  });

  it("shows none of it when the organisation turns the companion off", () => {
    card(step("sign-in", "Sign in", { done: true, watched: true, seen: "portal" }), false);
    expect(screen.queryByTestId("step-seen")).toBeNull();
    expect(screen.getByTestId("step-undone")).toBeTruthy();
  });

  it("promises nothing while the extension has not connected lately", () => {
    card(step("address", "Find the address", { watched: true }), true, "en", false);
    expect(screen.queryByTestId("step-watched")).toBeNull();
    expect(screen.getByTestId("step-done")).toBeTruthy();
  });

  it("shows no hint when the companion is off", () => {
    card(step("address", "Find the address", { watched: true }), false);
    expect(screen.queryByTestId("step-watched")).toBeNull();
  });

  it("a step done by hand keeps its own Not done button", () => {
    card(step("address", "Find the address", { done: true, watched: true }));
    expect(screen.queryByTestId("step-seen")).toBeNull();
    expect(screen.getByTestId("step-undone")).toBeTruthy();
  });
});
