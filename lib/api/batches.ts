import { asc, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations, orders } from "@/db/schema";
import { type BatchDetail, createBatch, getBatch } from "@/lib/batches";
import { apiError } from "./handler";
import type { ApiCaller } from "./keys";
import type { BatchJson, CreateBatchBody } from "./schemas";
import { orderToJson } from "./serialize";

/** The reseller API's batch use cases: thin adapters over lib/batches. */

/** Batch keys are per key owner, in their own namespace beside the orders' (`api:<key>`). */
const batchIdempotencyKey = (header: string) => `api:${header}`;

async function batchToJson(b: BatchDetail): Promise<BatchJson> {
  const ids = b.lines.flatMap((l) => (l.orderId ? [l.orderId] : []));
  const db = await getDb();
  const [os, parts]: [(typeof orders.$inferSelect)[], Delegation[]] = ids.length
    ? await Promise.all([
        db.select().from(orders).where(inArray(orders.id, ids)),
        db.select().from(delegations).where(inArray(delegations.orderId, ids)).orderBy(asc(delegations.id)),
      ])
    : [[], []];
  const byId = new Map(os.map((o) => [o.id, o]));
  return {
    id: String(b.id),
    status: b.placedAt ? "placed" : "placing",
    idempotency_key: b.idempotencyKey.startsWith("api:") ? b.idempotencyKey.slice(4) : null,
    line_count: b.lineCount,
    ordered_count: b.lines.filter((l) => l.status === "ordered").length,
    rejected_count: b.lines.filter((l) => l.status === "rejected").length,
    total_energy: Number(b.lines.reduce((s, l) => s + (l.order?.energy ?? 0n), 0n)),
    total_price_sun: b.paidSun.toString(),
    refunded_sun: b.refundedSun.toString(),
    created_at: b.createdAt.toISOString(),
    placed_at: b.placedAt ? b.placedAt.toISOString() : null,
    lines: b.lines.map((l) => {
      const o = l.orderId ? byId.get(l.orderId) : undefined;
      return {
        line: l.lineNo,
        receiver: l.receiver,
        energy: /^\d{1,15}$/.test(l.energy) ? Number(l.energy) : null,
        duration: l.duration,
        status: l.status,
        order: o ? orderToJson(o, parts) : null,
        error:
          l.status === "rejected"
            ? { code: l.errorCode ?? "bad_request", message: l.errorMessage ?? "" }
            : null,
      };
    }),
  };
}

export async function createApiBatch(input: {
  caller: ApiCaller;
  body: CreateBatchBody;
  idempotencyKey: string;
}): Promise<{ batch: BatchJson; created: boolean }> {
  const { batchId, created } = await createBatch({
    userId: input.caller.userId,
    source: "api",
    idempotencyKey: batchIdempotencyKey(input.idempotencyKey),
    apiKeyId: input.caller.keyId,
    lines: input.body.lines,
  });
  return { batch: await batchToJson(await getBatch({ batchId, userId: input.caller.userId })), created };
}

export async function getApiBatch(input: { caller: ApiCaller; batchId: string }): Promise<BatchJson> {
  const id = Number(input.batchId);
  if (!/^\d{1,18}$/.test(input.batchId) || !Number.isSafeInteger(id) || id <= 0)
    throw apiError("not_found", "Batch not found.");
  return batchToJson(await getBatch({ batchId: id, userId: input.caller.userId }));
}
