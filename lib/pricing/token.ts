import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { authSecret } from "@/lib/auth/auth.config";

/**
 * A held quote as a signed token: `<payload>.<signature>`, both base64url, the signature an
 * HMAC-SHA256 of the payload under a key derived from AUTH_SECRET. The payload says who may use it
 * (a user id, or anyone on the channel), for what (energy, duration, reseller or not), at what price
 * and until when. Nothing is stored: a token that verifies is the price the user confirmed; one
 * whose signature or shape is wrong is refused as tampered.
 */
export type HeldQuote = {
  id: string;
  /** The user it was issued to, or null (the public price endpoint: any API customer). */
  userId: number | null;
  energy: bigint;
  duration: string;
  reseller: boolean;
  priceSun: bigint;
  expiresAt: Date;
};

const payloadSchema = z.strictObject({
  v: z.literal(1),
  i: z.string().regex(/^[\w-]{8,32}$/),
  u: z.number().int().positive().nullable(),
  e: z.string().regex(/^\d{1,15}$/),
  d: z.string().max(10),
  r: z.boolean(),
  p: z.string().regex(/^\d{1,22}$/),
  x: z.number().int().positive(),
});

const key = () => createHmac("sha256", authSecret()).update("quote-token/v1").digest();
const sign = (payload: string) => createHmac("sha256", key()).update(payload).digest("base64url");

export function signQuote(q: Omit<HeldQuote, "id"> & { id?: string }): { id: string; token: string } {
  const id = q.id ?? randomBytes(9).toString("base64url");
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      i: id,
      u: q.userId,
      e: q.energy.toString(),
      d: q.duration,
      r: q.reseller,
      p: q.priceSun.toString(),
      x: q.expiresAt.getTime(),
    }),
  ).toString("base64url");
  return { id, token: `${payload}.${sign(payload)}` };
}

/** The quote a token holds, or null when it was not signed here or was altered (expiry is the caller's). */
export function readQuoteToken(token: string): HeldQuote | null {
  if (token.length > 600) return null;
  const m = /^([\w-]+)\.([\w-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(sign(m[1]));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const p = payloadSchema.safeParse(raw);
  if (!p.success) return null;
  return {
    id: p.data.i,
    userId: p.data.u,
    energy: BigInt(p.data.e),
    duration: p.data.d,
    reseller: p.data.r,
    priceSun: BigInt(p.data.p),
    expiresAt: new Date(p.data.x),
  };
}
