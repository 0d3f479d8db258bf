import { createHash } from "node:crypto";
import { and, asc, eq, isNull, like, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, isUniqueViolation } from "@/db";
import { type Batch, type BatchLine, batches, batchLines, orders, users } from "@/db/schema";
import { AppError, busyIfDbTimeout, fieldErrorsFromZod, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { createOrder } from "@/lib/orders";
import { quoteWith } from "@/lib/pricing";
import { getSettings, type Settings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";

/**
 * Batch orders: many receivers in one action. Each line becomes a normal order through
 * lib/orders' createOrder (its own quote, capacity check, ledger debit and lifecycle), with the
 * per-user idempotency key `batch:<batch id>:<line no>`, so a line is debited at most once however
 * often its placement is retried.
 *
 * Rules (docs/batches.md):
 * - The whole batch is refused (nothing stored) when its shape is wrong: no lines, more lines than
 *   the `batchMaxLines` setting, a field of the wrong type, ordering paused, the account banned.
 * - Otherwise the batch and all its lines are stored, then the lines are placed one by one in the
 *   order given. A line that cannot be ordered (bad address, not activated, energy out of range,
 *   unknown duration, no capacity, the balance no longer covering it…) is `rejected` with the
 *   error's code and message and debits nothing; later lines are still tried. So with a balance
 *   enough for only some lines, the lines paid are the ones that still fit when their turn comes,
 *   in list order (a cheaper line after a rejected one may still be paid).
 * - The same receiver twice in one batch: the first line is placed, the later ones are rejected
 *   (`duplicate_receiver`): two rentals of one receiver at once belong in one line with more energy.
 * - The batch's idempotency key (per user) makes the whole submission idempotent: the same key and
 *   lines return the same batch (and finish placing it if it was interrupted); the same key with
 *   other lines is refused (`idempotency_conflict`). Two submissions racing on one key make one
 *   batch: the unique key picks one row, and a claim on the batch row lets one process place lines
 *   at a time.
 * - A transient failure (the TRON node or the database not answering) stops placing: the lines
 *   left stay `pending` and the batch unplaced; a replay of the request, or the `resume-batches`
 *   sweep, places them later under the same keys.
 * - An ordered line's order then lives its own life: delivered, or failed and refunded by the
 *   existing refund rules (only that order, only its price).
 */

const KEY_RE = /^[\x21-\x7e]{1,120}$/;
/** A placement holds the batch this long past its last line; a crashed one is taken over after. */
const CLAIM_SECONDS = 60;

const lineSchema = z.object({
  receiver: z.string().max(200),
  energy: z.union([z.string().max(40), z.number().int().nonnegative()]),
  duration: z.string().max(10),
});

const createSchema = z.object({
  userId: z.number().int().positive(),
  source: z.enum(["bot", "portal", "api", "admin"]),
  idempotencyKey: z.string().regex(KEY_RE, "Use 1–120 printable characters."),
  lines: z.array(lineSchema).min(1, "Add at least one receiver."),
  apiKeyId: z.number().int().positive().optional(),
  telegramChatId: z.number().int().optional(),
});
export type CreateBatchInput = z.input<typeof createSchema>;

export type LineCheck =
  | { ok: true; receiver: string; energy: bigint; durationKey: string; priceSun: bigint }
  | { ok: false; error: AppError };

/** The orderable line's key among the user's orders. */
export const lineOrderKey = (batchId: number, lineNo: number) => `batch:${batchId}:${lineNo}`;

/**
 * What can be said of a line without the chain: the address's form and the quote (energy range,
 * duration), with the same functions createOrder uses, so the preview and the placement agree.
 */
export function checkLine(
  settings: Settings,
  line: { receiver: string; energy: string; duration: string },
): LineCheck {
  try {
    let receiver: string;
    try {
      receiver = parseAddress(line.receiver);
    } catch (e) {
      if (isAppError(e))
        throw new AppError("invalid_address", e.message, {
          fields: { receiver: e.message },
          details: e.details,
        });
      throw e;
    }
    if (line.energy.trim() === "") {
      const m = "Energy is missing: add it to the line or choose one energy for all lines.";
      throw new AppError("energy_out_of_range", m, { fields: { energy: m } });
    }
    if (line.duration.trim() === "") {
      const offered = settings.durations.filter((d) => d.enabled).map((d) => d.key);
      const m = `Duration is missing: add one of ${offered.join(", ")} or choose one for all lines.`;
      throw new AppError("unknown_duration", m, { fields: { duration: m } });
    }
    const q = quoteWith(settings, { energy: line.energy, duration: line.duration.trim() });
    return { ok: true, receiver, energy: q.energy, durationKey: q.durationKey, priceSun: q.priceSun };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: e };
    throw e;
  }
}

/** The duplicate of an earlier line's receiver (first occurrence wins), by line index. */
export function duplicateLines(receivers: (string | null)[]): Map<number, number> {
  const firstAt = new Map<string, number>();
  const dups = new Map<number, number>();
  receivers.forEach((r, i) => {
    if (r === null) return;
    const first = firstAt.get(r);
    if (first === undefined) firstAt.set(r, i);
    else dups.set(i, first);
  });
  return dups;
}

export function duplicateError(firstLineNo: number): AppError {
  return new AppError(
    "conflict",
    `This address is already in line ${firstLineNo} of this batch: each receiver once per batch.`,
    { details: { reason: "duplicate_receiver", line: firstLineNo } },
  );
}

/** The code a rejected line shows: `duplicate_receiver` for a repeated receiver, else the error's own. */
export function lineErrorCode(e: AppError): string {
  return e.details?.reason === "duplicate_receiver" ? "duplicate_receiver" : e.code;
}

function normalizeLines(lines: z.output<typeof lineSchema>[]) {
  return lines.map((l) => ({
    receiver: l.receiver.trim(),
    energy: String(l.energy).trim(),
    duration: l.duration.trim(),
  }));
}

function fingerprintOf(p: {
  source: string;
  apiKeyId?: number;
  lines: { receiver: string; energy: string; duration: string }[];
}): string {
  return createHash("sha256")
    .update(
      JSON.stringify([p.source, p.apiKeyId ?? null, p.lines.map((l) => [l.receiver, l.energy, l.duration])]),
    )
    .digest("hex")
    .slice(0, 32);
}

async function findByKey(userId: number, key: string): Promise<Batch | undefined> {
  const db = await getDb();
  const [b] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.userId, userId), eq(batches.idempotencyKey, key)));
  return b;
}

