import { hkdfSync } from "node:crypto";
import { getToken, type JWT } from "next-auth/jwt";
import { base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";
import { LRUCache } from "lru-cache";

/**
 * Auth.js session tokens (JWE, `dir` + A256CBC-HS512, key derived from AUTH_SECRET by HKDF with the
 * cookie name as salt), decoded exactly as Auth.js's own `decode` does, except that the derived key
 * and its thumbprint are computed once per secret and salt instead of on every request, and a token
 * already verified is not decrypted again (below): HKDF, a SHA-512 thumbprint, the decryption and
 * their async WebCrypto jobs were a large part of the session check that every portal page and
 * proxy.ts runs, twice per page view. Encoding stays Auth.js's own.
 */
type Derived = { key: Uint8Array; kid: string };
const derived = new LRUCache<string, Promise<Derived>>({ max: 32 });

function deriveKey(enc: string, secret: string, salt: string): Promise<Derived> {
  const k = `${enc}\0${salt}\0${secret}`;
  let d = derived.get(k);
  if (!d) {
    const length = enc === "A256CBC-HS512" ? 64 : enc === "A256GCM" ? 32 : 0;
    if (!length) return Promise.reject(new Error("Unsupported JWT Content Encryption Algorithm"));
    const key = new Uint8Array(
      hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length),
    );
    d = calculateJwkThumbprint(
      { kty: "oct", k: base64url.encode(key) },
      length === 64 ? "sha512" : "sha256",
    ).then((kid) => ({ key, kid }));
    derived.set(k, d);
  }
  return d;
}

/**
 * Tokens already decrypted and verified here, per salt and secrets, by their exact text: a
 * returning visitor's cookie is the same string on every page view until it is re-issued, so its
 * payload is reused (expiry and not-before still checked on every use). Only the holder of that
 * exact authenticated ciphertext can hit an entry. Bounded; the least recently used go first.
 */
const VERIFIED_MAX = 10_000;
const verified = new LRUCache<string, LRUCache<string, JWT>>({ max: 8 });
const CLOCK_TOLERANCE_S = 15;

/** jose's time checks for a payload it verified: `exp` (strictly after now) and `nbf`, with tolerance. */
function inTime(p: JWT, nowS = Math.floor(Date.now() / 1000)): boolean {
  if (typeof p.exp === "number" && p.exp <= nowS - CLOCK_TOLERANCE_S) return false;
  if (typeof p.nbf === "number" && p.nbf > nowS + CLOCK_TOLERANCE_S) return false;
  return true;
}

/** Auth.js's `decode` (same checks: key id, algorithms, 15 s clock tolerance), with cached keys. */
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
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      for (const secret of secrets) {
        const d = await deriveKey(enc, secret, salt);
        if (kid === undefined || kid === d.kid) return d.key;
      }
      throw new Error("no matching decryption secret");
    },
    {
      clockTolerance: CLOCK_TOLERANCE_S,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: [enc, "A256GCM"],
    },
  );
  if (!seen) {
    seen = new LRUCache({ max: VERIFIED_MAX });
    verified.set(scope, seen);
  }
  seen.set(token, { ...(payload as JWT) });
  return payload as JWT;
}
const enc = "A256CBC-HS512";

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
