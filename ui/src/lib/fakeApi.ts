// A stand-in for the Rust side in component tests: every call is recorded,
// and each command answers from a function the test provides.
import { vi } from "vitest";
import type { Api, ApiError, AppView, SiteAddress } from "../api";

export function site(host: string, region: SiteAddress["region"] = "jp"): SiteAddress {
  const subdomain = host.split(".")[0];
  return {
    subdomain,
    region,
    host,
    secure_access: host.includes(".s."),
    login_url: `https://${host}/`,
    portal_url: `https://${host}/k/`,
  };
}

export function rejection(code: string, detail?: string): ApiError {
  return { code, message: `rust says ${code}`, detail };
}

export function fakeApi(view: Partial<AppView> = {}, overrides: Partial<Api> = {}) {
  return {
    appState: vi.fn(async () => ({
      site: null,
      default_domain: "cybozu.com",
      language: "en" as const,
      notice: null,
      ...view,
    })),
    checkSite: vi.fn(async (input: string) => site(`${input.trim()}.cybozu.com`)),
    saveSite: vi.fn(async (input: string) => site(`${input.trim()}.cybozu.com`)),
    openSitePage: vi.fn(async () => undefined),
    ready: vi.fn(async () => undefined),
    ...overrides,
  } satisfies Api;
}
