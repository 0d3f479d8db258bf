import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { TronWeb, utils } from "tronweb";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { admins, apiKeys, supplierWallets } from "@/db/schema";
import { createAdmin } from "@/lib/admin/auth";
import { createApiKey, getCallbackSecret } from "@/lib/api/keys";
import { reloadEnv } from "@/lib/env";
import { createUser } from "@/lib/users";
import { decryptSecret, encryptSecret, importKey, keyIdOf } from "./keys";
import { rotateStoredSecrets } from "./rotate";

/**
 * Rotating KEY_ENCRYPTION_KEY re-encrypts every secret sealed with it, not only supplier keys:
 * before, API callback secrets and admin TOTP secrets stayed on the old key, so dropping it (the
 * last step of a rotation) broke callback signing and locked two-factor admins out.
 */
const saved = {
  KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY,
  KEY_ENCRYPTION_KEY_ID: process.env.KEY_ENCRYPTION_KEY_ID,
  KEY_ENCRYPTION_OLD_KEYS: process.env.KEY_ENCRYPTION_OLD_KEYS,
};
function keys(vars: Partial<typeof saved>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnv();
}
afterAll(() => keys(saved));

describe("npm run keys:rotate", () => {
  it("moves wallet keys, API callback secrets and admin TOTP secrets to the new key", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    keys({ KEY_ENCRYPTION_KEY: k1, KEY_ENCRYPTION_KEY_ID: "r1", KEY_ENCRYPTION_OLD_KEYS: "" });
    const db = await getDb();
    const acct = utils.accounts.generateAccount();
    const pk = acct.privateKey.replace(/^0x/, "");
    const sealed = importKey(acct.address.base58, pk);
    const [wallet] = await db
      .insert(supplierWallets)
      .values({
        address: sealed.address,
        encryptedKey: sealed.ciphertext,
        keyId: sealed.keyId,
        status: "disabled",
      })
      .returning();
    const user = await createUser();
    const { apiKey, callbackSecret } = await createApiKey({ userId: user.id, name: "rotate" });
    const { admin } = await createAdmin({
      email: `rot-${randomUUID()}@test.example`,
      role: "viewer",
      password: "long enough password",
    });
    await db
      .update(admins)
      .set({ totpSecret: encryptSecret("JBSWY3DPEHPK3PXP") })
      .where(eq(admins.id, admin.id));
    try {
      // the rotation: new key current, old key kept for decryption while the script runs
      keys({ KEY_ENCRYPTION_KEY: k2, KEY_ENCRYPTION_KEY_ID: "r2", KEY_ENCRYPTION_OLD_KEYS: `r1:${k1}` });
      const dry = await rotateStoredSecrets({ dryRun: true });
      expect(dry.rotated).toBeGreaterThanOrEqual(3);
      const report = await rotateStoredSecrets();
      expect(report.rotated).toBeGreaterThanOrEqual(3);
      expect(report.lines.join("\n")).not.toContain(pk);
      // the old key is dropped: everything still opens
      keys({ KEY_ENCRYPTION_KEY: k2, KEY_ENCRYPTION_KEY_ID: "r2", KEY_ENCRYPTION_OLD_KEYS: "" });
      const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, wallet.id));
      expect(w.keyId).toBe("r2");
      expect(keyIdOf(w.encryptedKey!)).toBe("r2");
      expect(TronWeb.address.fromPrivateKey(decryptSecret(w.encryptedKey!))).toBe(acct.address.base58);
      expect((await getCallbackSecret(apiKey.id))?.secret).toBe(callbackSecret);
      const [a] = await db.select().from(admins).where(eq(admins.id, admin.id));
      expect(decryptSecret(a.totpSecret!)).toBe("JBSWY3DPEHPK3PXP");
      // a second run finds nothing to do for these rows
      const again = await rotateStoredSecrets({ dryRun: true });
      expect(again.current).toBeGreaterThanOrEqual(3);
    } finally {
      // back to the suite's key, so later suites can read what this one re-sealed
      keys({ ...saved, KEY_ENCRYPTION_OLD_KEYS: `r2:${k2},r1:${k1}` });
      await rotateStoredSecrets();
      await db.delete(supplierWallets).where(eq(supplierWallets.id, wallet.id));
      await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, apiKey.id));
    }
  });
});
