import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users";
import { consumeLoginToken, createLoginLink, LOGIN_LINK_TTL_MS } from "./login-link";

const reasonOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe("unauthorized");
  return (e as AppError).details?.reason;
};

describe("one-time login links", () => {
  it("signs in once, then refuses the same link", async () => {
    const u = await createUser();
    const { token, url, expiresAt } = await createLoginLink(u.id);
    expect(url).toContain(`/login/link?token=${token}`);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(LOGIN_LINK_TTL_MS);
    expect(await consumeLoginToken(token)).toBe(u.id);
    expect(await reasonOf(consumeLoginToken(token))).toBe("used");
  });

  it("refuses an expired link", async () => {
    const u = await createUser();
    const { token } = await createLoginLink(u.id, new Date(Date.now() - LOGIN_LINK_TTL_MS - 1000));
    expect(await reasonOf(consumeLoginToken(token))).toBe("expired");
  });

  it("refuses unknown and malformed tokens", async () => {
    expect(await reasonOf(consumeLoginToken("x".repeat(43)))).toBe("invalid");
    expect(await reasonOf(consumeLoginToken("bad token!"))).toBe("invalid");
    expect(await reasonOf(consumeLoginToken(""))).toBe("invalid");
  });
});
