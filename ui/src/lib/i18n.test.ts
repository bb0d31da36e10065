import { describe, expect, it } from "vitest";
import { errorText, format, translator } from "./i18n";

describe("format", () => {
  it("fills named placeholders and leaves unknown ones visible", () => {
    expect(format("{a} and {b}", { a: "x" })).toBe("x and {b}");
    expect(format("{n} items", { n: 3 })).toBe("3 items");
  });
});

describe("translator", () => {
  it("speaks each language from its own file", () => {
    expect(translator("en")("setup.save")).toBe("Save and continue");
    expect(translator("ja")("setup.save")).toBe("保存して次へ");
  });
});

describe("errorText", () => {
  const t = translator("ja");

  it("words a known error code in the user's language with its detail", () => {
    const text = errorText(t, { code: "port-not-allowed", message: "english", detail: "8443" });
    expect(text).toBe("「:8443」を消してください。kintone のアドレスにポート番号は付きません。");
  });

  it("falls back to Rust's message for a code the UI does not know", () => {
    expect(errorText(t, { code: "brand-new", message: "something new" })).toBe("something new");
  });
});
