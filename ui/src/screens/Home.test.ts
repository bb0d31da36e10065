import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { builtinBookmarks, fakeApi, rejection, site, type FakeApi } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Home from "./Home.svelte";

function props(api: FakeApi, current = site("example.cybozu.com"), language: "en" | "ja" = "en") {
  return {
    api,
    t: translator(language),
    site: current as typeof current | null,
    guestSites: [] as ReturnType<typeof site>[],
    bookmarks: builtinBookmarks(current),
    siteLocked: false,
    role: null,
    onview: vi.fn(),
    onflow: vi.fn(),
    onchecks: vi.fn(),
    ondoctor: vi.fn(),
    onchange: vi.fn(),
    onsettings: vi.fn(),
  };
}

describe("Home", () => {
  it("shows the site with its region and access", () => {
    render(Home, { props: props(fakeApi(), site("example.s.cybozu.com", { secure_access: true }), "ja") });
    expect(screen.getByTestId("site-host").textContent).toBe("example.s.cybozu.com");
    expect(screen.getByTestId("site-region").textContent).toBe("日本");
    expect(screen.getByTestId("site-access").textContent).toBe("セキュアアクセス（クライアント証明書が必要）");
  });

  it("asks Rust to open the portal and the login page", async () => {
    const api = fakeApi();
    render(Home, { props: props(api) });
    await fireEvent.click(screen.getByTestId("open-portal"));
    expect(api.openBookmark).toHaveBeenLastCalledWith("portal");
    expect((await screen.findByTestId("open-result")).textContent).toBe("Opened in your browser.");
    await fireEvent.click(screen.getByTestId("open-login"));
    expect(api.openBookmark).toHaveBeenLastCalledWith("login");
  });

  it("explains a refused or failed open", async () => {
    const api = fakeApi({}, { openBookmark: vi.fn(async () => Promise.reject(rejection("url-not-allowed"))) });
    render(Home, { props: props(api) });
    await fireEvent.click(screen.getByTestId("open-portal"));
    expect((await screen.findByTestId("open-error")).textContent).toBe(
      "Tobira opens only pages of your own kintone site.",
    );
  });

  it("lets the user change the address", async () => {
    const shown = props(fakeApi());
    render(Home, { props: shown });
    await fireEvent.click(screen.getByTestId("change-site"));
    expect(shown.onchange).toHaveBeenCalledOnce();
  });

  it("shows the sites the user is a guest in, and adds one from an invitation link", async () => {
    const api = fakeApi();
    const shown = { ...props(api), site: null, guestSites: [site("partner.cybozu.com")] };
    render(Home, { props: shown });
    expect(screen.getByTestId("no-own-site")).toBeTruthy();
    expect(screen.queryByTestId("open-portal")).toBeNull();
    expect(screen.getByTestId("guest-site-partner.cybozu.com").textContent).toContain("partner.cybozu.com");
    await fireEvent.click(screen.getByTestId("open-guest-portal-partner.cybozu.com"));
    expect(api.openBookmark).toHaveBeenCalledWith("guest-0-portal");
    await fireEvent.input(screen.getByTestId("guest-input"), { target: { value: "https://other.cybozu.com/k/guest/3/" } });
    await fireEvent.click(screen.getByTestId("add-guest"));
    expect(api.addGuestSite).toHaveBeenCalledWith("https://other.cybozu.com/k/guest/3/");
    expect(shown.onview).toHaveBeenCalled();
  });
});
