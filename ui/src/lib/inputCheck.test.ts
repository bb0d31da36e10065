import { describe, expect, it } from "vitest";
import { anyFinding, checkInput } from "./inputCheck";

describe("checkInput", () => {
  it("finds spaces at the ends, full-width characters and Caps Lock", () => {
    expect(checkInput(" taro@example.com", false)).toMatchObject({ leadingSpace: true, trailingSpace: false });
    expect(checkInput("secret\n", false).trailingSpace).toBe(true);
    expect(checkInput("ｔａｒｏ", false).fullWidth).toBe(true);
    expect(checkInput("pass\u3000word", false).fullWidth).toBe(true);
    expect(checkInput("Password1", true).capsLock).toBe(true);
  });

  it("finds nothing in ordinary input, Japanese included", () => {
    const clean = checkInput("taro.yamada@example.co.jp", false);
    expect(anyFinding(clean)).toBe(false);
    expect(anyFinding(checkInput("山田太郎", false))).toBe(false);
  });
});
