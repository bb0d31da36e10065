import { describe, expect, it, vi } from "vitest";
import { guarded, isStale, latest } from "./requests";

describe("latest", () => {
  it("drops an answer that arrives after a newer request's", async () => {
    const newest = latest();
    let answerOld: (value: string) => void = () => undefined;
    const old = newest(new Promise<string>((resolve) => (answerOld = resolve)));
    const current = newest(Promise.resolve("new"));
    expect(await current).toBe("new");
    answerOld("old");
    await expect(old).rejects.toSatisfy(isStale);
  });

  it("passes errors of the newest request on", async () => {
    const newest = latest();
    await expect(newest(Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("reports the error of a guarded action, or null when it worked", async () => {
    const report = vi.fn();
    await guarded(async () => Promise.reject({ code: "x", message: "m" }), report);
    expect(report).toHaveBeenLastCalledWith({ code: "x", message: "m" });
    await guarded(async () => undefined, report);
    expect(report).toHaveBeenLastCalledWith(null);
    const newest = latest();
    const old = newest(new Promise((resolve) => setTimeout(resolve, 5)));
    void newest(Promise.resolve());
    report.mockClear();
    await guarded(() => old, report);
    expect(report).not.toHaveBeenCalled();
  });
});
