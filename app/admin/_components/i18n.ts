import "server-only";
import { getRequestLocale } from "@/lib/i18n/server";
import { whenIn } from "./ui";

export async function getAdminT() {
  const { locale, t } = await getRequestLocale();
  return { locale, t, when: whenIn(locale) };
}
