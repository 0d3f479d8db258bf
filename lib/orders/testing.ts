import { eq, sql } from "drizzle-orm";
import { utils } from "tronweb";
import { getDb } from "@/db";
import { type Delegation, supplierWallets } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import { type Devnet, startDevnet } from "@/devnet/server";
import { fulfilOrder } from "@/inngest/functions/fulfil-order";
import { reclaimDelegation } from "@/inngest/functions/reclaim-delegation";
import { delegationExpired, orderPaid } from "@/inngest/events";
import { captureSender, capturedEvents, setEventSender } from "@/lib/events";
import { credit } from "@/lib/ledger";
import { importWallet, type PoolWallet, refreshWallet } from "@/lib/pool";
import type { TronClient } from "@/lib/tron/client";
import { pointTronAt } from "@/lib/tron/testing";
import { createUser } from "@/lib/users";

/**
 * Test / demo / bench helpers: an in-process devnet wired into the order engine, DEVNET ONLY pool
 * wallets, funded users, and runners that execute the real Inngest functions in-process with
 * @inngest/test (a fresh engine per run; every `wait-<n>` sleep is mocked to move the chain on).
 * Not used by the app. @inngest/test (a dev dependency) is loaded only by the runners, so the demo
 * can use the other helpers without it.
 */

export type OrderKit = {
  dn: Devnet;
  url: string;
  client: TronClient;
  ctl: (path: string, body?: Record<string, unknown>) => Promise<any>;
  mine: (blocks?: number) => Promise<void>;
  close: () => Promise<void>;
};

export function controlOf(url: string) {
  return async (path: string, body: Record<string, unknown> = {}) => {
    const r = await fetch(`${url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`devnet ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
}

/**
 * Starts a devnet on a free port, points the app's TRON client at it (`pointTronAt`: the kit's
 * `client` is `tron()`), and captures outgoing events.
 */
export async function startOrderKit(
  opts: { autoMine?: boolean; solidityLag?: number } = {},
): Promise<OrderKit> {
  const dn = await startDevnet({
    port: 0,
    blockIntervalMs: 0,
    autoMine: opts.autoMine ?? true,
    solidityLag: opts.solidityLag ?? 2,
  });
  const { client, restore } = pointTronAt(dn.url, { timeoutMs: 10_000 });
  setEventSender(captureSender);
  const ctl = controlOf(dn.url);
  return {
    dn,
    url: dn.url,
    client,
    ctl,
    mine: async (blocks = 1) => {
      await ctl("mine", { blocks });
    },
    close: async () => {
      restore();
      setEventSender(null);
      await dn.close();
    },
  };
}

/**
 * Test isolation on a shared database: every wallet disabled, every unfinished delegation closed
 * (they belong to an earlier suite's devnet), captured events cleared.
 */
export async function resetPoolForTests(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`update delegations set status = case when status in ('confirmed', 'reclaiming')
    then 'reclaimed'::delegation_status else 'failed'::delegation_status end
    where status not in ('failed', 'reclaimed')`);
  await db.execute(
    sql`update orders set status = 'failed' where status in ('paid', 'delegating', 'active', 'reclaiming')`,
  );
  await db.execute(sql`update supplier_wallets set status = 'disabled'`);
  capturedEvents.length = 0;
}

/** Imports genesis pool accounts (1, 2: 200k TRX staked; 3: 50k) as enabled wallets. */
export async function importPool(indices: number[], priority = 0): Promise<PoolWallet[]> {
  const out: PoolWallet[] = [];
  for (const i of indices) {
    const a = devnetAccount(i);
    const w = await importWallet({
      address: a.base58,
      privateKey: a.privateKey,
      label: `pool-${i}`,
      priority,
    });
    const db = await getDb();
    await db.execute(sql`update supplier_wallets set status = 'enabled' where id = ${w.id}`);
    out.push(await refreshWallet(w.id));
  }
  return out;
}

/** A fresh activated receiver address. */
export async function freshReceiver(kit: Pick<OrderKit, "ctl">): Promise<string> {
  const address = newAddress();
  await kit.ctl("fund", { address, trx: 1 });
  return address;
}

/** A random, valid TRON address (not yet on chain). */
export function newAddress(): string {
  return utils.accounts.generateAccount().address.base58;
}

/** Credits a test user's opening balance through the ledger (once per user: its idempotency key). */
export async function creditOpeningBalance(userId: number, balanceSun: bigint): Promise<void> {
  if (balanceSun > 0n)
    await credit({ userId, amountSun: balanceSun, idempotencyKey: `test-credit:${userId}`, memo: "test" });
}

/** A user with `balanceSun` credited through the ledger. */
export async function fundedUser(balanceSun: bigint): Promise<number> {
  const u = await createUser({ firstName: "test" });
  await creditOpeningBalance(u.id, balanceSun);
  return u.id;
}

/** Mocks for the `wait-<n>` sleeps: each advances the devnet clock by `ms` (and mines a block). */
function sleepMocks(kit: Pick<OrderKit, "ctl">, n = 120, ms = 3000, onSleep?: (i: number) => void) {
  return Array.from({ length: n }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      onSleep?.(i);
      await kit.ctl("advance-time", { ms });
      return null;
    },
  }));
}

