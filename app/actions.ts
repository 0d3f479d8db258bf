"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n";

/** Saves the chosen language (zh / en) in a cookie for a year. */
export async function setLanguage(formData: FormData) {
  const lang = formData.get("lang");
  if (!isLocale(lang)) return;
  (await cookies()).set(LOCALE_COOKIE, lang, { path: "/", maxAge: 365 * 86_400, sameSite: "lax" });
  revalidatePath("/", "layout");
}
