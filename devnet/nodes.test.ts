import { TronWeb } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devnetAccount } from "./genesis";
import { type Devnet, startDevnet } from "./server";

/** Several disagreeing nodes behind one URL (devnet/nodes.ts). */

let dn: Devnet;
let tw: TronWeb;
const pool1 = devnetAccount(1);
const customer = devnetAccount(4);

const post = async (path: string, body: unknown = {}): Promise<any> =>
  (await fetch(`${dn.url}${path}`, { method: "POST", body: JSON.stringify(body) })).json();
const ctl = (path: string, body: unknown = {}) => post(`/_devnet/${path}`, body);
const headNumber = async () => (await post("/wallet/getnowblock")).block_header.raw_data.number as number;

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 3 });
  tw = new TronWeb({ fullHost: dn.url });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset");
});

describe("several nodes behind one URL", () => {
  it("a node lagging 5 blocks answers in turn with its own head, solidified block, state and transactions", async () => {
    await ctl("nodes", { nodes: [{ lag: 0 }, { lag: 5 }], pick: "round-robin" });
    await ctl("mine", { blocks: 10 });
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 7_000_000, pool1.base58);
    const r = await tw.trx.sendRawTransaction(await tw.trx.sign(tx, pool1.privateKey));
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 6 });
    const state = await (await fetch(`${dn.url}/_devnet/nodes`)).json();
    const head = state.nodes[0].head;
    expect(state.nodes).toEqual([
      { lag: 0, head, solidified: head - 3 },
      { lag: 5, head: head - 5, solidified: head - 8 },
    ]);
    // requests alternate: leading node, lagging node, leading node, … (re-configuring restarts the turn)
    await ctl("nodes", { nodes: [{ lag: 0 }, { lag: 5 }], pick: "round-robin" });
    expect([await headNumber(), await headNumber(), await headNumber()]).toEqual([head, head - 5, head]);
    // the tx is in block head-5: both nodes have that block
    const info = [
      await post("/wallet/gettransactioninfobyid", { value: r.txid }),
      await post("/wallet/gettransactioninfobyid", { value: r.txid }),
    ];
    expect(info.map((i) => i.blockNumber)).toEqual([head - 5, head - 5]);
    // solidified: the leading node has solidified it, the lagging one not yet
    const solid = [
      await post("/walletsolidity/gettransactioninfobyid", { value: r.txid }),
      await post("/walletsolidity/gettransactioninfobyid", { value: r.txid }),
    ];
    expect(solid.map((i) => i.blockNumber ?? null)).toEqual([null, head - 5]);
    // one block later the lagging node does not even have the block
    await ctl("nodes", { nodes: [{ lag: 0 }, { lag: 6 }], pick: [1, 0] });
    expect(await post("/wallet/gettransactionbyid", { value: r.txid })).toEqual({});
    expect((await post("/wallet/gettransactionbyid", { value: r.txid })).txID).toBe(r.txid);
    // account state as of the node's head
    const acct = [
      await post("/wallet/getaccount", { address: customer.hex }),
      await post("/wallet/getaccount", { address: customer.hex }),
    ];
    expect(acct[1].balance - acct[0].balance).toBe(7_000_000);
  });

  it("tronweb building on a lagging node's head gets an older reference block: refused once it is 20 blocks behind", async () => {
    // the devnet keeps the block states a lagging node answers from once it is configured
    await ctl("nodes", { nodes: [{ lag: 25 }] });
    await ctl("mine", { blocks: 30 });
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58);
    const r = await tw.trx.sendRawTransaction(await tw.trx.sign(tx, pool1.privateKey));
    expect(r.code).toBe("TRANSACTION_EXPIRATION_ERROR");
    await ctl("nodes/clear");
    const ok = await tw.trx.sendRawTransaction(
      await tw.trx.sign(
        await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58),
        pool1.privateKey,
      ),
    );
    expect(ok.result).toBe(true);
  });

  it("only the listed paths go through the nodes; a reset goes back to the nodes given at start", async () => {
    await ctl("mine", { blocks: 10 });
    await ctl("nodes", { nodes: [{ lag: 4 }], paths: ["/walletsolidity"] });
    const h = await headNumber();
    expect(await headNumber()).toBe(h); // /wallet: the network
    expect((await post("/walletsolidity/getnowblock")).block_header.raw_data.number).toBe(h - 4 - 3);
    expect((await ctl("nodes", { nodes: [{ lag: 1 }], pick: [3] })).ok).toBeUndefined();
    await ctl("reset");
    expect((await (await fetch(`${dn.url}/_devnet/nodes`)).json()).nodes).toEqual([]);
  });
});