export async function runFulfil(
  kit: Pick<OrderKit, "ctl">,
  orderId: number,
  opts: { sleepMs?: number } = {},
) {
  const { InngestTestEngine } = await import("@inngest/test");
  const t = new InngestTestEngine({ function: fulfilOrder });
  return t.execute({
    events: [orderPaid.create({ orderId })],
    steps: sleepMocks(kit, 120, opts.sleepMs ?? 3000),
  });
}

export async function runReclaim(
  kit: Pick<OrderKit, "ctl">,
  delegationId: number,
  opts: { onSleep?: (i: number) => void; sleepMs?: number } = {},
) {
  const { InngestTestEngine } = await import("@inngest/test");
  const t = new InngestTestEngine({ function: reclaimDelegation });
  return t.execute({
    events: [delegationExpired.create({ delegationId })],
    steps: sleepMocks(kit, 60, opts.sleepMs ?? 3000, opts.onSleep),
  });
}

/**
 * The delivered part is locked on chain for exactly the rental: the signed contract carries
 * lock_period = rental / 3 s, and the chain's locked record (owner → receiver) ends at the time of
 * the block before the one that included it (java-tron's "now") + the rental; the database's
 * expiry is that same instant.
 */
export async function expectLockedForRental(
  client: TronClient,
  part: Delegation,
  rentalSeconds: number,
): Promise<void> {
  const { expect } = await import("vitest");
  const value = (
    part.signedTx as { raw_data: { contract: { parameter: { value: Record<string, unknown> } }[] } }
  ).raw_data.contract[0].parameter.value;
  expect(value).toMatchObject({ lock: true, lock_period: rentalSeconds / 3 });
  expect(part.lockPeriodBlocks * 3).toBe(rentalSeconds);
  const info = await client.getTransactionInfo(part.txid!);
  expect(info).not.toBeNull();
  const [parent] = await client.getBlockByLimitNext(info!.blockNumber - 1, info!.blockNumber);
  const db = await getDb();
  const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, part.supplierWalletId));
  const rec = (await client.getDelegatedResourceV2(w.address, part.receiverAddress)).find((r) => r.locked);
  expect(rec?.energyExpireAt).toBe(parent.timestamp + rentalSeconds * 1000);
  expect(part.expiresAt?.getTime()).toBe(rec?.energyExpireAt);
}

/** Energy limit of an address on chain (head state). */
export async function energyLimitOf(client: TronClient, address: string): Promise<bigint> {
  return (await client.getAccountResources(address)).energyLimit;
}
