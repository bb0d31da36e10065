import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { AppView } from "../api";
import { diagnosis, fakeApi, rejection, secrets, settings, site } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Settings from "./Settings.svelte";

function view(overrides: Partial<AppView> = {}): AppView {
  const current = site("example.cybozu.com");
  return {
    site: current,
    guest_sites: [],
    default_domain: "cybozu.com",
    language: "en",
    notices: [],
    settings: settings({ site: { value: current, source: "user" } }),
    bookmarks: [],
    role: null,
    client_certificate: null,
    companion_in_use: false,
    ...overrides,
  };
}

function renderSettings(shown: AppView, api = fakeApi()) {
  render(Settings, {
    props: { api, t: translator("en"), view: shown, onview: vi.fn(), onchangesite: vi.fn(), onback: vi.fn() },
  });
  return api;
}

describe("Settings", () => {
  it("shows a locked setting read-only, managed by the organisation", () => {
    renderSettings(
      view({ settings: settings({ language: { value: "ja", source: "locked" } }) }),
    );
    expect((screen.getByTestId("language-select") as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByTestId("language-locked").textContent).toContain("Managed by your organisation");
  });

  it("offers to reset a value that differs from the organisation's recommendation", async () => {
    const api = renderSettings(
      view({ settings: settings({ language: { value: "en", source: "user", recommended: "ja" } }) }),
    );
    const hint = screen.getByTestId("language-recommended");
    expect(hint.textContent).toContain("Your organisation recommends 日本語.");
    await fireEvent.click(hint.querySelector("button")!);
    expect(api.changeSetting).toHaveBeenCalledWith({ key: "language", value: null });
  });

  it("stores Basic-auth credentials and forgets the typed password", async () => {
    const api = fakeApi({}, { storeBasicAuth: async () => secrets({ basic_auth_user: "proxy" }) });
    renderSettings(view(), api);
    await fireEvent.input(screen.getByTestId("basic-user"), { target: { value: "proxy" } });
    await fireEvent.input(screen.getByTestId("basic-password"), { target: { value: "s3cret" } });
    await fireEvent.click(screen.getByTestId("store-basic"));
    expect(api.storeBasicAuth).toHaveBeenCalledWith("proxy", "s3cret");
    expect((await screen.findByText("Stored in the keyring for proxy")).textContent).toBeTruthy();
    expect((screen.getByTestId("basic-password") as HTMLInputElement).value).toBe("");
  });

  it("says plainly when there is no keyring and offers not to store", async () => {
    const api = fakeApi({}, { storeBasicAuth: vi.fn(async () => Promise.reject(rejection("no-keyring"))) });
    renderSettings(view(), api);
    await fireEvent.input(screen.getByTestId("basic-user"), { target: { value: "proxy" } });
    await fireEvent.input(screen.getByTestId("basic-password"), { target: { value: "s3cret" } });
    await fireEvent.click(screen.getByTestId("store-basic"));
    const warning = await screen.findByTestId("no-keyring");
    expect(warning.textContent).toContain("Nothing was stored");
    await fireEvent.click(screen.getByText("Don't store"));
    expect((screen.getByTestId("basic-password") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("basic-user") as HTMLInputElement).value).toBe("");
  });

  it("takes a client certificate file and explains a wrong one", async () => {
    const api = fakeApi();
    api.changeSetting.mockRejectedValueOnce(rejection("client-cert-path", "/home/u/notes.txt"));
    renderSettings(view(), api);
    const input = screen.getByTestId("certificate-path") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "/home/u/notes.txt" } });
    await fireEvent.click(screen.getByTestId("use-certificate"));
    expect(api.changeSetting).toHaveBeenCalledWith({ key: "client_certificate", value: "/home/u/notes.txt" });
    expect(await screen.findByText(/is not a client certificate file/)).toBeTruthy();
    await fireEvent.input(input, { target: { value: "/home/u/kintone.p12" } });
    await fireEvent.click(screen.getByTestId("use-certificate"));
    expect(api.changeSetting).toHaveBeenLastCalledWith({ key: "client_certificate", value: "/home/u/kintone.p12" });
  });

  it("turns starting at login on, and shows it read-only when the organisation locks it", async () => {
    const api = renderSettings(view());
    const autostart = screen.getByTestId("autostart-select") as HTMLSelectElement;
    expect(autostart.value).toBe("off");
    expect((screen.getByTestId("keep_in_tray-select") as HTMLSelectElement).value).toBe("on");
    await fireEvent.change(autostart, { target: { value: "on" } });
    expect(api.changeSetting).toHaveBeenCalledWith({ key: "autostart", value: true });
  });

  it("does not offer to change a locked autostart", () => {
    renderSettings(view({ settings: settings({ autostart: { value: true, source: "locked" } }) }));
    expect((screen.getByTestId("autostart-select") as HTMLSelectElement).disabled).toBe(true);
    screen.getByTestId("autostart-locked");
  });

  it("reads the organisation's policy only when its section is opened, and shows what was dropped", async () => {
    const policyFile = "/etc/tobira/policy.toml";
    const api = fakeApi({}, {
      policyDiagnosis: async () =>
        diagnosis(
          [
            { key: "default_region", value: "us", source: "locked", store: policyFile },
            {
              key: "autostart",
              status: "dropped",
              problems: [`${policyFile}:3:13: invalid type: string "yes", expected a boolean`],
            },
            {
              key: "keep_in_tray",
              value: false,
              source: "user",
              store: "/home/u/.config/tobira/settings.toml",
              status: "overridden",
              overridden: [{ source: "recommended", store: policyFile }],
            },
          ],
          {
            unknown_keys: [{ name: "colour", problem: `${policyFile}:8:1: unknown field \`colour\`` }],
            read: [{ store: policyFile, found: true }],
          },
        ),
    });
    renderSettings(view(), api);
    const section = screen.getByTestId("policy") as HTMLDetailsElement;
    expect(section.open).toBe(false);
    expect(api.policyDiagnosis).not.toHaveBeenCalled();

    section.open = true;
    await fireEvent(section, new Event("toggle"));
    const table = await screen.findByRole("table");
    expect(api.policyDiagnosis).toHaveBeenCalledTimes(1);
    const headers = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["Setting", "In force", "From", "Status"]);

    // The key's row, cell by cell; then its notes (problems, values not in force).
    const rows = (key: string) =>
      within(screen.getByTestId(`policy-key-${key}`))
        .getAllByRole("row")
        .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent!.replace(/\s+/g, " ").trim()));
    expect(rows("default_region")).toEqual([
      ["default_region", "United States", `Managed by your organisation ${policyFile}`, "✓ OK"],
    ]);
    expect(rows("autostart")).toEqual([
      ["autostart", "No", "Tobira's default", "! Dropped"],
      [`${policyFile}:3:13: invalid type: string "yes", expected a boolean`],
    ]);
    expect(rows("keep_in_tray")).toEqual([
      ["keep_in_tray", "No", "Your choice /home/u/.config/tobira/settings.toml", "↷ Overridden"],
      [`Also set in ${policyFile} (Recommended by your organisation); not in force.`],
    ]);
    expect(rows("site")[0][1]).toBe("Not set");
    expect(rows("bookmarks")[0][1]).toBe("None");
    expect(screen.getByTestId("policy-unknown").textContent).toContain("unknown field `colour`");
    expect(screen.getByTestId("policy-stores").textContent).toContain(`Read ${policyFile}`);

    section.open = false;
    await fireEvent(section, new Event("toggle"));
    section.open = true;
    await fireEvent(section, new Event("toggle"));
    expect(api.policyDiagnosis).toHaveBeenCalledTimes(1);
  });
});
