import { describe, expect, it } from "vitest";
import { hashPassword, oneTimePassword, verifyPassword } from "./password";

describe("admin passwords", () => {
  it("hashes with argon2id and verifies", async () => {
    const h = await hashPassword("correct horse");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(h, "correct horse")).toBe(true);
    expect(await verifyPassword(h, "wrong")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });

  it("makes distinct readable one-time passwords", () => {
    const a = oneTimePassword();
    expect(a).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
    expect(oneTimePassword()).not.toBe(a);
  });
});