function checkReplay(existing: Batch, fp: string): void {
  if (existing.fingerprint !== fp)
    throw new AppError("idempotency_conflict", "This request id was already used for a different batch.");
}

/**
 * Creates a batch and places its lines (see the rules above). Returns the batch id and whether
 * this call created it (false: a replay of the same key and lines).
 */
export async function createBatch(input: CreateBatchInput): Promise<{ batchId: number; created: boolean }> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("bad_request", "Some batch fields are not valid.", {
      fields: fieldErrorsFromZod(parsed.error.issues),
    });
  const i = parsed.data;
  const settings = await getSettings();
  const lines = normalizeLines(i.lines);
  const fp = fingerprintOf({ source: i.source, apiKeyId: i.apiKeyId, lines });

  const existing = await findByKey(i.userId, i.idempotencyKey);
  if (existing) {
    checkReplay(existing, fp);
    if (!existing.placedAt) await placeBatch(existing.id);
    return { batchId: existing.id, created: false };
  }
  if (lines.length > settings.batchMaxLines) {
    const m = `A batch has at most ${settings.batchMaxLines} lines; this one has ${lines.length}.`;
    throw new AppError("bad_request", m, {
      fields: { lines: m },
      details: { reason: "too_many_lines", max: settings.batchMaxLines, count: lines.length },
    });
  }
  if (settings.maintenance.enabled)
    throw new AppError(
      "maintenance",
      settings.maintenance.message || "Ordering is paused for maintenance. Please try again later.",
    );
  const db = await getDb();
  const [user] = await db.select({ status: users.status }).from(users).where(eq(users.id, i.userId));
  if (!user) throw new AppError("not_found", "User not found.");
  if (user.status === "banned") throw new AppError("forbidden", "This account cannot place orders.");

  // A receiver repeated among the orderable lines is rejected at once (by canonical address, so hex
  // and Base58 forms match); a line rejected for its own error does not hold its receiver.
  const canonical = lines.map((l) => {
    const c = checkLine(settings, l);
    return c.ok ? c.receiver : null;
  });
  const dups = duplicateLines(canonical);

  let batchId: number;
  try {
    batchId = await db.transaction(async (tx) => {
      const [b] = await tx
        .insert(batches)
        .values({
          userId: i.userId,
          source: i.source,
          idempotencyKey: i.idempotencyKey,
          fingerprint: fp,
          apiKeyId: i.apiKeyId ?? null,
          lineCount: lines.length,
          telegramChatId: i.telegramChatId ?? null,
        })
        .returning({ id: batches.id });
      await tx.insert(batchLines).values(
        lines.map((l, n) => {
          const first = dups.get(n);
          const dup = first === undefined ? null : duplicateError(first + 1);
          return {
            batchId: b.id,
            lineNo: n + 1,
            receiver: l.receiver,
            energy: l.energy,
            duration: l.duration,
            status: dup ? ("rejected" as const) : ("pending" as const),
            errorCode: dup ? lineErrorCode(dup) : null,
            errorMessage: dup?.message ?? null,
            errorDetails: dup?.details ?? null,
          };
        }),
      );
      return b.id;
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const raced = await findByKey(i.userId, i.idempotencyKey);
      if (raced) {
        checkReplay(raced, fp);
        if (!raced.placedAt) await placeBatch(raced.id);
        return { batchId: raced.id, created: false };
      }
    }
    throw e;
  }
  await placeBatch(batchId);
  return { batchId, created: true };
}

