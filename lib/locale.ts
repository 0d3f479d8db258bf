/**
 * The languages every surface speaks (bot, portal, admin console), declared once. Chinese first:
 * it is the default for the product's users.
 */
export const locales = ["zh", "en"] as const;
export type Locale = (typeof locales)[number];

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (locales as readonly string[]).includes(v);
}
