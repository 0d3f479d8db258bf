import { TronWeb, utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devnetAccount } from "./genesis";
import { ACTIVE_DEFAULT_OPERATIONS } from "./permissions";
import { type Devnet, startDevnet } from "./server";

/**
 * java-tron's broadcast check order (Wallet.broadcastTransaction → Manager.pushTransaction →
 * processTransaction) and account permissions (TransactionCapsule.validateSignature,
 * AccountPermissionUpdateActuator).
 */

let dn: Devnet;
let tw: TronWeb;
const pool1 = devnetAccount(1);
const pool3 = devnetAccount(3);
const customer = devnetAccount(4);
const operator = devnetAccount(7);
const operator2 = devnetAccount(8);

async function ctl(path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${dn.url}/_devnet/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.json();
}

const utf8 = (hex: string) => Buffer.from(hex ?? "", "hex").toString("utf8");

async function send(signed: any): Promise<any> {
  const r = await tw.trx.sendRawTransaction(signed);
  return { ...r, text: r.message ? utf8(r.message) : "" };
}

/** A copy of `tx` with other raw_data fields, its txID recomputed with tronweb's own encoder. */
function withRaw(tx: any, patch: Record<string, unknown>): any {
  const t = structuredClone(tx);
  Object.assign(t.raw_data, patch);
  const pb = utils.transaction.txJsonToPb(t);
  t.txID = utils.transaction.txPbToTxID(pb).replace(/^0x/, "");
  t.raw_data_hex = utils.transaction.txPbToRawDataHex(pb);
  return t;
}

const signAs = (tx: any, pk: string) => tw.trx.sign(tx, pk, true, true) as Promise<any>;

/** Operations bitmask (64 hex) with the given contract type bits set. */
function operations(types: number[]): string {
  const bytes = new Uint8Array(32);
  for (const t of types) bytes[t >> 3] |= 1 << (t % 8);
  return Buffer.from(bytes).toString("hex");
}

async function account(addr: string): Promise<any> {
  return (await fetch(`${dn.url}/wallet/getaccount`, {
    method: "POST",
    body: JSON.stringify({ address: TronWeb.address.toHex(addr) }),
  }).then((r) => r.json())) as any;
}

/** pool-1 gives `keys` an Active permission (id 2) allowed to delegate / undelegate only. */
async function grantDelegatePermission(keys: { address: string; weight: number }[], threshold = 1) {
  const tx = await tw.transactionBuilder.updateAccountPermissions(
    pool1.base58,
    { type: 0, permission_name: "owner", threshold: 1, keys: [{ address: pool1.base58, weight: 1 }] } as any,
    undefined as any,
    [{ type: 2, permission_name: "delegate", threshold, operations: operations([57, 58]), keys }] as any,
  );
  return send(await tw.trx.sign(tx, pool1.privateKey));
}

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0 });
  tw = new TronWeb({ fullHost: dn.url });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset", {});
  await ctl("fund", { address: customer.base58, trx: 1 });
  await ctl("fund", { address: operator.base58, trx: 1 });
  await ctl("fund", { address: operator2.base58, trx: 1 });
});

describe("broadcast check order (java-tron)", () => {
  it("refuses an expiration earlier than the next block slot (head + 3 s), accepts exactly head + 3 s", async () => {
    const head = (await tw.trx.getCurrentBlock()).block_header.raw_data.timestamp;
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58);
    const early = await send(await tw.trx.sign(withRaw(tx, { expiration: head + 2_999 }), pool1.privateKey));
    expect(early.code).toBe("TRANSACTION_EXPIRATION_ERROR");
    expect(early.text).toBe("Transaction expired");
    const ok = await send(await tw.trx.sign(withRaw(tx, { expiration: head + 3_000 }), pool1.privateKey));
    expect(ok.result).toBe(true);
  });

  it("checks the signature before TaPoS: a wrong signer on an unknown reference block is SIGERROR", async () => {
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58);
    const badRef = withRaw(tx, { ref_block_hash: "00".repeat(8) });
    const wrongSigner = await send(await signAs(badRef, pool3.privateKey));
    expect(wrongSigner.code).toBe("SIGERROR");
    expect(wrongSigner.text).toMatch(
      /^Validate signature error: [0-9a-f]{130} is signed by T\w+ but it is not contained of permission\.$/,
    );
    const rightSigner = await send(await tw.trx.sign(badRef, pool1.privateKey));
    expect(rightSigner.code).toBe("TAPOS_ERROR");
    expect(rightSigner.text).toBe("Tapos check error.");
  });

  it("an included tx sent again: Dup before its expiry, 'expired' after (expiry is checked first)", async () => {
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58);
    const signed = await tw.trx.sign(tx, pool1.privateKey);
    expect((await send(signed)).result).toBe(true);
    await ctl("mine", { blocks: 1 });
    expect((await send(signed)).code).toBe("DUP_TRANSACTION_ERROR");
    await ctl("advance-time", { ms: 60_000 });
    expect((await send(signed)).code).toBe("TRANSACTION_EXPIRATION_ERROR");
  });

  it("a tx with no signature: SIGERROR 'miss sig or contract'", async () => {
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58);
    const r = await send({ ...tx, signature: [] });
    expect(r.code).toBe("SIGERROR");
    expect(r.text).toBe("Validate signature error: miss sig or contract");
  });
});

