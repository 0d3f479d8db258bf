import { z } from "zod";
import type { Translate } from "@/lib/i18n";
import { buyPackage } from "@/lib/packages";
import { localizeError } from "../_lib/errors";

/**
 * The packages page's buy action, for a given user (actions.ts resolves the user from the session
 * first). lib/packages checks the size against the offers, the address on chain, and charges once
 * per form token.
 */
export type BuyPackageState =
  | { status: "success"; message: string; packageId: number }
  | { status: "failed"; message: string; field?: "address" | "transfers" };

const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v.trim() : "");

export async function buyPackageFor(userId: number, form: FormData, t: Translate): Promise<BuyPackageState> {
  const address = text(form.get("address")).slice(0, 200);
  const transfers = z.coerce
    .number()
    .int()
    .positive()
    .max(10_000)
    .safeParse(text(form.get("transfers")));
  const token = text(form.get("token")).slice(0, 100);
  if (!/^[\x21-\x7e]{1,100}$/.test(token)) return { status: "failed", message: t("error-generic") };
  if (!address) return { status: "failed", message: t("address-empty"), field: "address" };
  if (!transfers.success)
    return { status: "failed", message: t("packages-none-on-sale"), field: "transfers" };
  try {
    const { package: p } = await buyPackage({
      userId,
      address,
      transfers: transfers.data,
      source: "portal",
      idempotencyKey: `web:${token}`,
    });
    return { status: "success", message: t("packages-bought"), packageId: p.id };
  } catch (e) {
    const l = localizeError(e, t);
    return { status: "failed", message: Object.values(l.fields)[0] ?? l.message };
  }
}
