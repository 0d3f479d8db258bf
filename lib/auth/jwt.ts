import { decode, getToken, type JWT } from "next-auth/jwt";
import { LRUCache } from "lru-cache";

/**
 * Auth.js session tokens are decoded by Auth.js's own `decode` (key derivation, key id, algorithms,
 * 15 s clock tolerance: whatever the installed Auth.js does). A token already verified is not
 * decrypted again: a returning visitor's cookie is the same string on every page view until it is
 * re-issued, so its payload is reused, per salt and secrets, by its exact text (expiry and
 * not-before still checked on every use). Only the holder of that exact authenticated ciphertext
 * can hit an entry. Bounded; the least recently used go first. Decoding a token costs an HKDF, a
 * thumbprint and the decryption, a large part of the session check every portal page and proxy.ts
 * run; bench/session-decode.ts measures both paths.
 */
const VERIFIED_MAX = 10_000;
const verified = new LRUCache<string, LRUCache<string, JWT>>({ max: 8 });
/** Auth.js's `decode` passes jose this tolerance; the cached path applies the same one. */
const CLOCK_TOLERANCE_S = 15;

/** jose's time checks for a payload it verified: `exp` (strictly after now) and `nbf`, with tolerance. */
function inTime(p: JWT, nowS = Math.floor(Date.now() / 1000)): boolean {
  if (typeof p.exp === "number" && p.exp <= nowS - CLOCK_TOLERANCE_S) return false;
  if (typeof p.nbf === "number" && p.nbf > nowS + CLOCK_TOLERANCE_S) return false;
  return true;
}

/** Auth.js's `decode`, remembering the tokens it verified (see above). */
export async function decodeSessionJwt(params: {
  token?: string;
  secret: string | string[];
  salt: string;
}): Promise<JWT | null> {
  const { token, salt } = params;
  if (!token) return null;
  const secrets = Array.isArray(params.secret) ? params.secret : [params.secret];
  const scope = `${salt}\0${secrets.join("\0")}`;
  let seen = verified.get(scope);
  const hit = seen?.get(token);
  if (hit) {
    if (inTime(hit)) return { ...hit };
    seen?.delete(token);
    throw new Error("token expired");
  }
  const payload = await decode({ token, secret: secrets, salt });
  if (!payload) return null;
  if (!seen) {
    seen = new LRUCache({ max: VERIFIED_MAX });
    verified.set(scope, seen);
  }
  seen.set(token, { ...payload });
  return payload;
}

/**
 * The session token in a Cookie header: `__Secure-authjs.session-token` (HTTPS) or
 * `authjs.session-token`, chunked or not, as Auth.js names and salts them. Expired, tampered or
 * foreign tokens → null.
 */
export async function sessionTokenFromCookies(cookie: string, secret: string): Promise<JWT | null> {
  if (!cookie.includes("authjs.session-token")) return null;
  for (const secureCookie of [true, false]) {
    const token = await getToken({
      req: { headers: { cookie } },
      secret,
      secureCookie,
      decode: decodeSessionJwt,
    });
    if (token) return token;
  }
  return null;
}

/** The signed-in user id of a session token (null when it carries none). */
export function userIdOf(token: JWT | null): number | null {
  const id = Number(token?.sub);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** A valid session token with a user, issued less than `updateAgeS` ago (no need to re-issue it). */
export function isFreshSession(token: JWT | null, updateAgeS: number, nowS = Date.now() / 1000): boolean {
  return userIdOf(token) !== null && typeof token?.iat === "number" && nowS - token.iat < updateAgeS;
}
