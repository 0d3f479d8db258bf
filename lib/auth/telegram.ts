import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Server-side checks of the two ways Telegram vouches for a user:
 * - the Login Widget (https://core.telegram.org/widgets/login#checking-authorization):
 *   hash = HMAC-SHA256(key = SHA256(bot token), data-check-string), hex;
 * - Mini App initData (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
 *   secret = HMAC-SHA256(key = "WebAppData", bot token), hash = HMAC-SHA256(secret, data-check-string), hex.
 * The data-check-string is every received field except `hash`, as `key=value`, sorted by key,
 * joined with "\n". Both also require `auth_date` to be recent (default: one day).
 */
const TELEGRAM_AUTH_MAX_AGE_S = 86_400;
/** Clock skew tolerated for an `auth_date` in the future. */
const FUTURE_SKEW_S = 300;

type TelegramAuthFailure = "missing_token" | "malformed" | "bad_hash" | "stale";

export class TelegramAuthError extends Error {
  constructor(readonly reason: TelegramAuthFailure) {
    super(`Telegram sign-in data rejected: ${reason}`);
    this.name = "TelegramAuthError";
  }
}

type VerifiedTelegramUser = {
  id: number;
  username: string | null;
  first_name: string | null;
  language_code: string | null;
  authDate: number;
};

const hexHash = z.string().regex(/^[0-9a-f]{64}$/i);

function dataCheckString(fields: Iterable<[string, string]>): string {
  return [...fields]
    .filter(([k]) => k !== "hash")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}

function sameHex(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, "hex");
  const b = Buffer.from(givenHex.toLowerCase(), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkFreshness(authDate: number, nowS: number, maxAgeS: number) {
  if (!Number.isSafeInteger(authDate) || authDate <= 0) throw new TelegramAuthError("malformed");
  if (nowS - authDate > maxAgeS || authDate - nowS > FUTURE_SKEW_S) throw new TelegramAuthError("stale");
}

type Opts = { botToken: string | undefined; now?: Date; maxAgeS?: number };

const widgetSchema = z.object({
  id: z.coerce.number().int().positive(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  photo_url: z.string().max(2048).optional(),
  auth_date: z.coerce.number().int().positive(),
  hash: hexHash,
});

/**
 * Verifies the fields the Login Widget hands to its callback (all values as strings, as they arrive
 * in a form or query string). Unknown fields are part of the signed data, so they are kept for the
 * check but ignored afterwards.
 */
export function verifyLoginWidget(data: Record<string, unknown>, opts: Opts): VerifiedTelegramUser {
  if (!opts.botToken) throw new TelegramAuthError("missing_token");
  const fields: [string, string][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null || v === "") continue;
    if (typeof v !== "string" && typeof v !== "number") throw new TelegramAuthError("malformed");
    if (!/^[a-z_]{1,32}$/.test(k)) throw new TelegramAuthError("malformed");
    fields.push([k, String(v)]);
  }
  const parsed = widgetSchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) throw new TelegramAuthError("malformed");
  const secret = createHash("sha256").update(opts.botToken).digest();
  const expected = createHmac("sha256", secret).update(dataCheckString(fields)).digest("hex");
  if (!sameHex(expected, parsed.data.hash)) throw new TelegramAuthError("bad_hash");
  checkFreshness(parsed.data.auth_date, nowSeconds(opts.now), opts.maxAgeS ?? TELEGRAM_AUTH_MAX_AGE_S);
  return {
    id: parsed.data.id,
    username: parsed.data.username ?? null,
    first_name: parsed.data.first_name ?? null,
    language_code: null,
    authDate: parsed.data.auth_date,
  };
}

const initDataUser = z.object({
  id: z.number().int().positive(),
  first_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

type VerifiedInitData = VerifiedTelegramUser & { startParam: string | null };

/** Verifies a Mini App `Telegram.WebApp.initData` string (the raw, URL-encoded query string). */
export function verifyInitData(initData: string, opts: Opts): VerifiedInitData {
  if (!opts.botToken) throw new TelegramAuthError("missing_token");
  if (typeof initData !== "string" || initData.length === 0 || initData.length > 8192)
    throw new TelegramAuthError("malformed");
  const params = new URLSearchParams(initData);
  const fields = [...params.entries()];
  const keys = new Set(fields.map(([k]) => k));
  if (keys.size !== fields.length) throw new TelegramAuthError("malformed");
  const hash = params.get("hash");
  if (!hash || !hexHash.safeParse(hash).success) throw new TelegramAuthError("malformed");
  const secret = createHmac("sha256", "WebAppData").update(opts.botToken).digest();
  const expected = createHmac("sha256", secret).update(dataCheckString(fields)).digest("hex");
  if (!sameHex(expected, hash)) throw new TelegramAuthError("bad_hash");
  const authDate = Number(params.get("auth_date"));
  checkFreshness(authDate, nowSeconds(opts.now), opts.maxAgeS ?? TELEGRAM_AUTH_MAX_AGE_S);
  let user: z.infer<typeof initDataUser>;
  try {
    user = initDataUser.parse(JSON.parse(params.get("user") ?? ""));
  } catch {
    throw new TelegramAuthError("malformed");
  }
  return {
    id: user.id,
    username: user.username ?? null,
    first_name: user.first_name ?? null,
    language_code: user.language_code ?? null,
    authDate,
    startParam: params.get("start_param"),
  };
}

const nowSeconds = (now?: Date) => Math.floor((now ?? new Date()).getTime() / 1000);

/** Test and tooling helper: signs Login Widget fields the way Telegram does. */
export function signLoginWidget(fields: Record<string, string | number>, botToken: string): string {
  const secret = createHash("sha256").update(botToken).digest();
  const entries = Object.entries(fields).map(([k, v]) => [k, String(v)] as [string, string]);
  return createHmac("sha256", secret).update(dataCheckString(entries)).digest("hex");
}

/** Test and tooling helper: builds an initData string signed the way Telegram does. */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const hash = createHmac("sha256", secret)
    .update(dataCheckString(Object.entries(fields)))
    .digest("hex");
  return new URLSearchParams({ ...fields, hash }).toString();
}
