import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { and, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, ledgerEntries } from "@/db/schema";
import { rescanDepositsAction, restartScannerAction } from "@/lib/admin/actions";
import { type AdminContext, createAdmin } from "@/lib/admin/auth";
import { AppError } from "@/lib/errors";
import { capturedEvents, captureSender, setEventSender } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { getOrCreateDepositAddress, scannerStatus, scanOnce, setScanCursor } from "@/lib/deposits";
import {
  type DevnetKit,
  sendToken,
  sendTrx,
  sendTrxViaContract,
  startDevnetKit,
} from "@/lib/deposits/testing";
import { pointTronAt } from "@/lib/tron/testing";
import { createUser } from "@/lib/users";
import { rescanDeposits } from "./rescan-deposits";

/** The console's rescan of a block range for one address: role-checked, audited, credits exactly once. */

const LAG = 2;
let k: DevnetKit;
let restoreTron = () => {};
const ctx: Record<"owner" | "operator" | "viewer", AdminContext> = {} as never;

async function scanAll() {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client: k.client })).caughtUp) return;
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG);
  // the function reads the chain through tron(), pointed at this devnet by the environment
  restoreTron = pointTronAt(k.dn.url).restore;
  for (const role of ["owner", "operator", "viewer"] as const) {
    const { admin } = await createAdmin({
      email: `${role}-${randomUUID()}@rescan.example`,
      role,
      password: "correct horse battery staple",
    });
    ctx[role] = { admin, ip: "203.0.113.9" };
  }
  setEventSender(captureSender);
});
afterAll(async () => {
  setEventSender(null);
  restoreTron();
  await setScanCursor(null);
  await k?.close();
});

describe("rescan a block range for one address", () => {
  it("finds deposits the scanner skipped, credits them once however often it runs, and audits who asked", async () => {
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id, { client: k.client });
    const router = await k.ctl("deploy-router", {});
    await k.mine(2);
    const from = (await k.head()) + 1;
    const t1 = await sendTrx(k.client, address, 6_000_000n);
    const t2 = await sendToken(k.client, address, 2_000_000n);
    const t3 = await sendTrxViaContract(k.client, router.base58, address, 3_000_000n);
    await k.mine();
    const to = await k.head();
    await k.mine(LAG + 2);
    // the scanner was put past these blocks: they are never read
    await setScanCursor(to + 1);
    await scanAll();
    expect(await getBalance(u.id)).toBe(0n);

    // a viewer may not; a reversed range is refused; neither leaves anything behind
    const db = await getDb();
    const audits = () => db.select().from(auditLog).where(like(auditLog.action, "deposits.%"));
    const n0 = (await audits()).length;
    const denied = await rescanDepositsAction(ctx.viewer, {
      userId: u.id,
      fromBlock: from,
      toBlock: to,
    }).catch((e) => e);
    expect(denied).toBeInstanceOf(AppError);
    expect(denied.status).toBe(403);
    const bad = await rescanDepositsAction(ctx.operator, {
      userId: u.id,
      fromBlock: to,
      toBlock: from - 1,
    }).catch((e) => e);
    expect(bad.code).toBe("bad_request");
    const tooLong = await rescanDepositsAction(ctx.operator, {
      userId: u.id,
      fromBlock: 0,
      toBlock: 10_000,
    }).catch((e) => e);
    expect(tooLong.code).toBe("bad_request");
    expect((await audits()).length).toBe(n0);

    capturedEvents.length = 0;
    await rescanDepositsAction(ctx.operator, { userId: u.id, fromBlock: String(from), toBlock: String(to) });
    expect(capturedEvents).toHaveLength(1);
    const event = capturedEvents[0];
    expect(event).toMatchObject({
      name: "deposits/rescan.requested",
      data: { fromBlock: from, toBlock: to },
    });

    for (let run = 0; run < 2; run++) {
      const t = new InngestTestEngine({ function: rescanDeposits });
      const { result } = await t.execute({ events: [event as never] });
      expect(result).toMatchObject({ found: 3, credited: run === 0 ? 3 : 0 });
    }
    expect(await getBalance(u.id)).toBe(6_000_000n + 7_000_000n + 3_000_000n); // 2 USDT at 3.5 TRX
    const entries = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.userId, u.id), eq(ledgerEntries.type, "deposit")));
    expect(entries.map((e) => e.idempotencyKey).sort()).toEqual(
      [`deposit:${t1}:-1`, `deposit:${t2}:0`, `deposit:${t3}:-2`].sort(),
    );
    // the scanner reading the same blocks later changes nothing
    await setScanCursor(from);
    await scanAll();
    expect(await getBalance(u.id)).toBe(16_000_000n);

    const rows = await db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.action, ["deposits.rescan", "deposits.rescan_done"]));
    const mine = rows.filter((r) => r.adminId === ctx.operator.admin.id);
    expect(mine.map((r) => r.action).sort()).toEqual([
      "deposits.rescan",
      "deposits.rescan_done",
      "deposits.rescan_done",
    ]);
  });

  it("restarting the scanner at a block is for owners only, audited", async () => {
    const denied = await restartScannerAction(ctx.operator, {
      fromBlock: 5,
      reason: "devnet was reset",
    }).catch((e) => e);
    expect(denied.status).toBe(403);
    await restartScannerAction(ctx.owner, { fromBlock: 5, reason: "devnet was reset" });
    expect((await scannerStatus()).cursor).toBe(4);
    const db = await getDb();
    const [a] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deposits.scanner_restart"), eq(auditLog.adminId, ctx.owner.admin.id)));
    expect(a.after).toMatchObject({ fromBlock: 5, reason: "devnet was reset" });
  });
});
