import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, rejection, site } from "../lib/fakeApi";
import { translator } from "../lib/i18n";
import Setup from "./Setup.svelte";

const t = translator("en");

function setup(api = fakeApi(), onsaved = vi.fn(), onguest = vi.fn()) {
  render(Setup, { props: { api, t, defaultDomain: "cybozu.com", onsaved, onguest } });
  const input = screen.getByTestId("site-input") as HTMLInputElement;
  const save = screen.getByTestId("save-site") as HTMLButtonElement;
  return { api, onsaved, onguest, input, save };
}

describe("Setup", () => {
  it("labels the field and starts with a hint and a disabled save", () => {
    const { input, save } = setup();
    expect(screen.getByLabelText("Your kintone address")).toBe(input);
    expect(document.activeElement).toBe(input);
    expect(screen.getByText(/Paste it from your invitation email/)).toBeTruthy();
    expect(save.disabled).toBe(true);
  });

  it("validates while the user types and shows the site", async () => {
    const { api, input, save } = setup();
    await fireEvent.input(input, { target: { value: "example" } });
    await waitFor(() => expect(screen.getByTestId("site-host").textContent).toBe("example.cybozu.com"));
    expect(api.checkSite).toHaveBeenLastCalledWith("example");
    expect(screen.getByTestId("site-region").textContent).toBe("Japan");
    expect(save.disabled).toBe(false);
  });

  it("shows the rejection in plain words and keeps save disabled", async () => {
    const api = fakeApi({}, { checkSite: vi.fn(async () => Promise.reject(rejection("port-not-allowed", "8443"))) });
    const { input, save } = setup(api);
    await fireEvent.input(input, { target: { value: "example.cybozu.com:8443" } });
    const error = await screen.findByTestId("site-error");
    expect(error.textContent?.trim()).toBe("Remove “:8443”: kintone addresses never have a port number.");
    expect(error.dataset.code).toBe("port-not-allowed");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(save.disabled).toBe(true);
  });

  it("ignores an answer that arrives after a newer one", async () => {
    let releaseSlow: () => void = () => undefined;
    const checkSite = vi.fn((input: string) =>
      input === "slow"
        ? new Promise<never>((_, reject) => {
            releaseSlow = () => reject(rejection("not-kintone-domain", "slow"));
          })
        : Promise.resolve(site("fast.cybozu.com")),
    );
    const { input } = setup(fakeApi({}, { checkSite }));
    await fireEvent.input(input, { target: { value: "slow" } });
    await fireEvent.input(input, { target: { value: "fast" } });
    await screen.findByTestId("site-preview");
    releaseSlow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId("site-error")).toBeNull();
    expect(screen.getByTestId("site-host").textContent).toBe("fast.cybozu.com");
  });

  it("saves what the user typed and hands the site on", async () => {
    const { api, onsaved, input, save } = setup();
    await fireEvent.input(input, { target: { value: "example" } });
    await screen.findByTestId("site-preview");
    await fireEvent.click(save);
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(site("example.cybozu.com")));
    expect(api.saveSite).toHaveBeenCalledWith("example");
  });

  it("says why saving failed and keeps the input", async () => {
    const api = fakeApi(
      {},
      { saveSite: vi.fn(async () => Promise.reject(rejection("settings-unwritable"))) },
    );
    const { onsaved, input, save } = setup(api);
    await fireEvent.input(input, { target: { value: "example" } });
    await screen.findByTestId("site-preview");
    await fireEvent.click(save);
    const error = await screen.findByTestId("save-error");
    expect(error.textContent).toContain("Your address could not be saved: rust says settings-unwritable");
    expect(input.value).toBe("example");
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("lets a guest with no kintone of their own add the inviting company's site", async () => {
    const { api, onguest, onsaved } = setup();
    await fireEvent.input(screen.getByTestId("setup-guest-input"), {
      target: { value: "https://partner.cybozu.com/k/guest/7/#/space/7" },
    });
    await fireEvent.click(screen.getByTestId("setup-add-guest"));
    expect(api.addGuestSite).toHaveBeenCalledWith("https://partner.cybozu.com/k/guest/7/#/space/7");
    expect(onguest).toHaveBeenCalled();
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("offers to keep a pasted guest-space link as a site the user is a guest in", async () => {
    const { api, onguest, input } = setup(fakeApi({}, { checkSite: async () => site("partner.cybozu.com") }));
    await fireEvent.input(input, { target: { value: "https://partner.cybozu.com/k/guest/7/#/space/7" } });
    expect((await screen.findByTestId("setup-guest-link")).textContent).toContain("partner.cybozu.com");
    await fireEvent.click(screen.getByTestId("setup-save-as-guest"));
    expect(api.addGuestSite).toHaveBeenCalledWith("https://partner.cybozu.com/k/guest/7/#/space/7");
    expect(onguest).toHaveBeenCalled();
  });
});
