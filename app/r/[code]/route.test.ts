import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { devTelegramId, issueDevLoginToken } from "@/lib/auth/dev-login";
import { invitedStartParam } from "@/lib/referrals/invite-cookie";
import { findOrCreateTelegramUser } from "@/lib/users";
import { inRequest } from "@/test/request-scope";
import { GET } from "./route";

vi.mock("next/headers", async (next) => (await import("@/test/request-scope")).headersIn(await next()));

const get = (code: string) =>
  GET(new Request(`http://localhost/r/${encodeURIComponent(code)}`), { params: Promise.resolve({ code }) });

async function userNamed(name: string) {
  const db = await getDb();
  const [u] = await db
    .select()
    .from(users)
    .where(eq(users.telegramId, devTelegramId(name)));
  return u;
}

describe("GET /r/<code> and the portal sign-in it leads to", () => {
  it("keeps a well-formed code in a cookie and opens the sign-in page", async () => {
    const res = await get("AbC_12-x");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^invite=AbC_12-x; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax/);
  });

  it("a malformed code sets no cookie and still opens the sign-in page", async () => {
    for (const bad of ["a", "x".repeat(40), "<script>", "a b", "ab;cd=1"]) {
      const res = await get(bad);
      expect(res.status, bad).toBe(303);
      expect(res.headers.get("location"), bad).toBe("/login");
      expect(res.headers.get("set-cookie"), bad).toBeNull();
    }
  });

  it("the development sign-in of a new account carries the invite; an existing account keeps no referrer", async () => {
    const { user: referrer } = await findOrCreateTelegramUser({
      id: 6_400_000_000 + Math.floor(Math.random() * 1e8),
    });
    const name = `invited ${Math.random().toString(36).slice(2, 10)}`;
    await inRequest({ cookies: { invite: referrer.referralCode } }, async () => {
      expect(await invitedStartParam()).toBe(`ref_${referrer.referralCode}`);
      await issueDevLoginToken(name, { startParam: await invitedStartParam() });
    });
    expect((await userNamed(name)).referredByUserId).toBe(referrer.id);
    // an account that signed in before is not referred by a later invite
    const other = `plain ${Math.random().toString(36).slice(2, 10)}`;
    await issueDevLoginToken(other);
    await inRequest({ cookies: { invite: referrer.referralCode } }, async () => {
      await issueDevLoginToken(other, { startParam: await invitedStartParam() });
    });
    expect((await userNamed(other)).referredByUserId).toBeNull();
    // a tampered cookie is ignored
    await inRequest({ cookies: { invite: "<bad>" } }, async () => {
      expect(await invitedStartParam()).toBeNull();
    });
  });
});
