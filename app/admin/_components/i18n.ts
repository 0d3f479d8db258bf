import "server-only";
import { getRequestLocale } from "@/lib/i18n/server";
import { adminTranslator } from "@/lib/i18n/admin-messages";
import { whenIn } from "./ui";

export async function getAdminT() {
  const { locale } = await getRequestLocale();
  return { locale, t: adminTranslator(locale), when: whenIn(locale) };
}
