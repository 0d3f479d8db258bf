import { settingsFormValues, simulationSettingsFromForm } from "@/lib/admin/settings-form";
import { AppError, isAppError } from "@/lib/errors";
import { getMarket, type Market, settingsMarket } from "@/lib/pricing";
import { deliveredOrdersOn, type SimResult, simulateOrders, yesterdayUtc } from "@/lib/pricing/simulate";
import { getSettings, type Settings } from "@/lib/settings";

/**
 * The console's price simulation (read model of /admin/settings/simulate): a day's delivered orders
 * (default yesterday, UTC) replayed with the current pricing settings, or with the ones edited on
 * the page's form (`run` present). Nothing is saved. Called after `requireAdminPage("settings.read")`.
 */
type Query = Record<string, string | string[] | undefined>;

export type PriceSimulation = {
  day: string;
  /** The form's values: what was simulated. */
  values: Record<string, string>;
  settings: Settings;
  result: SimResult | null;
  /** The pool's utilisation now (used for orders without a recorded one). */
  utilisationNowBps: number;
  error: { message: string; fields: Record<string, string> } | null;
};

export async function priceSimulation(query: Query): Promise<PriceSimulation> {
  const one = (k: string) => {
    const v = query[k];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  };
  const current = await getSettings();
  const day = one("day") || yesterdayUtc();
  let settings = current;
  let error: PriceSimulation["error"] = null;
  if (one("run") !== null) {
    try {
      settings = simulationSettingsFromForm({ get: one }, current);
    } catch (e) {
      if (!isAppError(e)) throw e;
      error = { message: e.message, fields: e.fields ?? {} };
    }
  }
  const values: Record<string, string> = { ...settingsFormValues(settings), day };
  for (const d of settings.durations) values[`price_${d.key}`] = d.unitPriceSun.toString();
  // The chain figures for the floor; without the chain, the settings' own market (no floor).
  const market: Market = await getMarket(current).catch(() => settingsMarket(current));
  let result: SimResult | null = null;
  if (!error) {
    try {
      result = simulateOrders(await deliveredOrdersOn(day), settings, market);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      error = { message: e.message, fields: e.fields ?? {} };
    }
  }
  return { day, values, settings, result, utilisationNowBps: market.utilisationBps, error };
}
