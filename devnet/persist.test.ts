import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TronWeb } from "tronweb";
import { afterEach, describe, expect, it } from "vitest";
import { devnetAccount, loadDefaultGenesis } from "./genesis";
import { decode, encode } from "./persist";
import { type Devnet, startDevnet } from "./server";

const treasury = devnetAccount(0);
const customer = devnetAccount(4);

const tmpDirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "devnet-state-"));
  tmpDirs.push(d);
  return d;
};
const open: Devnet[] = [];
const start = async (opts: Parameters<typeof startDevnet>[0]) => {
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 2, ...opts });
  open.push(dn);
  return dn;
};
afterEach(async () => {
  for (const dn of open.splice(0)) await dn.close();
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function sendTrx(url: string, to: string, sun: number): Promise<string> {
  const tw = new TronWeb({ fullHost: url });
  const tx = await tw.transactionBuilder.sendTrx(to, sun, treasury.base58);
  const signed = await tw.trx.sign(tx, treasury.privateKey);
  const r = await tw.trx.sendRawTransaction(signed as any);
  expect(r.result).toBe(true);
  return r.txid ?? (signed as any).txID;
}

const balance = (url: string, addr: string) => new TronWeb({ fullHost: url }).trx.getBalance(addr);

describe("the state codec", () => {
  it("round-trips bigint, Map, Set, bytes, odd numbers, $-keys, and keeps shared references", () => {
    const shared = { n: 1, big: 2n ** 70n };
    const cyclic: Record<string, unknown> = { name: "self" };
    cyclic.self = cyclic;
    const value = {
      shared,
      list: [shared, shared, undefined],
      map: new Map<unknown, unknown>([
        ["a", new Set([1n, 2n])],
        [3, { $ref: 7, $bigint: "not a tag" }],
      ]),
      bytes: new Uint8Array([1, 2, 255]),
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      when: new Date("2025-01-02T03:04:05Z"),
      fn: () => 1,
      cyclic,
    };
    const back = decode(JSON.parse(JSON.stringify(encode(value)))) as any;
    expect(back.shared).toEqual(shared);
    expect(back.list[0]).toBe(back.shared);
    expect(back.list[1]).toBe(back.shared);
    expect(back.list[2]).toBeUndefined();
    expect(back.map.get("a")).toEqual(new Set([1n, 2n]));
    expect(back.map.get(3)).toEqual({ $ref: 7, $bigint: "not a tag" });
    expect(back.bytes).toEqual(new Uint8Array([1, 2, 255]));
    expect(back.nan).toBeNaN();
    expect(back.inf).toBe(Number.NEGATIVE_INFINITY);
    expect(back.when).toEqual(new Date("2025-01-02T03:04:05Z"));
    expect("fn" in back).toBe(false);
    expect(back.cyclic.self).toBe(back.cyclic);
  });
});

describe("devnet persistence", () => {
  it("keeps the chain across a restart: blocks, balances, txs, pending txs and any added state", async () => {
    const dir = tmp();
    const a = await start({ dataDir: dir });
    expect(a.restored).toBe(false);
    const mined = await sendTrx(a.url, customer.base58, 7_000_000);
    a.chain.mine(3);
    const pending = await sendTrx(a.url, customer.base58, 1_000_000); // accepted, not yet in a block
    // State another module might add to the chain later: kept without the codec knowing it.
    (a.chain as any).extraState = { counters: new Map([["x", 5n]]) };
    const head = a.chain.head.number;
    const bal = await balance(a.url, customer.base58);
    await a.close();

    const b = await start({ dataDir: dir });
    expect(b.restored).toBe(true);
    expect(b.chain.head.number).toBe(head);
    expect(await balance(b.url, customer.base58)).toBe(bal);
    expect(b.chain.findTx(mined, false)?.blockNumber).toBeGreaterThan(0);
    expect((b.chain as any).extraState.counters.get("x")).toBe(5n);
    // The pending tx is still the same object as its index entry: mining includes it.
    expect(b.chain.pending[0]).toBe(b.chain.txs.get(pending));
    b.chain.mine(1);
    expect(b.chain.findTx(pending, false)?.blockNumber).toBe(head + 1);
    // The node keeps answering like a node: blocks, TaPoS for new txs.
    await sendTrx(b.url, customer.base58, 1_000_000);
    expect(b.chain.head.number).toBe(head + 1);
  });

  it("reset starts from genesis and overwrites the saved chain", async () => {
    const dir = tmp();
    const a = await start({ dataDir: dir });
    a.chain.mine(5);
    await sendTrx(a.url, customer.base58, 3_000_000);
    const genesisBalance = 10_000 * 1_000_000;
    await a.close();
    const b = await start({ dataDir: dir, reset: true });
    expect(b.restored).toBe(false);
    expect(b.chain.head.number).toBe(1);
    expect(await balance(b.url, customer.base58)).toBe(genesisBalance);
    await b.close();
    const c = await start({ dataDir: dir });
    expect(c.restored).toBe(true);
    expect(c.chain.head.number).toBe(1);
  });

  it("stays in memory unless asked, and refuses a chain saved from another genesis", async () => {
    const dir = tmp();
    const a = await start({});
    expect(a.stateFile).toBeUndefined();
    a.chain.mine(2);
    await a.close();
    expect(fs.readdirSync(dir)).toEqual([]);

    const b = await start({ dataDir: dir });
    await b.close();
    const other = loadDefaultGenesis();
    other.totalEnergyWeight = 1_234_567;
    await expect(start({ dataDir: dir, genesis: other })).rejects.toThrow(/different genesis.*--reset/);
  });

  it("saves while running, so a killed devnet keeps what it had a few seconds before", async () => {
    const dir = tmp();
    const a = await start({ dataDir: dir, saveIntervalMs: 50 });
    a.chain.mine(4);
    await new Promise((r) => setTimeout(r, 200));
    const saved = JSON.parse(fs.readFileSync(path.join(dir, "chain.json"), "utf8"));
    expect(saved.head).toBe(5);
  });
});

describe("npm run devnet", () => {
  const procs: ChildProcess[] = [];
  afterEach(() => {
    for (const p of procs.splice(0)) if (p.exitCode === null) p.kill("SIGKILL");
  });

  /** Starts the CLI, waits for its banner, returns the banner text and the process. */
  async function cli(dataDir: string, args: string[]): Promise<{ out: string; p: ChildProcess }> {
    const p = spawn(process.execPath, ["--import", "tsx", "devnet/main.ts", ...args], {
      cwd: path.resolve(__dirname, ".."),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "development",
        DEVNET_PORT: "0",
        DEVNET_BLOCK_MS: "100",
        DEVNET_DATA_DIR: dataDir,
      },
    });
    procs.push(p);
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 20_000);
      p.stdout!.on("data", (c) => {
        out += c;
        if (/env files/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      p.stderr!.on("data", (c) => {
        out += c;
      });
      p.on("exit", () => reject(new Error(`exited:\n${out}`)));
    });
    return { out, p };
  }
  const stop = (p: ChildProcess) =>
    new Promise<void>((resolve) => {
      p.once("exit", () => resolve());
      p.kill("SIGTERM");
    });
  const headOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "chain.json"), "utf8")).head;

  it("continues the saved chain after a restart, and --reset starts afresh", async () => {
    const dir = tmp();
    const first = await cli(dir, []);
    expect(first.out).toMatch(/chain: new from genesis, kept in .*chain\.json/);
    await new Promise((r) => setTimeout(r, 1_000)); // ~10 blocks
    await stop(first.p);
    const head = headOf(dir);
    expect(head).toBeGreaterThan(3);

    const second = await cli(dir, []);
    expect(second.out).toMatch(new RegExp(`chain: continued from .*chain\\.json at block ${head}`));
    await stop(second.p);
    expect(headOf(dir)).toBeGreaterThanOrEqual(head);

    const third = await cli(dir, ["--reset"]);
    expect(third.out).toMatch(/chain: new from genesis \(--reset\).*npm run db:reset/s);
    await stop(third.p);
    expect(headOf(dir)).toBeLessThan(head);
  });
});
