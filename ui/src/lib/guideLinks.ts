// Where a link in a guide leads. Rust has already rewritten every link
// (`cause:ID` → `#cause/ID`, `flow:ID` → `#flow/ID`, allowed https pages);
// the window follows only these three shapes and ignores anything else.

export type GuideLink = { kind: "cause"; id: string } | { kind: "flow"; id: string } | { kind: "web"; url: string };

const ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function guideLink(href: string | null): GuideLink | null {
  if (!href) return null;
  for (const kind of ["cause", "flow"] as const) {
    const prefix = `#${kind}/`;
    if (href.startsWith(prefix)) {
      const id = href.slice(prefix.length);
      return ID.test(id) ? { kind, id } : null;
    }
  }
  return href.startsWith("https://") ? { kind: "web", url: href } : null;
}
