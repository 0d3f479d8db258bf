import { AppError } from "@/lib/errors";

/** Order ids in URLs: digits only; anything else is simply "not found" (never an error page). */
export function parseOrderId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new AppError("not_found", "Order not found.");
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError("not_found", "Order not found.");
  return n;
}
