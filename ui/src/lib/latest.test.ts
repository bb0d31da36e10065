import { describe, expect, it } from "vitest";
import { isStale, latest } from "./latest";

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
});
