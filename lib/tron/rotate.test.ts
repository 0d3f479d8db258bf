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
import { decryptSecret, decryptSupplierKey, encryptSecret, importKey, keyIdOf } from "./keys";
import { rotateStoredSecrets } from "./rotate";

/**
 * A rotation re-encrypts every stored secret under its ring's new key, not only supplier keys:
 * API callback secrets and admin TOTP secrets left on an old key would break callback signing and
 * lock two-factor admins out once that key is dropped (the last step of a rotation).
 */
const saved = {
  KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY,
  KEY_ENCRYPTION_KEY_ID: process.env.KEY_ENCRYPTION_KEY_ID,
  KEY_ENCRYPTION_OLD_KEYS: process.env.KEY_ENCRYPTION_OLD_KEYS,
  DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY,
  DATA_ENCRYPTION_KEY_ID: process.env.DATA_ENCRYPTION_KEY_ID,
  DATA_ENCRYPTION_OLD_KEYS: process.env.DATA_ENCRYPTION_OLD_KEYS,
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
    const d1 = randomBytes(32).toString("base64");
    const d2 = randomBytes(32).toString("base64");
    keys({
      KEY_ENCRYPTION_KEY: k1,
      KEY_ENCRYPTION_KEY_ID: "r1",
      KEY_ENCRYPTION_OLD_KEYS: "",
      DATA_ENCRYPTION_KEY: d1,
      DATA_ENCRYPTION_KEY_ID: "s1",
      DATA_ENCRYPTION_OLD_KEYS: "",
    });
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
      keys({
        KEY_ENCRYPTION_KEY: k2,
        KEY_ENCRYPTION_KEY_ID: "r2",
        KEY_ENCRYPTION_OLD_KEYS: `r1:${k1}`,
        DATA_ENCRYPTION_KEY: d2,
        DATA_ENCRYPTION_KEY_ID: "s2",
        DATA_ENCRYPTION_OLD_KEYS: `s1:${d1}`,
      });
      const dry = await rotateStoredSecrets({ dryRun: true });
      expect(dry.rotated).toBeGreaterThanOrEqual(3);
      const report = await rotateStoredSecrets();
      expect(report.rotated).toBeGreaterThanOrEqual(3);
      expect(report.lines.join("\n")).not.toContain(pk);
      // the old key is dropped: everything still opens
      keys({
        KEY_ENCRYPTION_KEY: k2,
        KEY_ENCRYPTION_KEY_ID: "r2",
        KEY_ENCRYPTION_OLD_KEYS: "",
        DATA_ENCRYPTION_KEY: d2,
        DATA_ENCRYPTION_KEY_ID: "s2",
        DATA_ENCRYPTION_OLD_KEYS: "",
      });
      const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, wallet.id));
      expect(w.keyId).toBe("r2");
      expect(keyIdOf(w.encryptedKey!)).toBe("r2");
      expect(TronWeb.address.fromPrivateKey(await decryptSupplierKey(w.encryptedKey!))).toBe(
        acct.address.base58,
      );
      expect((await getCallbackSecret(apiKey.id))?.secret).toBe(callbackSecret);
      const [a] = await db.select().from(admins).where(eq(admins.id, admin.id));
      expect(keyIdOf(a.totpSecret!)).toBe("s2");
      expect(decryptSecret(a.totpSecret!)).toBe("JBSWY3DPEHPK3PXP");
      // a second run finds nothing to do for these rows
      const again = await rotateStoredSecrets({ dryRun: true });
      expect(again.current).toBeGreaterThanOrEqual(3);
    } finally {
      // back to the suite's key, so later suites can read what this one re-sealed
      keys({
        ...saved,
        KEY_ENCRYPTION_OLD_KEYS: `r2:${k2},r1:${k1}`,
        DATA_ENCRYPTION_OLD_KEYS: `s2:${d2},s1:${d1}`,
      });
      await rotateStoredSecrets();
      await db.delete(supplierWallets).where(eq(supplierWallets.id, wallet.id));
      await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, apiKey.id));
    }
  });
});
