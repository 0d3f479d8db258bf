import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { energySubscriptions } from "@/db/schema";
import { translator } from "@/lib/i18n";
import { freshReceiver, fundedUser } from "@/lib/orders/testing";
import { getSubscription } from "@/lib/subscriptions";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { changeKeepFor, createKeepFor } from "./logic";

/** The portal's keep-energy page actions: a real user, the devnet, the database. */

const kit = orderKitWithPoolOnce();
const en = translator("en");
const zh = translator("zh");
const form = (o: Record<string, string | number>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, String(v));
  return f;
};

describe("portal: keep energy", () => {
  it("starts a subscription (the same form token replays it), pauses, resumes and cancels it", async () => {
    const userId = await fundedUser(100_000_000n);
    const address = await freshReceiver(kit);
    const values = { address, energy: "65,000", days: "7", budget: "25.5", token: "tok-1" };
    const r = await createKeepFor(userId, form(values), en);
    expect(r).toMatchObject({ status: "success", message: "Subscription started." });
    const id = (r as { subscriptionId: number }).subscriptionId;
    const s = await getSubscription(userId, id);
    expect([s.minEnergy, s.budgetSun, s.source]).toEqual([65_000n, 25_500_000n, "portal"]);
    expect((await createKeepFor(userId, form(values), en)).status).toBe("success");
    const db = await getDb();
    expect(
      await db.select().from(energySubscriptions).where(eq(energySubscriptions.userId, userId)),
    ).toHaveLength(1);

    expect(await changeKeepFor(userId, form({ subscriptionId: id, action: "pause" }), zh)).toMatchObject({
      status: "success",
      message: "已暂停。",
    });
    expect((await changeKeepFor(userId, form({ subscriptionId: id, action: "resume" }), en)).status).toBe(
      "success",
    );
    expect((await changeKeepFor(userId, form({ subscriptionId: id, action: "cancel" }), en)).status).toBe(
      "success",
    );
    expect((await getSubscription(userId, id)).status).toBe("cancelled");
    // someone else, an unknown action, a cancelled one resumed: refused, nothing changes
    const other = await fundedUser(0n);
    expect((await changeKeepFor(other, form({ subscriptionId: id, action: "pause" }), en)).status).toBe(
      "failed",
    );
    expect((await changeKeepFor(userId, form({ subscriptionId: id, action: "delete" }), en)).status).toBe(
      "failed",
    );
    expect((await changeKeepFor(userId, form({ subscriptionId: id, action: "resume" }), en)).status).toBe(
      "failed",
    );
    expect((await getSubscription(userId, id)).status).toBe("cancelled");
  });

  it("bad input: errors under the fields (localized), typed values kept, nothing created", async () => {
    const userId = await fundedUser(100_000_000n);
    const address = await freshReceiver(kit);
    const bad = await createKeepFor(
      userId,
      form({ address: "", energy: "lots", days: "0", budget: "x", token: "t2" }),
      zh,
    );
    expect(bad.status).toBe("invalid_data");
    const b = bad as { fields: Record<string, string>; values: Record<string, string> };
    expect(Object.keys(b.fields).sort()).toEqual(["address", "budget", "days", "energy"]);
    expect(b.fields.energy).toBe("请输入整数能量。");
    expect(b.values.energy).toBe("lots");
    const low = await createKeepFor(
      userId,
      form({ address, energy: "10", days: "7", budget: "50", token: "t3" }),
      en,
    );
    expect(low).toMatchObject({ status: "invalid_data", fields: { energy: expect.any(String) } });
    const cheap = await createKeepFor(
      userId,
      form({ address, energy: "65000", days: "7", budget: "0.5", token: "t4" }),
      en,
    );
    expect(cheap).toMatchObject({ status: "invalid_data", fields: { budget: expect.any(String) } });
    const notAddr = await createKeepFor(
      userId,
      form({ address: "Tnope", energy: "65000", days: "7", budget: "50", token: "t5" }),
      en,
    );
    expect(notAddr).toMatchObject({ status: "invalid_data", fields: { address: expect.any(String) } });
    const db = await getDb();
    expect(await db.select().from(energySubscriptions).where(eq(energySubscriptions.userId, userId))).toEqual(
      [],
    );
  });
});
