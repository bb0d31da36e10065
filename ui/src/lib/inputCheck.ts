// Looks at a login name or password the user types, on this computer only:
// nothing here is stored, logged or sent to Rust.

export interface InputFindings {
  capsLock: boolean;
  leadingSpace: boolean;
  trailingSpace: boolean;
  /** Full-width letters, digits, symbols or the ideographic space. */
  fullWidth: boolean;
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

export function checkInput(value: string, capsLock: boolean): InputFindings {
  return {
    capsLock,
    leadingSpace: /^\s/.test(value),
    trailingSpace: /\s$/.test(value),
    fullWidth: FULL_WIDTH.test(value),
  };
}

export function anyFinding(findings: InputFindings): boolean {
  return findings.capsLock || findings.leadingSpace || findings.trailingSpace || findings.fullWidth;
}
