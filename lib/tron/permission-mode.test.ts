import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devnetAccount } from "@/devnet/genesis";
import { type Devnet, startDevnet } from "@/devnet/server";
import { TronClient } from "@/lib/tron/client";
import { ChainError } from "@/lib/tron/errors";
import { importKey } from "@/lib/tron/keys";
import {
  broadcast,
  buildDelegateEnergy,
  buildTrxTransfer,
  buildUndelegateEnergy,
  txStatus,
} from "@/lib/tron/tx";

/**
 * Permission-mode wallets: the owner gives an operator key an Active permission limited to
 * delegate / undelegate; the app signs with that key and Permission_id. On the devnet, which checks
 * permissions as java-tron does.
 */

let dn: Devnet;
let client: TronClient;
const owner = devnetAccount(1);
const operator = devnetAccount(7);
const receiver = devnetAccount(4);
const operatorKey = { encryptedKey: importKey(operator.base58, operator.privateKey).ciphertext };

async function ctl(path: string, body: Record<string, unknown> = {}) {
  const r = await fetch(`${dn.url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
  return r.json();
}

function operations(types: number[]): string {
  const bytes = new Uint8Array(32);
  for (const t of types) bytes[t >> 3] |= 1 << (t % 8);
  return Buffer.from(bytes).toString("hex");
}

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 1, autoMine: true });
  client = new TronClient({
    network: "devnet",
    fullHost: dn.url,
    timeoutMs: 5_000,
    usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
  });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset");
  await ctl("fund", { address: operator.base58, trx: 1 });
  const tw = client.tronWeb;
  const up = await tw.transactionBuilder.updateAccountPermissions(
    owner.base58,
    {
      type: 0,
      permission_name: "owner",
      threshold: 1,
      keys: [{ address: owner.base58, weight: 1 }],
    } as never,
    undefined as never,
    [
      {
        type: 2,
        permission_name: "energy-desk",
        threshold: 1,
        operations: operations([57, 58]),
        keys: [{ address: operator.base58, weight: 1 }],
      },
    ] as never,
  );
  const r = await tw.trx.sendRawTransaction(await tw.trx.sign(up, owner.privateKey));
  expect(r.result).toBe(true);
});

describe("permission-mode signing (Permission_id)", () => {
  it("delegates and undelegates from the owner's stake with the operator key; nothing else is allowed", async () => {
    const d = await buildDelegateEnergy(
      client,
      { owner: owner.base58, receiver: receiver.base58, sun: 10_000_000n, lock: false },
      operatorKey,
      { permissionId: 2 },
    );
    expect(d.signedTx.raw_data.contract[0]).toMatchObject({ Permission_id: 2 });
    expect((await broadcast(client, d.signedTx)).status).toBe("sent");
    expect((await txStatus(client, d.txid)).status).not.toBe("unknown");
    const recs = await client.getDelegatedResourceV2(owner.base58, receiver.base58);
    expect(recs.reduce((a, r) => a + r.energySun, 0n)).toBe(10_000_000n);

    const u = await buildUndelegateEnergy(
      client,
      { owner: owner.base58, receiver: receiver.base58, sun: 10_000_000n },
      operatorKey,
      { permissionId: 2 },
    );
    expect((await broadcast(client, u.signedTx)).status).toBe("sent");
    expect(await client.getDelegatedResourceV2(owner.base58, receiver.base58)).toEqual([]);

    // a TRX transfer is not in the permission's operations
    const t = await buildTrxTransfer(
      client,
      { from: owner.base58, to: receiver.base58, sun: 1_000_000n },
      operatorKey,
      { permissionId: 2 },
    );
    const e = await broadcast(client, t.signedTx).catch((x) => x);
    expect(e).toBeInstanceOf(ChainError);
    expect((e as ChainError).kind).toBe("bad_signature");
    expect((e as ChainError).chainMessage).toContain("Permission denied");
  });

  it("refuses a permission id that cannot be an Active permission", async () => {
    await expect(
      buildDelegateEnergy(
        client,
        { owner: owner.base58, receiver: receiver.base58, sun: 10_000_000n },
        operatorKey,
        { permissionId: 1 },
      ),
    ).rejects.toMatchObject({ code: "bad_request" });
  });
});
