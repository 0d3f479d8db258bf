import { AppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { getSettings } from "@/lib/settings";
import { tron } from "@/lib/tron/client";
import { checkLine, duplicateError, duplicateLines } from "./create";
import type { RawBatchLine } from "./parse";

/**
 * The review before a batch is confirmed: every line checked as createOrder would (address form,
 * activation on chain, energy range, duration) and quoted, repeated receivers marked, the total of
 * the valid lines against the balance. Capacity and the balance are checked again, line by line,
 * when the batch is placed: the preview says what would be ordered now, not a promise.
 */
export type PreviewLine = {
  lineNo: number;
  input: RawBatchLine;
  receiver: string | null;
  energy: bigint | null;
  durationKey: string | null;
  priceSun: bigint | null;
  error: AppError | null;
};

export type BatchPreview = {
  lines: PreviewLine[];
  validCount: number;
  totalEnergy: bigint;
  totalPriceSun: bigint;
  balanceSun: bigint;
  /** The valid lines cost more than the balance: the last ones will be rejected. */
  short: boolean;
  maxLines: number;
};

/** Chain look-ups run this many at a time. */
const LOOKUPS_AT_ONCE = 8;

async function activationErrors(addresses: string[]): Promise<Map<string, AppError>> {
  const out = new Map<string, AppError>();
  const unique = [...new Set(addresses)];
  for (let i = 0; i < unique.length; i += LOOKUPS_AT_ONCE) {
    await Promise.all(
      unique.slice(i, i + LOOKUPS_AT_ONCE).map(async (a) => {
        const acct = await tron().getAccount(a);
        if (!acct.activated)
          out.set(
            a,
            new AppError(
              "not_activated",
              "This address is not activated on TRON yet: send it any amount of TRX first.",
            ),
          );
        else if (acct.isContract)
          out.set(
            a,
            new AppError(
              "invalid_address",
              "This is a smart-contract address: energy cannot be delegated to a contract.",
              { details: { reason: "contract" } },
            ),
          );
      }),
    );
  }
  return out;
}

export async function previewBatch(input: { userId: number; lines: RawBatchLine[] }): Promise<BatchPreview> {
  const settings = await getSettings();
  if (input.lines.length === 0)
    throw new AppError("bad_request", "Add at least one receiver.", {
      fields: { lines: "Add at least one receiver." },
      details: { reason: "no_lines" },
    });
  if (input.lines.length > settings.batchMaxLines) {
    const m = `A batch has at most ${settings.batchMaxLines} lines; this one has ${input.lines.length}.`;
    throw new AppError("bad_request", m, {
      fields: { lines: m },
      details: { reason: "too_many_lines", max: settings.batchMaxLines, count: input.lines.length },
    });
  }
  const checks = input.lines.map((l) => checkLine(settings, l));
  const dups = duplicateLines(checks.map((c) => (c.ok ? c.receiver : null)));
  const toLook = checks.flatMap((c, i) => (c.ok && !dups.has(i) ? [c.receiver] : []));
  const [inactive, balanceSun] = await Promise.all([activationErrors(toLook), getBalance(input.userId)]);
  let totalEnergy = 0n;
  let totalPriceSun = 0n;
  let validCount = 0;
  const lines = input.lines.map((l, i): PreviewLine => {
    const c = checks[i];
    const first = dups.get(i);
    let error: AppError | null = c.ok ? null : c.error;
    if (!error && first !== undefined) error = duplicateError(first + 1);
    if (!error && c.ok) error = inactive.get(c.receiver) ?? null;
    if (!error && c.ok) {
      validCount++;
      totalEnergy += c.energy;
      totalPriceSun += c.priceSun;
    }
    return {
      lineNo: i + 1,
      input: l,
      receiver: c.ok ? c.receiver : null,
      energy: c.ok ? c.energy : null,
      durationKey: c.ok ? c.durationKey : null,
      priceSun: c.ok ? c.priceSun : null,
      error,
    };
  });
  return {
    lines,
    validCount,
    totalEnergy,
    totalPriceSun,
    balanceSun,
    short: totalPriceSun > balanceSun,
    maxLines: settings.batchMaxLines,
  };
}
