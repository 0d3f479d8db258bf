import { z } from "zod";

/**
 * JSON.parse that keeps large integers exact: integer literals of 16+ digits outside strings are
 * turned into strings first (the node prints int64 sun amounts as JSON numbers, and Number loses
 * precision above 2^53). The `int` schema below accepts both forms and yields bigint.
 *
 * Kept instead of a library because it is clearly faster on the client's real replies: one scan
 * for long digit runs, then the platform's JSON.parse, where lossless-json and json-bigint parse
 * every character in JavaScript. `npm run bench:http` (devnet replies, same run, mean / p50 µs per
 * parse): a 228 KB page of 20 blocks with 200 transfers, JSON.parse 709 / 409 (the ceiling, not
 * exact), this 1,472 / 809, json-bigint 1.0.0 2,817 / 1,722, lossless-json 4.3.3 5,847 / 4,050;
 * one block's receipts (4.7 KB), this 38 / 18, json-bigint 168 / 44, lossless-json 242 / 51.
 */
export function parseJsonBig(text: string): unknown {
  const n = text.length;
  let out = "";
  let last = 0;
  let inStr = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i += 2;
      else {
        if (c === 34) inStr = false;
        i++;
      }
      continue;
    }
    if (c === 34) {
      inStr = true;
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = c === 45 ? i + 1 : i;
      const start = j;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text[j];
      if (j - start >= 16 && next !== "." && next !== "e" && next !== "E") {
        out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/** An integer from the node: JSON number (safe), decimal string, or bigint → bigint. Never a float. */
export const int = z.union([z.number(), z.string(), z.bigint()]).transform((v, ctx): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return BigInt(v);
    ctx.addIssue({ code: "custom", message: "not a safe integer" });
    return z.NEVER;
  }
  if (/^-?\d+$/.test(v)) return BigInt(v);
  ctx.addIssue({ code: "custom", message: "not an integer string" });
  return z.NEVER;
});

/** Optional integer with default 0n (the node omits zero-valued fields). */
export const int0 = int.optional().transform((v) => v ?? 0n);

/** Non-money integer (block numbers, timestamps) that fits in a JS number. */
export const num0 = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .optional()
  .transform((v) => (v === undefined ? 0 : Number(v)));

/** Hex of UTF-8 text (node `message` fields with visible=false) → text; plain text passes through. */
export function hexToText(s: string | undefined): string {
  if (!s) return "";
  if (/^([0-9a-fA-F]{2})+$/.test(s)) {
    const t = Buffer.from(s, "hex").toString("utf8");
    // Only accept it if it decodes to printable text.
    if (isPrintable(t)) return t;
  }
  return s;
}

function isPrintable(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return false;
  }
  return true;
}