/** A failure worth retrying later (the node or the database not answering), not the line's fault. */
function isTransient(e: unknown): boolean {
  const err = busyIfDbTimeout(e);
  if (!isAppError(err)) return true;
  return (
    err.code === "chain_error" ||
    err.code === "provider_unavailable" ||
    err.code === "busy" ||
    err.code === "internal"
  );
}

/**
 * Places the batch's pending lines, in line order, if no other process is placing them now (the
 * claim). Safe to call any number of times: a line already paid is found by its order key, never
 * paid twice. Marks the batch placed (with its totals) once no line is pending. Returns false when
 * another process holds the claim.
 */
export async function placeBatch(batchId: number): Promise<boolean> {
  const db = await getDb();
  const claimed = await db
    .update(batches)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})` })
    .where(
      and(
        eq(batches.id, batchId),
        isNull(batches.placedAt),
        sql`(${batches.claimedUntil} is null or ${batches.claimedUntil} < now())`,
      ),
    )
    .returning();
  const batch = claimed[0];
  if (!batch) return false;
  try {
    const pending = await db
      .select()
      .from(batchLines)
      .where(and(eq(batchLines.batchId, batchId), eq(batchLines.status, "pending")))
      .orderBy(asc(batchLines.lineNo));
    // Lines whose order exists already (a placement interrupted after the debit): link them first.
    if (pending.length) {
      const made = await db
        .select({ id: orders.id, key: orders.idempotencyKey })
        .from(orders)
        .where(and(eq(orders.userId, batch.userId), like(orders.idempotencyKey, `batch:${batchId}:%`)));
      const byKey = new Map(made.map((o) => [o.key, o.id]));
      for (const l of pending) {
        const orderId = byKey.get(lineOrderKey(batchId, l.lineNo));
        if (orderId !== undefined) await markOrdered(l, orderId);
      }
    }
    const settings = await getSettings();
    for (const l of pending) {
      if (l.status !== "pending") continue;
      await placeLine(batch, l, settings);
      await db
        .update(batches)
        .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})` })
        .where(eq(batches.id, batchId));
    }
    await finishBatch(batchId);
    return true;
  } finally {
    await db
      .update(batches)
      .set({ claimedUntil: null })
      .where(eq(batches.id, batchId))
      .catch((e) => logger.warn({ err: e, batchId }, "batches: could not release the claim"));
  }
}

