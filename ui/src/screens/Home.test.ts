import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, rejection, site } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Home from "./Home.svelte";

describe("Home", () => {
  it("shows the site with its region and access", () => {
    render(Home, { props: { api: fakeApi(), t: translator("ja"), site: site("example.s.cybozu.com"), onchange: vi.fn() } });
    expect(screen.getByTestId("site-host").textContent).toBe("example.s.cybozu.com");
    expect(screen.getByTestId("site-region").textContent).toBe("日本");
    expect(screen.getByTestId("site-access").textContent).toBe("セキュアアクセス（クライアント証明書が必要）");
  });

  it("asks Rust to open the portal and the login page", async () => {
    const api = fakeApi();
    render(Home, { props: { api, t: translator("en"), site: site("example.cybozu.com"), onchange: vi.fn() } });
    await fireEvent.click(screen.getByTestId("open-portal"));
    expect(api.openSitePage).toHaveBeenLastCalledWith("portal");
    expect((await screen.findByTestId("open-result")).textContent).toBe("Opened in your browser.");
    await fireEvent.click(screen.getByTestId("open-login"));
    expect(api.openSitePage).toHaveBeenLastCalledWith("login");
  });

  it("explains a refused or failed open", async () => {
    const api = fakeApi({}, { openSitePage: vi.fn(async () => Promise.reject(rejection("url-not-allowed"))) });
    render(Home, { props: { api, t: translator("en"), site: site("example.cybozu.com"), onchange: vi.fn() } });
    await fireEvent.click(screen.getByTestId("open-portal"));
    expect((await screen.findByTestId("open-error")).textContent).toBe(
      "Tobira opens only pages of your own kintone site.",
    );
  });

  it("lets the user change the address", async () => {
    const onchange = vi.fn();
    render(Home, { props: { api: fakeApi(), t: translator("en"), site: site("example.cybozu.com"), onchange } });
    await fireEvent.click(screen.getByTestId("change-site"));
    expect(onchange).toHaveBeenCalledOnce();
  });
});
