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

  it("copies the support report, or shows it to copy by hand", async () => {
    const { api } = setup();
    await fireEvent.click(screen.getByTestId("run-checks"));
    await fireEvent.click(await screen.findByTestId("copy-report"));
    expect(api.supportReport).toHaveBeenCalled();
    // jsdom has no clipboard: the text is shown instead.
    expect(((await screen.findByTestId("report-text")) as HTMLTextAreaElement).value).toContain("Tobira support report");
  });
});
