import { z } from "zod";
import type { Translate } from "@/lib/i18n";
import { createOrder } from "@/lib/orders";
import { localizeError } from "../_lib/errors";

export type RentFormState =
  | { status: "idle" }
  | { status: "success"; orderId: number }
  | { status: "invalid_data"; fields: Record<string, string>; maxEnergy?: string }
  | { status: "failed"; code: string; message: string };

const rentSchema = z.object({
  receiver: z.string().trim().max(200),
  energy: z.string().trim().min(1).max(40),
  duration: z.string().trim().min(1).max(10),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{8,100}$/),
  /** The held quote shown when paying (empty: none, the price is computed now). */
  quote: z.string().max(600).optional(),
});

/**
 * Creates the portal order for `userId` from the rent form. The idempotency key comes from the form
 * (one per form render), so a double submit returns the same order. lib/orders re-validates the
 * address, activation, quote and balance on the server.
 */
export async function createRentOrderFor(
  userId: number,
  form: FormData,
  t: Translate,
): Promise<RentFormState> {
  const p = rentSchema.safeParse({
    receiver: form.get("receiver"),
    energy: form.get("energy"),
    duration: form.get("duration"),
    idempotencyKey: form.get("idempotencyKey"),
    quote: form.get("quote") ?? undefined,
  });
  if (!p.success) {
    const fields: Record<string, string> = {};
    for (const i of p.error.issues) {
      const k = String(i.path[0]);
      if (k === "receiver") fields.receiver = t("address-empty");
      else if (k === "energy") fields.energy = t("error-energy_whole");
      else if (k === "duration") fields.duration = t("error-unknown_duration");
      else return { status: "failed", code: "bad_request", message: t("error-generic") };
    }
    return { status: "invalid_data", fields };
  }
  if (p.data.receiver === "") return { status: "invalid_data", fields: { receiver: t("address-empty") } };
  try {
    const { order } = await createOrder({
      userId,
      receiver: p.data.receiver,
      energy: p.data.energy,
      duration: p.data.duration,
      source: "portal",
      idempotencyKey: `portal:${p.data.idempotencyKey}`,
      quoteToken: p.data.quote || undefined,
    });
    return { status: "success", orderId: order.id };
  } catch (e) {
    const l = localizeError(e, t, { address: "receiver" });
    if (Object.keys(l.fields).length)
      return {
        status: "invalid_data",
        fields: l.fields,
        ...(l.maxEnergy ? { maxEnergy: l.maxEnergy } : {}),
      };
    return { status: "failed", code: l.code, message: l.message };
  }
}
