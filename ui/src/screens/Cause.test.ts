import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Cause from "./Cause.svelte";

const related = [
  { id: "wrong-url", title: "The address is wrong" },
  { id: "caps-lock", title: null },
];

function setup(id: string, helpdesk: { name?: string; email?: string } | null = null) {
  const api = fakeApi();
  const props = { api, t: translator("en"), id, related, helpdesk, onback: vi.fn(), oncause: vi.fn(), onflow: vi.fn() };
  render(Cause, { props });
  return props;
}

describe("Cause", () => {
  it("shows the cause guide and the other possible causes", async () => {
    const { oncause } = setup("wrong-url");
    expect((await screen.findByTestId("cause-title")).textContent).toBe("The address is wrong");
    expect(screen.getByText("Check the address.")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("cause-other-caps-lock"));
    expect(oncause).toHaveBeenCalledWith("caps-lock", related);
    expect(screen.getByTestId("cause-help").textContent).toContain("Ask your kintone administrator");
  });

  it("says when a linked cause does not exist in the user's region", async () => {
    setup("2fa-device-lost");
    expect((await screen.findByTestId("cause-other-region")).textContent).toContain("only with kintone in United States");
    setup("wrong-url");
    await screen.findAllByTestId("cause-title");
    expect(screen.getAllByTestId("cause-other-region")).toHaveLength(1);
  });

  it("without a guide, says so and who can help", async () => {
    const { api } = setup("caps-lock", { name: "IT helpdesk", email: "help@corp.example" });
    expect(await screen.findByTestId("cause-missing")).toBeTruthy();
    const help = screen.getByTestId("cause-help").textContent ?? "";
    expect(help).toContain("Contact IT helpdesk:");
    expect(help).toContain("help@corp.example");
    await fireEvent.click(screen.getByTestId("cause-help-centre"));
    expect(api.openBookmark).toHaveBeenCalledWith("help");
  });
});
