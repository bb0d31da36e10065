import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Match } from "../api";
import { fakeApi } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Assistant from "./Assistant.svelte";

function setup(api = fakeApi()) {
  const props = {
    api,
    t: translator("en"),
    helpdesk: { name: "IT helpdesk", email: "help@corp.example" },
    onback: vi.fn(),
    onchecks: vi.fn(),
    oncause: vi.fn(),
    onflow: vi.fn(),
  };
  render(Assistant, { props });
  return props;
}

describe("Assistant", () => {
  it("ranks causes for a pasted error text", async () => {
    const maintenance = { cause: "maintenance", title: "The service is under maintenance", score: 11, why: [{ words: "不正なリクエストです。", idea: "the service's error message" }] };
    const { api } = setup(fakeApi({}, { troubleshoot: async () => ({ matches: [maintenance] }) }));
    await fireEvent.input(screen.getByTestId("assistant-query"), { target: { value: "不正なリクエストです。" } });
    const results = await screen.findByTestId("assistant-results", {}, { timeout: 2000 });
    expect(api.troubleshoot).toHaveBeenCalledWith("不正なリクエストです。", []);
    expect(within(results).getByTestId("result-maintenance")).toBeTruthy();
    expect(within(results).getByTestId("why-maintenance").textContent).toContain("the service's error message");
  });

  it("asks the one question that tells close causes apart, and ranks again with the answer", async () => {
    const why = [{ words: "certificate", idea: "client certificate" }];
    const expired: Match = { cause: "client-cert-expired", title: "The certificate has expired", score: 0.9, why };
    const expiring: Match = { cause: "client-cert-expiring", title: "The certificate expires soon", score: 0.85, why };
    const question = {
      question: "certificate",
      text: "What does it say about the certificate?",
      answers: [
        { id: "certificate.expiring", label: "A warning that it expires soon" },
        { id: "certificate.expired", label: "It says it has expired" },
      ],
    };
    // Rust's answers: a question while the two are close, one first once answered.
    const troubleshoot = async (_query: string, answers: string[] = []) =>
      answers.includes("certificate.expired")
        ? { matches: [{ ...expired, score: 1.9 }, { ...expiring, score: 0.3 }], answered: ["It says it has expired"] }
        : { matches: [expired, expiring], ask: question };
    const { api } = setup(fakeApi({}, { troubleshoot }));
    await fireEvent.input(screen.getByTestId("assistant-query"), { target: { value: "my certificate" } });
    const ask = await screen.findByTestId("assistant-ask", {}, { timeout: 2000 });
    expect(ask.textContent).toContain("What does it say about the certificate?");
    expect(screen.getByTestId("why-client-cert-expired").textContent).toContain("client certificate");
    await fireEvent.click(screen.getByTestId("ask-certificate.expired"));
    await vi.waitFor(() => expect(api.troubleshoot).toHaveBeenLastCalledWith("my certificate", ["certificate.expired"]));
    await vi.waitFor(() => expect(screen.queryByTestId("assistant-ask")).toBeNull());
    expect(screen.getByTestId("assistant-told").textContent).toContain("It says it has expired");
    const results = screen.getByTestId("assistant-results");
    expect(results.querySelector("details")?.getAttribute("data-testid")).toBe("result-client-cert-expired");
    // Undo takes the answer back and the question returns.
    await fireEvent.click(within(screen.getByTestId("assistant-told")).getByRole("button"));
    expect(await screen.findByTestId("assistant-ask")).toBeTruthy();
  });

  it("walks the questions to causes, with who can fix them and the helpdesk", async () => {
    setup();
    expect((await screen.findByTestId("assistant-question")).textContent).toBe("Where are you?");
    await fireEvent.click(screen.getByText("At home"));
    await fireEvent.click(await screen.findByText("An error page"));
    await fireEvent.click(await screen.findByText("Yes"));
    const first = await screen.findByTestId("result-ip-restricted");
    expect(first.hasAttribute("open")).toBe(true);
    await vi.waitFor(() => expect(first.textContent).toContain("your kintone administrator · your IT department"));
    expect(screen.getByTestId("assistant-results").textContent).toContain("help@corp.example");
    // Back to the previous question.
    await fireEvent.click(screen.getByTestId("answer-back"));
    expect(screen.getByTestId("assistant-question").textContent).toBe("Does it work at the office?");
  });

  it("checks typed text locally and never sends it", async () => {
    const { api } = setup();
    const probe = screen.getByTestId("assistant-probe");
    await fireEvent.input(probe, { target: { value: " ｔａｒｏ " } });
    const findings = screen.getByTestId("assistant-probe-findings").textContent ?? "";
    expect(findings).toContain("space at the start");
    expect(findings).toContain("at the end");
    expect(findings).toContain("full-width");
    await fireEvent.keyDown(probe, { key: "A", getModifierState: () => true });
    for (const call of Object.values(api)) {
      if (vi.isMockFunction(call)) {
        expect(JSON.stringify(call.mock.calls)).not.toContain("ｔａｒｏ");
      }
    }
  });

  it("copies a report with the query, the answers and the causes", async () => {
    const { api } = setup();
    await fireEvent.click(await screen.findByText("At home"));
    await fireEvent.click(await screen.findByText("An error page"));
    await fireEvent.click(await screen.findByText("Yes"));
    await fireEvent.click(await screen.findByTestId("assistant-report"));
    expect(api.supportReport).toHaveBeenCalledWith({
      query: "",
      answers: ["At home", "An error page", "Yes"],
      causes: ["ip-restricted", "client-cert-required"],
    });
    await fireEvent.click(screen.getByTestId("nothing-fits"));
    expect(await screen.findByTestId("result-contact-admin")).toBeTruthy();
  });

  it("shows what the checks found when they were run", async () => {
    const report = {
      target: "https://example.cybozu.com/",
      checks: [],
      findings: [{ cause: "ip-restricted", guide: "tobira://cause/ip-restricted" }],
      elapsed_ms: 30,
    };
    setup(fakeApi({}, { lastChecks: vi.fn(async () => report) }));
    const found = await screen.findByTestId("result-ip-restricted");
    expect(within(screen.getByTestId("assistant-checks")).getByTestId("result-ip-restricted")).toBe(found);
    expect(screen.getByTestId("assistant-run-checks").textContent?.trim()).toBe("Run again");
  });
});
