import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiKeys } from "@/db/schema";
import { decryptSecret } from "@/lib/tron/keys";
import { createUser } from "@/lib/users";
import { createApiKey, listApiKeys, MAX_KEYS_PER_USER, revokeApiKey, verifyApiKey } from "./keys";

describe("API keys", () => {
  beforeAll(async () => {
    await getDb(); // the embedded database starts (and migrates) here, under the hook timeout
  });

  it("stores only the SHA-256 and the prefix; the callback secret encrypted", async () => {
    const u = await createUser();
    const { key, callbackSecret, apiKey } = await createApiKey({ userId: u.id, name: "  bot  " });
    expect(key).toMatch(/^teh_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    expect(callbackSecret).toMatch(/^teh_whsec_[0-9A-Za-z]{32}$/);
    expect(apiKey.name).toBe("bot");
    const db = await getDb();
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row.keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(key.split("_")[3]);
    expect(row.callbackSecret).not.toContain(callbackSecret);
    expect(decryptSecret(row.callbackSecret)).toBe(callbackSecret);
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
  });

  it("verifies Bearer keys; refuses malformed, unknown and revoked ones", async () => {
    const u = await createUser();
    const { key, apiKey } = await createApiKey({ userId: u.id, name: "k" });
    expect(await verifyApiKey(`Bearer ${key}`)).toMatchObject({ keyId: apiKey.id, userId: u.id });
    for (const h of [
      null,
      "",
      key,
      `Basic ${key}`,
      `Bearer ${key}x`,
      `Bearer ${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`,
    ])
      await expect(verifyApiKey(h)).rejects.toMatchObject({ code: "unauthorized" });
    await revokeApiKey({ userId: u.id, keyId: apiKey.id });
    await expect(verifyApiKey(`Bearer ${key}`)).rejects.toMatchObject({ code: "unauthorized" });
    expect((await listApiKeys({ userId: u.id }))[0].revokedAt).toBeInstanceOf(Date);
  });

  it("validates the name and caps active keys per user", async () => {
    const u = await createUser();
    await expect(createApiKey({ userId: u.id, name: " " })).rejects.toMatchObject({
      code: "bad_request",
      fields: { name: "Give the key a name." },
    });
    for (let i = 0; i < MAX_KEYS_PER_USER; i++) await createApiKey({ userId: u.id, name: `k${i}` });
    await expect(createApiKey({ userId: u.id, name: "one more" })).rejects.toMatchObject({
      code: "invalid_state",
      details: { reason: "key_limit", max: MAX_KEYS_PER_USER },
    });
    const [k] = await listApiKeys({ userId: u.id });
    await revokeApiKey({ userId: u.id, keyId: k.id });
    await expect(createApiKey({ userId: u.id, name: "one more" })).resolves.toBeDefined();
  });
});

describe("API key limit under parallel requests", () => {
  it("15 creations at once make exactly 10 keys; the rest are refused", async () => {
    const u = await createUser();
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        createApiKey({ userId: u.id, name: `p${i}` }).then(
          () => "created",
          (e) => e.code as string,
        ),
      ),
    );
    expect(results.filter((r) => r === "created")).toHaveLength(MAX_KEYS_PER_USER);
    expect(results.filter((r) => r === "invalid_state")).toHaveLength(15 - MAX_KEYS_PER_USER);
    expect(await listApiKeys({ userId: u.id })).toHaveLength(MAX_KEYS_PER_USER);
  });
});
