import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devnetAccount } from "@/devnet/genesis";
import { type Devnet, startDevnet } from "@/devnet/server";
import { TronClient } from "@/lib/tron/client";
import { importKey } from "@/lib/tron/keys";
import { broadcast, buildTrxTransfer, txStatus } from "@/lib/tron/tx";

/**
 * The expiry judgement (txStatus) behind one URL whose nodes disagree, as TronGrid's do: a node
 * 30 blocks behind answers some requests, the leading node the others. "Expired, so re-sign" must
 * never be said of a transaction that is in a block.
 */

let dn: Devnet;
let client: TronClient;
const treasury = devnetAccount(0);
const customer = devnetAccount(4);
const key = { encryptedKey: importKey(treasury.base58, treasury.privateKey).ciphertext };

async function ctl(path: string, body: Record<string, unknown> = {}) {
  const r = await fetch(`${dn.url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}
const mine = (blocks = 1) => ctl("mine", { blocks });
/** The leading node (0) and one 30 blocks behind (1); requests take them in the order of `pick`. */
const nodes = (pick: number[] | "random") => ctl("nodes", { nodes: [{ lag: 0 }, { lag: 30 }], pick });

async function transfer() {
  return buildTrxTransfer(client, { from: treasury.base58, to: customer.base58, sun: 1_000_000n }, key);
}

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 2 });
  client = new TronClient({
    network: "devnet",
    fullHost: dn.url,
    timeoutMs: 5_000,
    usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    backoffMs: 5,
  });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset");
  await mine(40);
});

describe("expiry judgement with disagreeing nodes", () => {
  it("a tx in a block is never 'expired' when the look-ups reach a lagging node and the head comes from one ahead", async () => {
    const s = await transfer();
    await broadcast(client, s.signedTx);
    await mine(1); // in block B
    await mine(25); // every head is past its expiration, the lagging node's is 4 blocks before B
    // every not-found look-up from the lagging node, the head from the leading one: the old
    // judgement (three "not found" and one head time) said expired here and the part was re-signed
    await nodes([1, 1, 1, 0]);
    const st = await txStatus(client, s.txid, { expiration: s.expiration });
    expect(st.expired).toBe(false);
    expect(st.status).toBe("pending");
    // and whatever node answers each request
    await nodes("random");
    for (let i = 0; i < 40; i++) {
      const r = await txStatus(client, s.txid, { expiration: s.expiration });
      expect(r.expired).toBe(false);
      expect(["pending", "included", "solidified"]).toContain(r.status);
    }
    // the leading node alone: solidified
    await ctl("nodes/clear");
    expect((await txStatus(client, s.txid, { expiration: s.expiration })).status).toBe("solidified");
  });

  it("a tx never included is judged expired only once the solidified blocks up to its expiration are all read", async () => {
    const s = await transfer();
    await ctl("faults", { dropBroadcasts: 1 });
    expect((await broadcast(client, s.signedTx)).status).toBe("sent"); // accepted, never included
    await mine(19); // head ≈ expiration - 3 s
    await nodes([0]);
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({ expired: false });
    await mine(2); // the head is past the expiration; the solidified head (2 behind) is not
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({
      status: "pending",
      expired: false,
    });
    await mine(3); // now the solidified head is too
    // the block reads reach the lagging node, which lacks those blocks: not judged
    await nodes([1, 1, 1, 0, 1, 1, 1, 1]);
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({ expired: false });
    await nodes([0]);
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({
      status: "unknown",
      expired: true,
    });
    // once the lagging node has the blocks too, any node gives the same answer
    await mine(30);
    await nodes("random");
    for (let i = 0; i < 10; i++)
      expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({ expired: true });
  });

  it("a transaction with a longer lifetime is searched from its build time", async () => {
    // a tx built with a 10-minute lifetime, included 5 minutes in: found, never 'expired'
    const signed = (
      await buildTrxTransfer(client, { from: treasury.base58, to: customer.base58, sun: 1_000_000n }, key, {
        extendExpirationSeconds: 540,
      })
    ).signedTx;
    await ctl("advance-time", { ms: 300_000 });
    expect((await broadcast(client, signed)).status).toBe("sent");
    await mine(1);
    await ctl("advance-time", { ms: 420_000 });
    await mine(3);
    expect((await client.getNowBlock({ solidified: true })).timestamp).toBeGreaterThan(
      signed.raw_data.expiration,
    );
    await nodes([1, 1, 1, ...Array(30).fill(0)]);
    const st = await txStatus(client, signed.txID, {
      expiration: signed.raw_data.expiration,
      builtAt: signed.raw_data.timestamp,
    });
    expect(st.expired).toBe(false);
    expect(st.blockNumber).toBeGreaterThan(0);
  });
});
