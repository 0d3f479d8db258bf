"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { isAppError } from "@/lib/errors";
import { translator } from "@/lib/i18n";
import { portalContext } from "../../_lib/context";
import { localizeError } from "../../_lib/errors";

/** Result the key forms read with useActionState. The key and secret travel once, in this answer. */
export type KeyFormState =
  | { status: "idle" }
  | { status: "success"; key: string; secret: string; prefix: string }
  | { status: "invalid_data"; fields: Record<string, string> }
  | { status: "failed"; message: string };

// Create a key for the signed-in user; the plain key and callback secret are returned once.
export async function createKeyAction(_prev: KeyFormState, form: FormData): Promise<KeyFormState> {
  const { user, locale } = await portalContext();
  const t = translator(locale);
  try {
    const r = await createApiKey({ userId: user.id, name: String(form.get("name") ?? "") });
    revalidatePath("/account/api-keys");
    return { status: "success", key: r.key, secret: r.callbackSecret, prefix: r.apiKey.prefix };
  } catch (e) {
    if (isAppError(e) && e.fields) return { status: "invalid_data", fields: e.fields };
    if (isAppError(e) && e.code !== "internal")
      return { status: "failed", message: localizeError(e, translator(locale)).message };
    return { status: "failed", message: t("apiKeys-failed") };
  }
}

// Revoke one of the signed-in user's keys (ownership checked in lib/api/keys).
export async function revokeKeyAction(form: FormData): Promise<{ ok: boolean; message: string }> {
  const { user, locale } = await portalContext();
  const t = translator(locale);
  const id = z.coerce.number().int().positive().safeParse(form.get("keyId"));
  if (!id.success) return { ok: false, message: t("apiKeys-failed") };
  try {
    await revokeApiKey({ userId: user.id, keyId: id.data });
    revalidatePath("/account/api-keys");
    return { ok: true, message: t("apiKeys-revokedToast") };
  } catch {
    return { ok: false, message: t("apiKeys-failed") };
  }
}
