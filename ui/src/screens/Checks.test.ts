import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Checks from "./Checks.svelte";

function setup(api = fakeApi()) {
  const props = { api, t: translator("en"), onback: vi.fn(), oncause: vi.fn() };
  render(Checks, { props });
  return props;
}

describe("Checks", () => {
  it("shows each check as it ends and the causes it points to", async () => {
    const { api, oncause } = setup();
    await fireEvent.click(screen.getByTestId("run-checks"));
    expect(api.runChecks).toHaveBeenCalled();
    const root = await screen.findByTestId("check-http-root");
    expect(root.dataset.status).toBe("fail");
    expect(root.textContent).toContain("Login page");
    expect(root.textContent).toContain("Problem");
    expect(screen.getByTestId("check-dns").textContent).toContain("OK");
    // A cause with a guide shows its title, one without its id.
    expect((await screen.findByTestId("finding-wrong-url")).textContent?.trim()).toBe("The address is wrong");
    expect(screen.getByTestId("finding-maintenance").textContent?.trim()).toBe("What to do about “maintenance”");
    await fireEvent.click(screen.getByTestId("finding-wrong-url"));
    expect(oncause).toHaveBeenCalledWith("wrong-url");
    expect(screen.getByTestId("run-checks").textContent?.trim()).toBe("Run again");
  });

  it("never says 'no problem' after a check failed, and puts the verdict first", async () => {
    const { api } = setup();
    vi.mocked(api.runChecks).mockImplementationOnce(async (oncheck) => {
      const checks = [{ id: "tcp", status: "fail" as const, detail: "connection refused" }];
      checks.forEach(oncheck);
      return { target: "https://example.cybozu.com/", checks, findings: [], elapsed_ms: 9 };
    });
    await fireEvent.click(screen.getByTestId("run-checks"));
    const verdict = await screen.findByTestId("checks-unexplained");
    expect(verdict.textContent).toContain("Connection");
    expect(screen.queryByText(/No problem found/)).toBeNull();
    const order = [...document.querySelectorAll("[data-testid=check-findings], [data-testid=check-list]")].map((e) => e.getAttribute("data-testid"));
    expect(order).toEqual(["check-findings", "check-list"]);
  });

  it("shows the support report, then copies exactly that text", async () => {
    const { api } = setup();
    await fireEvent.click(screen.getByTestId("run-checks"));
    await fireEvent.click(await screen.findByTestId("checks-report"));
    expect(api.supportReport).toHaveBeenCalled();
    expect(api.copyText).not.toHaveBeenCalled();
    const shown = ((await screen.findByTestId("checks-report-text")) as HTMLTextAreaElement).value;
    expect(shown).toContain("Tobira support report");
    await fireEvent.click(screen.getByTestId("checks-copy"));
    expect(api.copyText).toHaveBeenCalledWith(shown);
    expect(await screen.findByTestId("checks-copied")).toBeTruthy();
  });

  it("says how to copy by hand when there is no clipboard", async () => {
    const { api } = setup();
    vi.mocked(api.copyText).mockRejectedValueOnce({ code: "clipboard-unavailable", message: "no clipboard" });
    await fireEvent.click(screen.getByTestId("run-checks"));
    await fireEvent.click(await screen.findByTestId("checks-report"));
    await fireEvent.click(await screen.findByTestId("checks-copy"));
    expect((await screen.findByRole("alert")).textContent).toContain("Ctrl+C");
  });
});
