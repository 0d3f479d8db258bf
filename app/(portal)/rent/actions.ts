"use server";

import { redirect } from "next/navigation";
import { portalContext } from "../_lib/context";
import { createRentOrderFor, type RentFormState } from "./logic";

/** Rent form → paid order → its live page. Errors come back to the form, which keeps its values. */
export async function createRentOrderAction(_prev: RentFormState, form: FormData): Promise<RentFormState> {
  const { user, t } = await portalContext();
  const r = await createRentOrderFor(user.id, form, t);
  if (r.status === "success") redirect(`/orders/${r.orderId}`);
  return r;
}