async function markOrdered(line: BatchLine, orderId: number): Promise<void> {
  const db = await getDb();
  await db
    .update(batchLines)
    .set({ status: "ordered", orderId })
    .where(and(eq(batchLines.id, line.id), eq(batchLines.status, "pending")));
  line.status = "ordered";
  line.orderId = orderId;
}

async function markRejected(line: BatchLine, e: AppError): Promise<void> {
  const db = await getDb();
  await db
    .update(batchLines)
    .set({
      status: "rejected",
      errorCode: lineErrorCode(e),
      errorMessage: e.message,
      errorDetails: e.details ?? null,
    })
    .where(and(eq(batchLines.id, line.id), eq(batchLines.status, "pending")));
  line.status = "rejected";
}

async function placeLine(batch: Batch, line: BatchLine, settings: Settings): Promise<void> {
  const check = checkLine(settings, line);
  if (!check.ok) return markRejected(line, check.error);
  try {
    const { order } = await createOrder({
      userId: batch.userId,
      receiver: check.receiver,
      energy: check.energy,
      duration: check.durationKey,
      // a batch is only ever created from these surfaces (createSchema); the column's enum is wider
      source: createSchema.shape.source.parse(batch.source),
      idempotencyKey: lineOrderKey(batch.id, line.lineNo),
      ...(batch.apiKeyId ? { apiKeyId: batch.apiKeyId } : {}),
    });
    await markOrdered(line, order.id);
  } catch (e) {
    if (isTransient(e)) throw e;
    await markRejected(line, e as AppError);
  }
}

/** No line pending → placed, with the counts and the sums of the ordered lines' orders. */
async function finishBatch(batchId: number): Promise<void> {
  const db = await getDb();
  await db.execute(sql`
    update batches b set placed_at = now(),
      ordered_count = s.ordered, rejected_count = s.rejected,
      total_energy = s.energy, total_price_sun = s.price
    from (
      select count(*) filter (where l.status = 'ordered')::int as ordered,
        count(*) filter (where l.status = 'rejected')::int as rejected,
        count(*) filter (where l.status = 'pending')::int as pending,
        coalesce(sum(o.energy), 0) as energy, coalesce(sum(o.price_sun), 0) as price
      from batch_lines l left join orders o on o.id = l.order_id
      where l.batch_id = ${batchId}
    ) s
    where b.id = ${batchId} and b.placed_at is null and s.pending = 0`);
}

/**
 * Batches left unplaced (a process stopped mid-batch, the node was down): placed again by the
 * `resume-batches` sweep once their claim has lapsed. Returns how many were finished.
 */
export async function resumeUnplacedBatches(
  opts: { olderThanSeconds?: number; limit?: number } = {},
): Promise<number> {
  const db = await getDb();
  const due = await db
    .select({ id: batches.id })
    .from(batches)
    .where(
      and(
        isNull(batches.placedAt),
        sql`${batches.createdAt} < now() - make_interval(secs => ${opts.olderThanSeconds ?? 60})`,
        sql`(${batches.claimedUntil} is null or ${batches.claimedUntil} < now())`,
      ),
    )
    .orderBy(asc(batches.createdAt))
    .limit(opts.limit ?? 20);
  let done = 0;
  for (const b of due) {
    try {
      if (await placeBatch(b.id)) done++;
    } catch (e) {
      logger.warn({ err: e, batchId: b.id }, "batches: resuming a batch failed; the next sweep retries");
    }
  }
  return done;
}

/** Sets the Telegram message that shows a bot batch (its result card). */
export async function setBatchMessage(batchId: number, chatId: number, messageId: number): Promise<void> {
  const db = await getDb();
  await db
    .update(batches)
    .set({ telegramChatId: chatId, telegramMessageId: messageId })
    .where(eq(batches.id, batchId));
}
