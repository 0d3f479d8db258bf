// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SWRConfig } from "swr";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "@/app/_components/i18n-provider";
import { translator } from "@/lib/i18n";
import { clientMessages } from "@/lib/i18n/client-messages";
import { RentForm, type RentSetup } from "./rent-form";

// The server action runs on the server; the form only needs something to bind to.
vi.mock("./actions", () => ({ createRentOrderAction: vi.fn(async () => ({ status: "idle" })) }));

const GOOD = "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL";
const BAD = "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeM";

const setup: RentSetup = {
  wallets: [],
  presets: [
    { value: 65_000, label: "65,000 energy" },
    { value: 131_000, label: "131,000 energy" },
  ],
  durations: [
    { key: "1h", label: "1h" },
    { key: "1d", label: "1d" },
  ],
  initial: { receiver: "", energy: "", duration: "" },
  suggestLabels: { 65000: "65,000 energy", 131000: "131,000 energy" },
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The two portal routes the form reads, answering like the real ones. */
function portalApi(url: string): Response {
  const u = new URL(url, "http://portal.test");
  if (u.pathname === "/api/portal/address") {
    const address = u.searchParams.get("address");
    if (address === GOOD) return json(200, { ok: true, address, live: true, activated: true, energy: "0" });
    return json(200, { ok: false, message: "The address checksum is wrong." });
  }
  if (u.pathname === "/api/portal/quote") {
    const energy = Number(u.searchParams.get("energy"));
    if (!Number.isInteger(energy) || energy < 32_000)
      return json(400, {
        error: {
          code: "energy_out_of_range",
          message: "Energy must be between 32,000 and 5,000,000.",
          fields: { energy: "At least 32,000 energy." },
        },
      });
    const trx = ((energy * 45) / 1_000_000).toString();
    return json(200, {
      energy: String(energy),
      duration: u.searchParams.get("duration"),
      price: `${trx} TRX`,
      priceSun: String(energy * 45),
      unitPrice: "45 sun",
      fee: null,
      burn: "6.5 TRX",
      saving: "3.575 TRX",
      savingPercent: 55,
      // smart pricing: 131k and more get a 10% volume discount while the pool is busy (+20%)
      discount: energy >= 131_000 ? "0.5895 TRX" : null,
      discountPercent: energy >= 131_000 ? 10 : 0,
      demandPercent: energy >= 131_000 ? 20 : 0,
      burnLive: true,
      quoteToken: `token-${energy}`,
      expiresAt: "2030-01-01T00:00:00.000Z",
      balance: "20 TRX",
      balanceAfter: "17.075 TRX",
      shortfall: null,
      maintenance: false,
    });
  }
  return json(404, { error: { message: "not found" } });
}

const en = translator("en");

const fetchMock = vi.fn(async (url: string | URL) => portalApi(String(url)));

function renderForm(s: RentSetup = setup) {
  return render(
    <SWRConfig value={{ provider: () => new Map() }}>
      <I18nProvider locale="en" messages={clientMessages("en", "portal")}>
        <I18nProvider locale="en" messages={clientMessages("en", "rent")}>
          <RentForm setup={s} />
        </I18nProvider>
      </I18nProvider>
    </SWRConfig>,
  );
}

beforeEach(() => {
  fetchMock.mockClear();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("rent form", () => {
  it("prices the default preset and duration, and pays once a valid receiver is typed", async () => {
    const user = userEvent.setup();
    renderForm();
    // The first preset and duration are chosen; the quote comes from the API.
    await waitFor(() => expect(screen.getByTestId("quote-price").textContent).toBe("2.925 TRX"));
    expect(screen.getByText("You save 3.575 TRX (55%)")).toBeTruthy();
    // No receiver yet: the pay button says why it is disabled.
    const pay = screen.getByTestId("pay-button") as HTMLButtonElement;
    expect(pay.disabled).toBe(true);
    expect(screen.getByTestId("pay-blocker").textContent).toBe(en("rent-fixErrors"));

    await user.type(screen.getByLabelText(en("wallets-address")), GOOD);
    await waitFor(() => expect(screen.getByText(en("address-valid"))).toBeTruthy());
    await waitFor(() => expect(pay.disabled).toBe(false));
    expect(pay.textContent).toBe("Pay 2.925 TRX");
    expect(screen.queryByTestId("pay-blocker")).toBeNull();
    const checked = fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.includes("address="));
    // Debounced: one check for the whole address, not one per keystroke.
    expect(checked).toEqual([`/api/portal/address?role=receiver&address=${GOOD}`]);
  });

  it("shows the discount, the busy-pool surcharge and the chain's burn price, and pays the quote shown", async () => {
    const user = userEvent.setup();
    const { container } = renderForm();
    const held = () => (container.querySelector('input[name="quote"]') as HTMLInputElement).value;
    await waitFor(() => expect(screen.getByTestId("quote-price").textContent).toBe("2.925 TRX"));
    expect(screen.queryByTestId("quote-discount")).toBeNull();
    expect(screen.queryByTestId("quote-demand")).toBeNull();
    expect(screen.getByText(en("rent-burnLive"))).toBeTruthy();
    expect(held()).toBe("token-65000");
    await user.click(screen.getByRole("radio", { name: "131,000 energy" }));
    await waitFor(() => expect(screen.getByTestId("quote-discount").textContent).toBe("−0.5895 TRX"));
    expect(screen.getByText(en("rent-discount", { percent: 10 }))).toBeTruthy();
    expect(screen.getByTestId("quote-demand").textContent).toBe(en("rent-demand", { percent: 20 }));
    expect(held()).toBe("token-131000");
  });

  it("shows why a typed receiver is refused, marks the field invalid and blocks paying", async () => {
    const user = userEvent.setup();
    renderForm();
    const input = screen.getByLabelText(en("wallets-address"));
    await user.type(input, BAD);
    await waitFor(() =>
      expect(screen.getByTestId("receiver-error").textContent).toBe("The address checksum is wrong."),
    );
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain("r-address-status");
    expect((screen.getByTestId("pay-button") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("pay-blocker").textContent).toBe(en("rent-fixErrors"));

    // Corrected: the error goes, the address is valid.
    await user.clear(input);
    await user.type(input, GOOD);
    await waitFor(() => expect(screen.getByText(en("address-valid"))).toBeTruthy());
    expect(screen.queryByTestId("receiver-error")).toBeNull();
    expect(input.getAttribute("aria-invalid")).toBeNull();
  });

  it("re-prices a custom amount and shows the API's field error under it", async () => {
    const user = userEvent.setup();
    renderForm({ ...setup, initial: { receiver: GOOD, energy: "", duration: "" } });
    await waitFor(() => expect(screen.getByTestId("quote-price").textContent).toBe("2.925 TRX"));

    await user.click(screen.getByLabelText(en("rent-custom")));
    const amount = screen.getByLabelText(en("rent-customEnergy"));
    await user.type(amount, "1000");
    const err = await screen.findByText("At least 32,000 energy.");
    expect(err.getAttribute("role")).toBe("alert");
    expect(amount.getAttribute("aria-invalid")).toBe("true");
    expect(amount.getAttribute("aria-describedby")).toContain(err.id);
    expect((screen.getByTestId("pay-button") as HTMLButtonElement).disabled).toBe(true);

    await user.type(amount, "00");
    await waitFor(() => expect(screen.getByTestId("quote-price").textContent).toBe("4.5 TRX"));
    expect(screen.queryByText("At least 32,000 energy.")).toBeNull();
    expect(amount.getAttribute("aria-invalid")).toBeNull();
  });
});
