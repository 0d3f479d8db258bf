"use server";

import { redirect } from "next/navigation";
import { portalContext } from "../_lib/context";
import { type BatchFormState, batchFormFor } from "./logic";

/** Batch form → preview, or (confirmed) a placed batch → its live page. */
export async function batchFormAction(_prev: BatchFormState, form: FormData): Promise<BatchFormState> {
  const ctx = await portalContext();
  const r = await batchFormFor(ctx.user, form, ctx);
  if (r.status === "success") redirect(`/batch/${r.batchId}`);
  return r;
}
