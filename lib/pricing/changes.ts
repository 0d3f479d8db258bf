/**
 * Which pricing settings a change touches, field by field, old → new (the audit log's
 * `pricing.update` row, written by lib/settings' updateSettings beside the settings row). Works on
 * the settings' JSON form (sun as decimal strings), so it imports nothing.
 */
export type PricingChange = { field: string; from: unknown; to: unknown };

/** Top-level settings that make a price. */
const PRICE_KEYS = ["orderFeeSun", "minOrderPriceSun", "burnPriceSun", "quoteTtlSeconds"] as const;

type Json = Record<string, unknown>;
type Duration = { key: string; unitPriceSun: unknown; enabled?: unknown };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function pricingChanges(before: Json, after: Json): PricingChange[] {
  const out: PricingChange[] = [];
  const add = (field: string, from: unknown, to: unknown) => {
    if (!same(from, to)) out.push({ field, from: from ?? null, to: to ?? null });
  };
  const durs = (v: unknown) => new Map(((v as Duration[] | undefined) ?? []).map((d) => [d.key, d]));
  const b = durs(before.durations);
  const a = durs(after.durations);
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    add(`durations.${key}.unitPriceSun`, b.get(key)?.unitPriceSun, a.get(key)?.unitPriceSun);
    add(
      `durations.${key}.enabled`,
      b.get(key)?.enabled ?? (b.has(key) ? true : undefined),
      a.get(key)?.enabled ?? (a.has(key) ? true : undefined),
    );
  }
  for (const k of PRICE_KEYS) add(k, before[k], after[k]);
  const pb = (before.pricing ?? {}) as Json;
  const pa = (after.pricing ?? {}) as Json;
  for (const k of new Set([...Object.keys(pb), ...Object.keys(pa)])) add(`pricing.${k}`, pb[k], pa[k]);
  return out;
}