describe("account permissions", () => {
  it("getaccount shows the default owner and active permissions", async () => {
    const a = await account(customer.base58);
    expect(a.owner_permission).toEqual({
      permission_name: "owner",
      threshold: 1,
      keys: [{ address: customer.hex, weight: 1 }],
    });
    expect(a.active_permission).toEqual([
      {
        type: "Active",
        id: 2,
        permission_name: "active",
        threshold: 1,
        operations: ACTIVE_DEFAULT_OPERATIONS,
        keys: [{ address: customer.hex, weight: 1 }],
      },
    ]);
  });

  it("AccountPermissionUpdate: an operator key may delegate and undelegate (Permission_id 2), nothing else", async () => {
    const before = (await account(pool1.base58)).balance;
    const up = await grantDelegatePermission([{ address: operator.base58, weight: 1 }]);
    expect(up.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const a = await account(pool1.base58);
    expect(a.balance).toBe(before - 100_000_000); // getUpdateAccountPermissionFee; bandwidth was free
    expect(a.active_permission).toEqual([
      {
        type: "Active",
        id: 2,
        permission_name: "delegate",
        threshold: 1,
        operations: operations([57, 58]),
        keys: [{ address: operator.hex, weight: 1 }],
      },
    ]);

    const delegate = await tw.transactionBuilder.delegateResource(
      10_000_000,
      customer.base58,
      "ENERGY",
      pool1.base58,
      false,
      undefined,
      { permissionId: 2 },
    );
    expect(delegate.raw_data.contract[0].Permission_id).toBe(2);
    // the owner key is not in permission 2
    const byOwner = await send(await signAs(delegate, pool1.privateKey));
    expect(byOwner.code).toBe("SIGERROR");
    expect(byOwner.text).toContain("but it is not contained of permission.");
    // the operator key is
    const byOperator = await send(await signAs(delegate, operator.privateKey));
    expect(byOperator.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const rec = await tw.trx.getDelegatedResourceV2(pool1.base58, customer.base58, { confirmed: false });
    expect(rec.delegatedResource?.[0]?.frozen_balance_for_energy).toBe(10_000_000);

    // a transfer is not in the operations bitmask
    const transfer = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, pool1.base58, {
      permissionId: 2,
    });
    const denied = await send(await signAs(transfer, operator.privateKey));
    expect(denied.code).toBe("SIGERROR");
    expect(denied.text).toBe("Validate signature error: Permission denied");
    // the operator cannot act as the owner (Permission_id 0) either
    const asOwner = await tw.transactionBuilder.undelegateResource(
      10_000_000,
      customer.base58,
      "ENERGY",
      pool1.base58,
    );
    expect((await send(await signAs(asOwner, operator.privateKey))).code).toBe("SIGERROR");
    // an id the account does not have
    const unknown = await tw.transactionBuilder.undelegateResource(
      10_000_000,
      customer.base58,
      "ENERGY",
      pool1.base58,
      { permissionId: 3 },
    );
    const missing = await send(await signAs(unknown, operator.privateKey));
    expect(missing.text).toBe("Validate signature error: permission isn't exit");
    // the owner key still works for everything through the owner permission
    const ownerUndelegate = await send(await tw.trx.sign(asOwner, pool1.privateKey));
    expect(ownerUndelegate.result).toBe(true);
  });

  it("weights and threshold: one of two keys is not enough, both are (and pay the multi-sign fee), a key twice is refused", async () => {
    const up = await grantDelegatePermission(
      [
        { address: operator.base58, weight: 1 },
        { address: operator2.base58, weight: 1 },
      ],
      2,
    );
    expect(up.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const tx = await tw.transactionBuilder.delegateResource(
      5_000_000,
      customer.base58,
      "ENERGY",
      pool1.base58,
      false,
      undefined,
      { permissionId: 2 },
    );
    const one = await signAs(tx, operator.privateKey);
    const r1 = await send(one);
    expect(r1.code).toBe("SIGERROR");
    expect(r1.text).toBe("Validate signature error: sig error");
    const twice = { ...one, signature: [one.signature[0], one.signature[0]] };
    expect((await send(twice)).text).toBe(`Validate signature error: ${operator.base58} has signed twice!`);
    const before = (await account(pool1.base58)).balance;
    const both = await signAs(one, operator2.privateKey);
    expect(both.signature).toHaveLength(2);
    const r2 = await send(both);
    expect(r2.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info = (await tw.trx.getUnconfirmedTransactionInfo(r2.txid ?? both.txID)) as any;
    // the fee is the multi-sign fee (getMultiSignFee) plus any bandwidth burned
    expect(info.fee - (info.receipt?.net_fee ?? 0)).toBe(1_000_000);
    expect((await account(pool1.base58)).balance).toBe(before - info.fee);
  });

  it("refuses invalid permission updates with the actuator's messages, changing nothing", async () => {
    const owner = {
      type: 0,
      permission_name: "owner",
      threshold: 1,
      keys: [{ address: pool1.base58, weight: 1 }],
    };
    const cases: [unknown[], string][] = [
      [
        [
          {
            type: 2,
            permission_name: "a",
            threshold: 3,
            operations: operations([57]),
            keys: [{ address: operator.base58, weight: 1 }],
          },
        ],
        "sum of all key's weight should not be less than threshold in permission Active",
      ],
      [
        [
          {
            type: 2,
            permission_name: "a",
            threshold: 1,
            operations: operations([57, 200]),
            keys: [{ address: operator.base58, weight: 1 }],
          },
        ],
        "200 isn't a validate ContractType",
      ],
      [
        [
          {
            type: 2,
            permission_name: "a",
            threshold: 1,
            operations: operations([57]),
            keys: [
              { address: operator.base58, weight: 1 },
              { address: operator.base58, weight: 1 },
            ],
          },
        ],
        "address should be distinct in permission Active",
      ],
    ];
    const before = await account(pool1.base58);
    for (const [actives, message] of cases) {
      const tx = await tw.transactionBuilder.updateAccountPermissions(
        pool1.base58,
        owner as any,
        undefined as any,
        actives as any,
      );
      const r = await send(await tw.trx.sign(tx, pool1.privateKey));
      expect(r.code).toBe("CONTRACT_VALIDATE_ERROR");
      expect(r.text).toBe(`Contract validate error : ${message}`);
    }
    await ctl("mine", { blocks: 1 });
    expect(await account(pool1.base58)).toEqual(before);
  });

  it("wallet/accountpermissionupdate: the node builds a validated, unsigned update the owner signs and sends", async () => {
    const build = (body: Record<string, unknown>) =>
      fetch(`${dn.url}/wallet/accountpermissionupdate`, { method: "POST", body: JSON.stringify(body) }).then(
        (r) => r.json() as Promise<any>,
      );
    const owner = { permission_name: "owner", threshold: 1, keys: [{ address: pool3.base58, weight: 1 }] };
    const ours = {
      type: 2,
      permission_name: "energy-helper",
      threshold: 1,
      operations: operations([57, 58]),
      keys: [{ address: operator.base58, weight: 1 }],
    };
    const tx = await build({ owner_address: pool3.hex, owner, actives: [ours] });
    expect(tx.txID).toMatch(/^[0-9a-f]{64}$/);
    expect(tx.signature).toBeUndefined();
    expect(tx.raw_data.contract[0]).toMatchObject({
      type: "AccountPermissionUpdateContract",
      parameter: {
        value: {
          owner_address: pool3.hex,
          owner: { permission_name: "owner", threshold: 1, keys: [{ address: pool3.hex, weight: 1 }] },
          actives: [
            {
              type: "Active",
              permission_name: "energy-helper",
              threshold: 1,
              operations: operations([57, 58]),
              keys: [{ address: operator.hex, weight: 1 }],
            },
          ],
        },
      },
    });
    // tronweb's encoder agrees with the node's txID, so a wallet signs exactly this
    const pb = utils.transaction.txJsonToPb(tx);
    expect(utils.transaction.txPbToTxID(pb).replace(/^0x/, "")).toBe(tx.txID);
    expect((await send(await tw.trx.sign(tx, pool3.privateKey))).result).toBe(true);
    await ctl("mine", { blocks: 1 });
    expect((await account(pool3.base58)).active_permission[0]).toMatchObject({
      id: 2,
      permission_name: "energy-helper",
    });

    // refused when building, as java-tron's createTransactionCapsule runs the actuator's validate()
    const before = await account(pool3.base58);
    const wide = await build({
      owner_address: pool3.hex,
      owner,
      actives: [{ ...ours, operations: `${"ff".repeat(32)}` }],
    });
    expect(wide.Error).toMatch(
      /^class org\.tron\.core\.exception\.ContractValidateException : \d+ isn't a validate ContractType$/,
    );
    expect((await build({ owner_address: pool3.hex, owner, actives: [] })).Error).toContain(
      "active permission is missed",
    );
    expect(
      (await build({ owner_address: customer.hex.replace(/..$/, "00"), owner, actives: [ours] })).Error,
    ).toContain("ownerAddress account does not exist");
    expect(await account(pool3.base58)).toEqual(before);
  });
});
