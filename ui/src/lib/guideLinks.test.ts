import { describe, expect, it } from "vitest";
import { guideLink } from "./guideLinks";

describe("guideLink", () => {
  it("follows the three shapes Rust produces", () => {
    expect(guideLink("#cause/wrong-url")).toEqual({ kind: "cause", id: "wrong-url" });
    expect(guideLink("#flow/first-login")).toEqual({ kind: "flow", id: "first-login" });
    expect(guideLink("https://jp.cybozu.help/k/ja/")).toEqual({ kind: "web", url: "https://jp.cybozu.help/k/ja/" });
  });

  it("ignores everything else", () => {
    for (const href of [null, "", "javascript:alert(1)", "#cause/../x", "#cause/Wrong", "#flow/", "http://x.example/", "/k/", "data:text/html,x"]) {
      expect(guideLink(href)).toBeNull();
    }
  });
});
