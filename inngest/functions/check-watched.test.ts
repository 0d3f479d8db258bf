import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { scanOnce, setScanCursor } from "@/lib/deposits";
import { sendTrx, treasury } from "@/lib/deposits/testing";
import { capturedEvents } from "@/lib/events";
import { freshReceiver, fundedUser, importPool } from "@/lib/orders/testing";
import { createSubscription, getSubscription } from "@/lib/subscriptions";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { utils } from "tronweb";
import { watchCheckRequested } from "../events/watch";
import { functions } from "../index";
import { checkWatched } from "./check-watched";
import { scanDeposits } from "./scan-deposits";

/** The watcher's Inngest functions: the scan that marks a sender asks for a check; the check tops up. */

const kit = freshOrderKitPerTest();
beforeEach(async () => {
  const db = await getDb();
  await db.execute(sql`update energy_subscriptions set status = 'cancelled' where status <> 'cancelled'`);
  await db.execute(sql`delete from watched_addresses`);
  await setScanCursor(null);
  await importPool([1, 2]);
  capturedEvents.length = 0;
});

describe("watch functions", () => {
  it("are registered", () => {
    expect(functions).toContain(checkWatched);
  });

  it("a scan that marks a watched sender asks for a check; the check run tops its subscription up", async () => {
    const userId = await fundedUser(100_000_000n);
    const a = utils.accounts.generateAccount();
    await kit.ctl("fund", { address: a.address.base58, trx: 10 });
    const { subscription } = await createSubscription({
      userId,
      address: a.address.base58,
      minEnergy: 65_000,
      days: 3,
      budgetSun: 50_000_000n,
      source: "api",
      idempotencyKey: "fn-1",
    });
    await scanOnce({ client: kit.client }); // the cursor starts here
    await sendTrx(kit.client, treasury.base58, 1_000_000n, {
      base58: a.address.base58,
      privateKey: a.privateKey,
    });
    await kit.mine(4);
    const scan = new InngestTestEngine({ function: scanDeposits });
    const s = await scan.execute({ events: [{ name: "deposits/scan.requested", data: {} }] });
    expect((s.result as { watched: number }).watched).toBe(1);
    expect(
      capturedEvents.filter((e) => e.name === watchCheckRequested.name && e.data.reason === "scan"),
    ).toHaveLength(1);

    const check = new InngestTestEngine({ function: checkWatched });
    const r = await check.execute({ events: [watchCheckRequested.create({ reason: "test" })] });
    expect(r.result).toMatchObject({ checked: 1, ordered: 1 });
    expect((await getSubscription(userId, subscription.id)).topups).toBe(1);
    // run again (a retry, a second event): the top-up being delivered is not ordered twice
    const again = await new InngestTestEngine({ function: checkWatched }).execute({
      events: [watchCheckRequested.create({ reason: "test" })],
    });
    expect(again.result).toMatchObject({ ordered: 0 });
    expect((await getSubscription(userId, subscription.id)).topups).toBe(1);
  });

  it("a scan with no watched sender sends nothing", async () => {
    await scanOnce({ client: kit.client });
    await sendTrx(kit.client, await freshReceiver(kit), 1_000_000n);
    await kit.mine(4);
    const s = await new InngestTestEngine({ function: scanDeposits }).execute({
      events: [{ name: "deposits/scan.requested", data: {} }],
    });
    expect((s.result as { watched: number }).watched).toBe(0);
    expect(capturedEvents.filter((e) => e.name === watchCheckRequested.name)).toEqual([]);
  });
});
