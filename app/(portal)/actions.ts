"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { signOut } from "@/lib/auth/auth";
import { getSessionUser } from "@/lib/auth/session";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n";
import { setUserLanguage } from "@/lib/users";

/** Portal language switch: the cookie for this browser and the user's language (the bot's too). */
export async function setPortalLanguage(formData: FormData) {
  const lang = formData.get("lang");
  if (!isLocale(lang)) return;
  (await cookies()).set(LOCALE_COOKIE, lang, { path: "/", maxAge: 365 * 86_400, sameSite: "lax" });
  const user = await getSessionUser();
  if (user) await setUserLanguage(user.id, lang);
  revalidatePath("/", "layout");
}

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
