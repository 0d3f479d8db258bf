/**
 * Blocks of mainnet size on demand (`POST /_devnet/fill-blocks`): ≈300 transactions of the mix a
 * mainnet block carries (mostly USDT transfers, then TRX transfers, other TRC20s, resource
 * delegation and staking, TRC10, contract calls that send TRX), in the same JSON shape as every
 * other devnet transaction. They are made up by the devnet for accounts of its own (no keys) and
 * executed for real, so balances, receipts, logs and internal transactions are all consistent.
 */
import { createHash } from "node:crypto";
import { type Chain, FAKE_HEX_DEFAULT, SUN, USDT_HEX } from "./chain";
import { FORWARD_SELECTOR } from "./contracts";

const SENDERS = 120;
const RECEIVERS = 400;
/** Accounts that only delegate energy (their own stake stays unused, so it can always be delegated). */
const STAKERS = 30;
export const FILLER_TRC10 = "1000001";
const FILLER_ROUTER = `41${createHash("sha256").update("devnet filler router").digest("hex").slice(0, 40)}`;

const addr = (label: string, i: number) =>
  `41${createHash("sha256").update(`devnet filler ${label} ${i}`).digest("hex").slice(0, 40)}`;

/** Share of each kind in a block (sums to 1), after mainnet's typical mix. */
export const FILLER_MIX = [
  ["usdt", 0.52],
  ["trx", 0.24],
  ["trc20", 0.07],
  ["delegate", 0.06],
  ["trc10", 0.04],
  ["router", 0.04],
  ["freeze", 0.03],
] as const;

type Kind = (typeof FILLER_MIX)[number][0];

function ensureActors(chain: Chain): void {
  const usdt = chain.state.tokens.get(USDT_HEX)!;
  if (!chain.state.trc10.has(FILLER_TRC10))
    chain.issueTrc10({
      id: FILLER_TRC10,
      name: "FillerCoin",
      abbr: "FILL",
      precision: 6,
      owner: addr("s", 0),
    });
  if (!chain.state.routers.has(FILLER_ROUTER)) chain.deployRouter(FILLER_ROUTER);
  for (let i = 0; i < SENDERS; i++) {
    const a = addr("s", i);
    const acc = chain.ensureAccount(a);
    if (acc.balance < 2_000 * SUN) acc.balance += 20_000 * SUN;
    if ((usdt.balances.get(a) ?? 0n) < 1_000_000_000n) chain.fundToken(USDT_HEX, a, 10_000_000_000n);
    if (
      chain.state.tokens.has(FAKE_HEX_DEFAULT) &&
      (chain.state.tokens.get(FAKE_HEX_DEFAULT)!.balances.get(a) ?? 0n) < 1_000_000_000n
    )
      chain.fundToken(FAKE_HEX_DEFAULT, a, 10_000_000_000n);
    if ((chain.state.trc10.get(FILLER_TRC10)!.balances.get(a) ?? 0n) < 1_000_000n)
      chain.fundTrc10(FILLER_TRC10, a, 1_000_000_000n);
  }
  for (let j = 0; j < STAKERS; j++) {
    const k = chain.ensureAccount(addr("k", j));
    if (k.balance < 100 * SUN) k.balance += 1_000 * SUN;
    if (k.frozenEnergy < 1_000 * SUN) chain.stake(k.address, 50_000 * SUN, "ENERGY");
  }
  for (let i = 0; i < RECEIVERS; i += 3) chain.ensureAccount(addr("r", i)); // most receivers exist
}

let seq = 0;

function pick(rnd: () => number): Kind {
  let x = rnd();
  for (const [k, w] of FILLER_MIX) {
    if (x < w) return k;
    x -= w;
  }
  return "usdt";
}

const word = (hex41: string) => hex41.slice(2).padStart(64, "0");

/** Adds `txs` made-up transactions to the pending pool (then mine). Returns how many were accepted. */
export function fillPending(
  chain: Chain,
  txs: number,
): { accepted: number; refused: Record<string, number> } {
  ensureActors(chain);
  let state = (seq * 2654435761) >>> 0;
  const rnd = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const refused: Record<string, number> = {};
  let accepted = 0;
  for (let i = 0; i < txs; i++) {
    seq++;
    const from = addr("s", Math.floor(rnd() * SENDERS));
    const to = addr("r", Math.floor(rnd() * RECEIVERS));
    const kind = pick(rnd);
    let tx: Record<string, any>;
    switch (kind) {
      case "usdt":
      case "trc20":
        tx = chain.buildTrigger({
          owner_address: from,
          contract_address: kind === "usdt" ? USDT_HEX : FAKE_HEX_DEFAULT,
          data: `a9059cbb${word(to)}${(1_000_000 + (seq % 1_000_000)).toString(16).padStart(64, "0")}`,
          fee_limit: 100_000_000,
        });
        break;
      case "trx":
        tx = chain.buildSystemTx("TransferContract", {
          owner_address: from,
          to_address: to,
          amount: 1_000 + (seq % 1_000_000),
        });
        break;
      case "delegate": {
        const staker = addr("k", Math.floor(rnd() * STAKERS));
        tx = chain.buildSystemTx("DelegateResourceContract", {
          owner_address: staker,
          resource: "ENERGY",
          balance: SUN + (seq % 1000),
          receiver_address: addr("r", 3 * Math.floor(rnd() * (RECEIVERS / 3))),
        });
        break;
      }
      case "trc10":
        tx = chain.buildSystemTx("TransferAssetContract", {
          asset_name: Buffer.from(FILLER_TRC10, "utf8").toString("hex"),
          owner_address: from,
          to_address: to,
          amount: 1 + (seq % 1_000_000),
        });
        break;
      case "router":
        tx = chain.buildTrigger({
          owner_address: from,
          contract_address: FILLER_ROUTER,
          data: `${FORWARD_SELECTOR}${word(to)}`,
          call_value: 1_000 + (seq % 100_000),
          fee_limit: 100_000_000,
        });
        break;
      default:
        tx = chain.buildSystemTx("FreezeBalanceV2Contract", {
          owner_address: from,
          frozen_balance: SUN + (seq % 1000),
          resource: "ENERGY",
        });
    }
    // unique even when two fills land on the same head block
    tx.raw_data.timestamp = chain.head.timestamp + seq;
    const r = chain.acceptForeign(tx);
    if (r.result) accepted++;
    else refused[`${r.code}: ${r.message}`] = (refused[`${r.code}: ${r.message}`] ?? 0) + 1;
  }
  return { accepted, refused };
}
