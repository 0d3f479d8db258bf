import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { depositAddresses } from "@/db/schema";
import { getOpenAlert } from "@/lib/alerts";
import { runHealthChecks } from "@/lib/health";
import { getBalance } from "@/lib/ledger";
import { createUser } from "@/lib/users";
import { getOrCreateDepositAddress, scannerStatus, scanOnce, setScanCursor } from "./index";
import { type DevnetKit, sendToken, sendTrx, startDevnetKit } from "./testing";

/**
 * The scanner against a chain that starts, resets and goes backwards: genesis (block 0 has no
 * `number` field), a devnet reset under a running scanner, and where a fresh scanner starts.
 */

const LAG = 3;
let k: DevnetKit;

async function scanAll() {
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: k.client });
    if (r.caughtUp) return r;
  }
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG);
});
afterAll(async () => {
  await setScanCursor(null);
  await k?.close();
});
beforeEach(async () => {
  await k.ctl("reset");
  await setScanCursor(null);
});

describe("scanner and the genesis block", () => {
  it("a fresh chain whose solidified head is block 0 (no `number` field) is scanned, not refused", async () => {
    // head is block 1, the solidified head block 0: java-tron prints block 0 without `number`
    const solid = await fetch(`${k.dn.url}/walletsolidity/getnowblock`).then((r) => r.json());
    expect(solid.block_header.raw_data.number).toBeUndefined();
    await setScanCursor(0);
    const r = await scanOnce({ client: k.client });
    expect(r.problem).toBeUndefined();
    expect(r.solidifiedHead).toBe(0);
    expect(r.to).toBe(0);
    expect((await scannerStatus()).cursor).toBe(0);
  });
});

describe("a chain that went backwards", () => {
  it("cursor ahead of the node after a reset: the scanner stops and says so (log, health, alert) until restarted", async () => {
    await k.mine(30);
    await scanAll();
    const cursor = (await scannerStatus()).cursor!;
    expect(cursor).toBe(30 + 1 - LAG);

    await k.ctl("reset"); // the devnet starts again at block 1, a minute later
    await k.ctl("advance-time", { ms: 60_000, mine: false });
    await k.mine(5);
    const r = await scanOnce({ client: k.client });
    expect(r.problem).toMatch(/solidified head \(block 3\) is behind the scanner's cursor \(block 28\)/);
    expect(r.credited).toBe(0);
    const st = await scannerStatus();
    expect(st.cursor).toBe(cursor); // not moved
    expect(st.problem).toBe(r.problem);
    const health = await runHealthChecks();
    expect(health.checks.scanner).toMatch(/^fail: deposit scanner stopped: the node's solidified head/);
    const alert = await getOpenAlert("deposit-scanner-chain");
    expect(alert?.severity).toBe("critical");

    // the new chain grows past the old cursor: its blocks do not continue the ones read before
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id, { client: k.client });
    await k.mine(30);
    await sendTrx(k.client, address, 4_000_000n);
    await k.mine(LAG + 1);
    const again = await scanOnce({ client: k.client });
    expect(again.problem).toMatch(/block 29 does not continue block 28 as the scanner read it/);
    expect(await getBalance(u.id)).toBe(0n);

    // an operator restarts the scanner at the right block: it reads on, credits, and is healthy
    await setScanCursor(1);
    await scanAll();
    expect(await getBalance(u.id)).toBe(4_000_000n);
    expect((await scannerStatus()).problem).toBeNull();
    expect((await runHealthChecks()).checks.scanner).toBe("ok");
    expect(await getOpenAlert("deposit-scanner-chain")).toBeUndefined();
  });
});

describe("where a fresh scanner starts", () => {
  it("deposits sent to an address handed out before the scanner's first run are credited (scan from the address's block)", async () => {
    await k.mine(10);
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id, { client: k.client });
    const db = await getDb();
    const [row] = await db.select().from(depositAddresses).where(eq(depositAddresses.address, address));
    expect(row.firstBlock).toBe(await k.head()); // recorded with the address
    await sendTrx(k.client, address, 50_000_000n);
    await sendToken(k.client, address, 10_000_000n);
    await k.mine(40); // well past the solidified head: the first scan starts after the deposits' block
    await scanAll();
    expect(await getBalance(u.id)).toBe(50_000_000n + 35_000_000n); // 10 USDT at 3.5 TRX
  });
});
