import { describe, expect, it } from "vitest";
import { freshReceiver, fundedUser } from "@/lib/orders/testing";
import { changeSubscription, createSubscription } from "@/lib/subscriptions";
import { adminContext } from "@/test/admins";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { adminListSubscriptions } from "./subscriptions";

/** The console's subscription list: any role reads it, filtered by status; no session → refused. */

const kit = orderKitWithPoolOnce();

describe("console: keep-energy subscriptions", () => {
  it("lists them with spend and budget, by status, for every role; refuses without a session", async () => {
    const userId = await fundedUser(100_000_000n);
    const mk = async (key: string) =>
      (
        await createSubscription({
          userId,
          address: await freshReceiver(kit),
          minEnergy: 65_000,
          days: 3,
          budgetSun: 20_000_000n,
          source: "bot",
          idempotencyKey: key,
        })
      ).subscription;
    const a = await mk(`a-${Math.random()}`);
    const b = await mk(`b-${Math.random()}`);
    await changeSubscription(userId, b.id, "pause");
    const viewer = await adminContext("viewer");
    const all = await adminListSubscriptions(viewer, {});
    expect(all.rows.map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(all.totals.budgetSun).toBeGreaterThanOrEqual(40_000_000n);
    const paused = await adminListSubscriptions(await adminContext("operator"), { status: "paused" });
    expect(paused.rows.map((r) => r.id)).toContain(b.id);
    expect(paused.rows.map((r) => r.id)).not.toContain(a.id);
    expect(paused.rows.every((r) => r.status === "paused")).toBe(true);
    await expect(adminListSubscriptions(viewer, { status: "bogus" })).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(adminListSubscriptions(null, {})).rejects.toMatchObject({ code: "unauthorized" });
  });
});
