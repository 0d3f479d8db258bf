/**
 * Local TRON devnet HTTP server: java-tron full-node API (/wallet, /walletsolidity), TronGrid v1
 * (/v1/accounts/...), TronScan (/api/accountv2) and a control API (/_devnet/...).
 * DEVNET ONLY. See devnet/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Chain, hexOfText, type Resource, type StoredTx, toBase58, toHexAddr, USDT_HEX } from "./chain";
import { hexOfUtf8, internalTxV1 } from "./contracts";
import { fillPending } from "./filler";
import { type Genesis, loadGenesisFile } from "./genesis";
import { chainFile, loadChain, lockStateFile, saveChain } from "./persist";
import { NodeSet, type NodesConfig } from "./nodes";
import { PermissionValidateError, permissionJson, validatePermissionUpdate } from "./permissions";

export interface DevnetOptions {
  /** TCP port; 0 picks a free one. Default 9090. */
  port?: number;
  host?: string;
  /** Block interval in ms; 0 disables the timer (mine on demand via /_devnet/mine). Default 3000. */
  blockIntervalMs?: number;
  /** Blocks between head and the solidified block served on /walletsolidity. Default 19. */
  solidityLag?: number;
  /** Genesis object or a path to a genesis JSON file. Default devnet/genesis.json. */
  genesis?: Genesis | string;
  /** Mine a block right after every accepted broadcast (instant inclusion). Default false. */
  autoMine?: boolean;
  /** Accepted TRON-PRO-API-KEY values for /api/accountv2; empty/undefined = any non-empty key. */
  tronscanApiKeys?: string[];
  /**
   * Keep the chain in `<dataDir>/chain.json`: restored on start, saved while running and on close.
   * Unset (the default for in-process use): the chain lives in memory only.
   */
  dataDir?: string;
  /** With `dataDir`: discard the saved chain and start from genesis. */
  reset?: boolean;
  /** With `dataDir`: how often a changed chain is saved, in ms. Default 5000. */
  saveIntervalMs?: number;
  /** Several disagreeing nodes behind the URL (see nodes.ts); default one node. */
  nodes?: NodesConfig;
}

export interface FaultConfig {
  latencyMs?: number;
  /** Count of next matching requests to fail with 5xx, or a probability in (0,1). */
  status5xx?: number;
  status5xxCode?: number;
  /** Count of next matching requests answered with 429. */
  rateLimit429?: number;
  /** Count of next broadcasts answered {result:true} but never included. */
  dropBroadcasts?: number;
  /**
   * Count of next DelegateResource broadcasts the node refuses with CONTRACT_VALIDATE_ERROR (the
   * message java-tron gives when the owner's available stake is short), without executing them.
   */
  refuseDelegations?: number;
  /** Only requests whose path starts with one of these prefixes are affected (default: all). */
  paths?: string | string[];
}

export interface Devnet {
  url: string;
  port: number;
  chain: Chain;
  faults: FaultConfig;
  /** The file the chain is kept in (with `dataDir`), and whether it was restored from there. */
  stateFile?: string;
  restored: boolean;
  /** Writes the chain to `stateFile` now (no-op without `dataDir`). */
  save(): void;
  nodes: NodeSet;
  close(): Promise<void>;
}

type Json = Record<string, any>;

class HttpReply {
  constructor(
    public status: number,
    public body: unknown,
  ) {}
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function coerce(v: string): unknown {
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^-?\d+$/.test(v) && v.length < 16) return Number(v);
  return v;
}

/** Convert 41-hex addresses to base58 for visible=true replies. */
function visibleize(o: any): any {
  if (Array.isArray(o)) return o.map(visibleize);
  if (o && typeof o === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(o)) out[k] = visibleize(v);
    return out;
  }
  if (typeof o === "string" && /^41[0-9a-f]{40}$/.test(o)) return toBase58(o);
  return o;
}

const resourceOf = (t: unknown): Resource =>
  t === 1 || t === "ENERGY" || t === "1" ? "ENERGY" : "BANDWIDTH";

function javaError(cls: string, msg: string): Json {
  return { Error: `class ${cls} : ${msg}` };
}

export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const genesis = typeof opts.genesis === "string" ? loadGenesisFile(opts.genesis) : opts.genesis;
  const chain = new Chain({ genesis, solidityLag: opts.solidityLag ?? 19 });
  const blockMs = opts.blockIntervalMs ?? 3000;
  const faults: FaultConfig = {};
  const stateFile = opts.dataDir ? chainFile(opts.dataDir) : undefined;
  const unlock = stateFile ? lockStateFile(stateFile) : () => {};
  let restored = false;
  try {
    if (stateFile && !opts.reset) restored = loadChain(chain, stateFile);
  } catch (e) {
    unlock();
    throw e;
  }
  // Saved when the head moved or a write request came in since the last save. A save blocks the
  // event loop for as long as it takes (about 15 ms per MB of chain), so the next one waits at
  // least 20 times that: saving never takes more than ~5% of the devnet's time however long it runs.
  let dirty = true;
  let savedHead = "";
  let saveMs = 0;
  const save = () => {
    if (!stateFile) return;
    const t0 = performance.now();
    try {
      saveChain(chain, stateFile);
      savedHead = chain.head.blockID;
      dirty = false;
    } catch (e) {
      console.error(`devnet: could not save the chain to ${stateFile}: ${(e as Error).message}`);
    }
    saveMs = performance.now() - t0;
  };
  save();
  let saveTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const scheduleSave = () => {
    if (!stateFile || closed) return;
    saveTimer = setTimeout(
      () => {
        if (dirty || chain.head.blockID !== savedHead) save();
        scheduleSave();
      },
      Math.max(opts.saveIntervalMs ?? 5000, 20 * saveMs),
    );
    saveTimer.unref();
  };
  scheduleSave();
  const nodes = new NodeSet(chain, opts.nodes);
  const network = chain;
  let timer: NodeJS.Timeout | undefined;
  if (blockMs > 0) {
    timer = setInterval(() => chain.mine(1), blockMs);
    timer.unref();
  }
  let mineScheduled = false;
  if (opts.autoMine) {
    chain.onAccepted = () => {
      if (mineScheduled) return;
      mineScheduled = true;
      setImmediate(() => {
        mineScheduled = false;
        chain.mine(1);
      });
    };
  }

  const pathMatches = (path: string) => {
    if (!faults.paths) return true;
    const list = Array.isArray(faults.paths) ? faults.paths : [faults.paths];
    return list.some((p) => path.startsWith(p));
  };

  // ------------------------------------------------------------------ node API
  const nodeApi = (name: string, solid: boolean, p: Json, chain: Chain = network): unknown => {
    const view = solid ? chain.solidView() : chain.headView();
    const addr = (k: string) => toHexAddr(p[k]);
    switch (name) {
      case "getaccount":
        return view.accountJson(addr("address"));
      case "getaccountresource":
        return view.resourceJson(addr("address"));
      case "getaccountnet": {
        const a = view.s.accounts.get(addr("address"));
        return a ? view.netJson(a) : {};
      }
      case "getdelegatedresourcev2":
        return view.delegatedResourceJson(addr("fromAddress"), addr("toAddress"));
      case "getdelegatedresourceaccountindexv2":
        return view.delegationIndexJson(addr("value"));
      case "getcandelegatedmaxsize": {
        const a = view.s.accounts.get(addr("owner_address"));
        if (!a) return {};
        const v = view.canDelegateMax(a, resourceOf(p.type));
        return v ? { max_size: v } : {};
      }
      case "getchainparameters":
        return {
          chainParameter: Object.entries(chain.params).map(([key, value]) =>
            value ? { key, value } : { key },
          ),
        };
      case "getnowblock":
        return chain.blockJson(solid ? chain.blocks[chain.solidifiedNumber] : chain.head);
      case "getblock": {
        const detail = p.detail === true;
        const idn = p.id_or_num;
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        if (idn === undefined || idn === "") return chain.blockJson(chain.blocks[max], detail);
        const s = String(idn);
        const b =
          s.length === 64
            ? chain.blocks[Number.parseInt(s.slice(0, 16), 16)]
            : chain.blocks[Number.parseInt(s, 10)];
        if (!b || b.number > max || (s.length === 64 && b.blockID !== s.toLowerCase())) return {};
        return chain.blockJson(b, detail);
      }
      case "getblockbynum": {
        const n = Number(p.num ?? 0);
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        return n <= max && chain.blocks[n] ? chain.blockJson(chain.blocks[n]) : {};
      }
      case "getblockbyid": {
        const s = String(p.value ?? "").toLowerCase();
        const b = chain.blocks[Number.parseInt(s.slice(0, 16), 16)];
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        return b && b.blockID === s && b.number <= max ? chain.blockJson(b) : {};
      }
      case "getblockbylimitnext": {
        const start = Number(p.startNum ?? 0);
        const end = Number(p.endNum ?? 0);
        if (end - start > 100 || start < 0 || end <= start) return {};
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        const out = [];
        for (let n = start; n < end && n <= max; n++) out.push(chain.blockJson(chain.blocks[n]));
        return out.length ? { block: out } : {};
      }
      case "getblockbylatestnum": {
        const num = Number(p.num ?? 0);
        if (num <= 0 || num > 100) return {};
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        const out = [];
        for (let n = Math.max(0, max - num + 1); n <= max; n++) out.push(chain.blockJson(chain.blocks[n]));
        return { block: out };
      }
      case "gettransactionbyid": {
        const t = chain.findTx(String(p.value ?? "").toLowerCase(), solid);
        return t ? t.tx : {};
      }
      case "gettransactioninfobyid": {
        const t = chain.findTx(String(p.value ?? "").toLowerCase(), solid);
        return t ? chain.txInfoJson(t) : {};
      }
      case "gettransactioninfobyblocknum": {
        const n = Number(p.num ?? 0);
        const max = solid ? chain.solidifiedNumber : chain.head.number;
        const b = chain.blocks[n];
        if (!b || n > max) return [];
        return b.txIds.map((id) => chain.txInfoJson(chain.txs.get(id)!));
      }
      case "triggerconstantcontract":
      case "estimateenergy": {
        const r = chain.constantCall(p, view);
        if (name === "estimateenergy")
          return r.result?.code ? r : { result: { result: true }, energy_required: r.energy_used };
        return r;
      }
      case "getnodeinfo":
        return {
          beginSyncNum: chain.head.number,
          block: `Num:${chain.head.number},ID:${chain.head.blockID}`,
          solidityBlock: `Num:${chain.solidifiedNumber},ID:${chain.blocks[chain.solidifiedNumber].blockID}`,
          currentConnectCount: 0,
          activeConnectCount: 0,
          configNodeInfo: { codeVersion: "4.8.0", versionNum: "19000", dbVersion: 2 },
        };
    }
    if (solid) return undefined;
    switch (name) {
      case "broadcasttransaction":
        return broadcast(p, false);
      case "broadcasthex": {
        let tx: Json;
        try {
          tx = chain.decodeHex(String(p.transaction ?? ""));
        } catch (e) {
          return { result: false, code: "OTHER_ERROR", message: hexOfText(`Error: ${(e as Error).message}`) };
        }
        const r = broadcast(tx, false) as Json;
        if (r.result)
          return { result: true, txid: r.txid, transaction: JSON.stringify({ ...tx, txID: r.txid }) };
        return r;
      }
      case "triggersmartcontract": {
        const ca = toHexAddr(p.contract_address);
        if (!chain.state.tokens.has(ca) && !chain.state.routers.has(ca))
          return {
            result: {
              code: "CONTRACT_VALIDATE_ERROR",
              message: hexOfText("Contract validate error : No contract or not a valid smart contract"),
            },
          };
        const tx = chain.buildTrigger(p);
        return { result: { result: true }, txid: tx.txID, transaction: tx };
      }
      case "freezebalancev2": {
        const v: Json = { owner_address: addr("owner_address"), frozen_balance: Number(p.frozen_balance) };
        if (resourceOf(p.resource) === "ENERGY") v.resource = "ENERGY";
        return chain.buildSystemTx("FreezeBalanceV2Contract", v);
      }
      case "unfreezebalancev2": {
        const v: Json = {
          owner_address: addr("owner_address"),
          unfreeze_balance: Number(p.unfreeze_balance),
        };
        if (resourceOf(p.resource) === "ENERGY") v.resource = "ENERGY";
        return chain.buildSystemTx("UnfreezeBalanceV2Contract", v);
      }
      case "delegateresource":
      case "undelegateresource": {
        const v: Json = { owner_address: addr("owner_address") };
        if (resourceOf(p.resource) === "ENERGY") v.resource = "ENERGY";
        v.balance = Number(p.balance);
        v.receiver_address = addr("receiver_address");
        if (name === "delegateresource" && p.lock) {
          v.lock = true;
          if (p.lock_period) v.lock_period = Number(p.lock_period);
        }
        return chain.buildSystemTx(
          name === "delegateresource" ? "DelegateResourceContract" : "UnDelegateResourceContract",
          v,
        );
      }
      case "accountpermissionupdate": {
        // java-tron builds through Wallet.createTransactionCapsule, which runs the actuator's validate()
        const owner = addr("owner_address");
        const toHexKeys = (perm: Json) => ({
          ...perm,
          keys: (Array.isArray(perm?.keys) ? perm.keys : []).map((k: Json) => ({
            address: toHexAddr(k?.address),
            weight: Number(k?.weight ?? 0),
          })),
        });
        const value: Json = {
          owner_address: owner,
          ...(p.owner ? { owner: toHexKeys(p.owner) } : {}),
          ...(p.witness ? { witness: toHexKeys(p.witness) } : {}),
          actives: (Array.isArray(p.actives) ? p.actives : []).map(toHexKeys),
        };
        const acc = chain.state.accounts.get(owner);
        const fail = (m: string) => ({
          Error: `class org.tron.core.exception.ContractValidateException : ${m}`,
        });
        if (!acc) return fail("ownerAddress account does not exist");
        try {
          const next = validatePermissionUpdate(value);
          // the node prints the permissions it will store (owner type omitted as the proto3 default)
          const { id: _o, ...ownerJson } = permissionJson(next.owner);
          value.owner = ownerJson;
          value.actives = next.actives.map((a) => {
            const { id: _id, ...rest } = permissionJson(a);
            return rest;
          });
        } catch (e) {
          if (e instanceof PermissionValidateError) return fail(e.message);
          throw e;
        }
        return chain.buildSystemTx("AccountPermissionUpdateContract", value);
      }
      case "createtransaction":
        return chain.buildSystemTx("TransferContract", {
          owner_address: addr("owner_address"),
          to_address: addr("to_address"),
          amount: Number(p.amount),
        });
    }
    return undefined;
  };

  let dropCount = 0;
  const broadcast = (tx: Json, visible: boolean): Json => {
    const type = (tx as { raw_data?: { contract?: { type?: string }[] } }).raw_data?.contract?.[0]?.type;
    if (type === "DelegateResourceContract" && (faults.refuseDelegations ?? 0) > 0) {
      faults.refuseDelegations = (faults.refuseDelegations ?? 0) - 1;
      const message =
        "Contract validate error : delegateBalance must be less than or equal to available FreezeEnergyV2 balance";
      const txid = typeof tx.txID === "string" ? tx.txID : "";
      return { code: "CONTRACT_VALIDATE_ERROR", txid, message: visible ? message : hexOfText(message) };
    }
    const drop = dropCount > 0;
    if (drop) dropCount--;
    const r = chain.broadcast(tx, { drop });
    if (r.result) return { result: true, txid: r.txid };
    return { code: r.code, txid: r.txid, message: visible ? r.message : hexOfText(r.message ?? "") };
  };

  // ------------------------------------------------------------------ TronGrid v1
  const tronGrid = (path: string, q: URLSearchParams, host: string): HttpReply => {
    const m = /^\/v1\/accounts\/([^/]+)\/transactions(\/trc20)?\/?$/.exec(path);
    if (!m) return new HttpReply(404, { success: false, error: "Not found", statusCode: 404 });
    let address: string;
    try {
      address = toHexAddr(decodeURIComponent(m[1]));
    } catch {
      return new HttpReply(400, { success: false, error: "Invalid address", statusCode: 400 });
    }
    const get = (snake: string) => {
      const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      return q.get(snake) ?? q.get(camel) ?? undefined;
    };
    const bool = (k: string) => get(k) === "true";
    const onlyConfirmed = bool("only_confirmed");
    const onlyUnconfirmed = bool("only_unconfirmed");
    let onlyTo = bool("only_to");
    let onlyFrom = bool("only_from");
    if (onlyTo && onlyFrom) onlyTo = onlyFrom = false;
    const limit = Math.min(200, Math.max(1, Number(get("limit") ?? 20) || 20));
    const asc = (get("order_by") ?? "block_timestamp,desc").endsWith(",asc");
    const minTs = Number(get("min_timestamp") ?? get("min_block_timestamp") ?? 0);
    const maxTs = Number(get("max_timestamp") ?? get("max_block_timestamp") ?? Number.MAX_SAFE_INTEGER);
    const fp = get("fingerprint");
    let cursor: number[] | undefined;
    if (fp) {
      try {
        cursor = JSON.parse(Buffer.from(fp, "base64url").toString("utf8"));
      } catch {
        return new HttpReply(400, { success: false, error: "Invalid fingerprint", statusCode: 400 });
      }
    }
    const solidNum = chain.solidifiedNumber;
    let contractFilter: string | undefined;
    const ca = get("contract_address");
    if (ca) contractFilter = toHexAddr(ca);
    const trc20 = !!m[2];
    type Item = { key: number[]; ts: number; data: Json };
    const items: Item[] = [];
    for (const b of chain.blocks) {
      if (!b.txIds.length) continue;
      if (onlyConfirmed && b.number > solidNum) continue;
      if (onlyUnconfirmed && b.number <= solidNum) continue;
      if (b.timestamp < minTs || b.timestamp > maxTs) continue;
      b.txIds.forEach((id, i) => {
        const t = chain.txs.get(id)!;
        if (trc20) {
          t.trc20.forEach((ev, li) => {
            if (contractFilter && ev.token !== contractFilter) return;
            const isFrom = ev.from === address;
            const isTo = ev.to === address;
            if (!(isFrom || isTo) || (onlyTo && !isTo) || (onlyFrom && !isFrom)) return;
            const tok = chain.state.tokens.get(ev.token);
            items.push({
              key: [b.number, i, li],
              ts: b.timestamp,
              data: {
                transaction_id: t.txID,
                token_info: {
                  symbol: tok?.symbol,
                  address: toBase58(ev.token),
                  decimals: tok?.decimals,
                  name: tok?.name,
                },
                block_timestamp: b.timestamp,
                from: toBase58(ev.from),
                to: toBase58(ev.to),
                type: "Transfer",
                value: ev.value,
              },
            });
          });
        } else {
          const isFrom = t.owner === address;
          const isTo = t.to === address;
          if ((isFrom || isTo) && !(onlyTo && !isTo) && !(onlyFrom && !isFrom))
            items.push({ key: [b.number, i, 0], ts: b.timestamp, data: v1Tx(t) });
          // TRX moved by a contract call: TronGrid lists each internal transaction as its own item
          (t.internal ?? []).forEach((it, k) => {
            const iFrom = it.caller === address;
            const iTo = it.to === address;
            if (!(iFrom || iTo) || (onlyTo && !iTo) || (onlyFrom && !iFrom)) return;
            items.push({
              key: [b.number, i, k + 1],
              ts: b.timestamp,
              data: internalTxV1(it, t.txID, b.timestamp),
            });
          });
        }
      });
    }
    const cmp = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    items.sort((a, b) => (asc ? cmp(a.key, b.key) : cmp(b.key, a.key)));
    let list = items;
    if (cursor) list = items.filter((it) => (asc ? cmp(it.key, cursor!) > 0 : cmp(it.key, cursor!) < 0));
    const page = list.slice(0, limit);
    const meta: Json = { at: Date.now(), page_size: page.length };
    if (list.length > limit) {
      const fingerprint = Buffer.from(JSON.stringify(page[page.length - 1].key)).toString("base64url");
      meta.fingerprint = fingerprint;
      const nq = new URLSearchParams(q);
      nq.set("fingerprint", fingerprint);
      meta.links = { next: `http://${host}${path}?${nq.toString()}` };
    }
    return new HttpReply(200, { data: page.map((p) => p.data), success: true, meta });
  };

  const v1Tx = (t: StoredTx): Json => {
    const r = t.info.receipt ?? {};
    return {
      ret: [{ contractRet: t.tx.ret[0].contractRet, fee: t.info.fee ?? 0 }],
      signature: t.tx.signature,
      txID: t.txID,
      net_usage: r.net_usage ?? 0,
      raw_data_hex: t.tx.raw_data_hex,
      net_fee: r.net_fee ?? 0,
      energy_usage: r.energy_usage ?? 0,
      blockNumber: t.blockNumber,
      block_timestamp: t.blockTimestamp,
      energy_fee: r.energy_fee ?? 0,
      energy_usage_total: r.energy_usage_total ?? 0,
      raw_data: t.tx.raw_data,
      internal_transactions: (t.info.internal_transactions as Json[] | undefined) ?? [],
    };
  };

  // ------------------------------------------------------------------ TronScan
  const tronScan = (q: URLSearchParams, headers: IncomingMessage["headers"]): HttpReply => {
    const key = headers["tron-pro-api-key"];
    const keyStr = Array.isArray(key) ? key[0] : key;
    if (!keyStr || (opts.tronscanApiKeys?.length && !opts.tronscanApiKeys.includes(keyStr)))
      return new HttpReply(401, { message: "Unauthorized: a valid TRON-PRO-API-KEY header is required" });
    let addr: string;
    try {
      addr = toHexAddr(q.get("address") ?? "");
    } catch {
      return new HttpReply(400, { message: "invalid address" });
    }
    const view = chain.headView();
    const a = view.s.accounts.get(addr);
    const base58 = toBase58(addr);
    if (!a) {
      return new HttpReply(200, {
        address: base58,
        balance: 0,
        balanceStr: "0",
        activated: false,
        withPriceTokens: [],
        bandwidth: {},
        totalTransactionCount: 0,
      });
    }
    const tokens: Json[] = [
      {
        tokenId: "_",
        tokenName: "trx",
        tokenAbbr: "trx",
        tokenType: "trc10",
        tokenDecimal: 6,
        balance: String(a.balance),
      },
    ];
    for (const t of view.s.tokens.values()) {
      const bal = t.balances.get(addr) ?? 0n;
      if (bal > 0n)
        tokens.push({
          tokenId: toBase58(t.address),
          tokenName: t.name,
          tokenAbbr: t.symbol,
          tokenType: "trc20",
          tokenDecimal: t.decimals,
          balance: bal.toString(),
        });
    }
    let count = 0;
    for (const t of chain.txs.values())
      if (t.blockNumber >= 0 && (t.owner === addr || t.to === addr)) count++;
    const energyLimit = view.energyLimit(a);
    const energyUsed = view.energyUsed(a);
    const netLimit = view.netLimit(a);
    const netUsed = view.netUsed(a);
    const freeLimit = chain.params.getFreeNetLimit;
    const freeUsed = view.freeNetUsed(a);
    return new HttpReply(200, {
      address: base58,
      balance: a.balance,
      balanceStr: String(a.balance),
      activated: true,
      date_created: a.createTime,
      latest_operation_time: a.latestOprationTime ?? a.createTime,
      totalTransactionCount: count,
      withPriceTokens: tokens,
      bandwidth: {
        energyRemaining: Math.max(0, energyLimit - energyUsed),
        energyLimit,
        energyUsed,
        freeNetRemaining: Math.max(0, freeLimit - freeUsed),
        freeNetLimit: freeLimit,
        freeNetUsed: freeUsed,
        netRemaining: Math.max(0, netLimit - netUsed),
        netLimit,
        netUsed,
        totalEnergyLimit: chain.params.getTotalEnergyCurrentLimit,
        totalEnergyWeight: view.s.totalEnergyWeight,
        totalNetLimit: chain.params.getTotalNetLimit,
        totalNetWeight: view.s.totalNetWeight,
      },
      frozenV2: view.accountJson(addr).frozenV2,
      delegated: {
        delegated_frozenV2_balance_for_energy: a.delegatedOutEnergy,
        acquired_delegated_frozenV2_balance_for_energy: a.acquiredEnergy,
        delegated_frozenV2_balance_for_bandwidth: a.delegatedOutBandwidth,
        acquired_delegated_frozenV2_balance_for_bandwidth: a.acquiredBandwidth,
      },
    });
  };

  // ------------------------------------------------------------------ control API
  const control = (name: string, p: Json, method: string): HttpReply => {
    const ok = (extra: Json = {}) => new HttpReply(200, { ok: true, head: chain.head.number, ...extra });
    switch (name) {
      case "state": {
        const s = chain.state;
        return new HttpReply(200, {
          head: { number: chain.head.number, blockID: chain.head.blockID, timestamp: chain.head.timestamp },
          solidified: chain.solidifiedNumber,
          solidityLag: chain.solidityLag,
          pending: chain.pending.length,
          txCount: chain.txs.size,
          clockOffsetMs: chain.clockOffset,
          blockIntervalMs: blockMs,
          totalEnergyWeight: s.totalEnergyWeight,
          totalEnergyLimit: chain.params.getTotalEnergyCurrentLimit,
          totalNetWeight: s.totalNetWeight,
          usdt: { hex: USDT_HEX, base58: toBase58(USDT_HEX) },
          tokens: [...s.tokens.values()].map((t) => ({
            hex: t.address,
            base58: toBase58(t.address),
            symbol: t.symbol,
            decimals: t.decimals,
          })),
          accounts: [...s.accounts.values()].map((a) => ({
            address: toBase58(a.address),
            hex: a.address,
            balance: a.balance,
            frozenEnergy: a.frozenEnergy,
            frozenBandwidth: a.frozenBandwidth,
            delegatedOutEnergy: a.delegatedOutEnergy,
            acquiredEnergy: a.acquiredEnergy,
            usdt: (s.tokens.get(USDT_HEX)?.balances.get(a.address) ?? 0n).toString(),
            contract: a.isContract ?? false,
          })),
          faults,
        });
      }
      case "mine": {
        const blocks = chain.mine(Math.max(1, Number(p.blocks ?? 1)));
        return ok({ mined: blocks.length });
      }
      case "advance-time": {
        chain.advanceTime(Number(p.ms ?? 0), p.mine !== false);
        return ok({ clockOffsetMs: chain.clockOffset, headTimestamp: chain.head.timestamp });
      }
      case "fund": {
        const sun = p.sun !== undefined ? Number(p.sun) : Math.round(Number(p.trx ?? 0) * 1e6);
        const a = chain.fund(toHexAddr(p.address), sun);
        return ok({ address: toBase58(a.address), balance: a.balance });
      }
      case "fund-usdt":
      case "fund-token": {
        const token = name === "fund-usdt" ? USDT_HEX : toHexAddr(p.token ?? p.contract_address);
        const addr = toHexAddr(p.address);
        chain.fundToken(token, addr, BigInt(String(p.amount ?? 0)));
        return ok({ balance: (chain.state.tokens.get(token)!.balances.get(addr) ?? 0n).toString() });
      }
      case "deploy-token": {
        const address = p.address ? toHexAddr(p.address) : chain.fakeToken;
        const t = chain.deployToken(
          address,
          p.symbol ?? "FAKE",
          p.name ?? "Fake Token",
          Number(p.decimals ?? 6),
        );
        return ok({ hex: t.address, base58: toBase58(t.address) });
      }
      case "issue-trc10": {
        const id = String(p.id ?? "1000001");
        if (!/^\d{7}$/.test(id))
          return new HttpReply(400, { error: "id must be 7 digits (java-tron asset ids)" });
        const t = chain.issueTrc10({
          id,
          name: String(p.name ?? "DevToken"),
          abbr: String(p.abbr ?? "DEV"),
          precision: Number(p.precision ?? 6),
          owner: p.owner ? toHexAddr(p.owner) : USDT_HEX,
        });
        return ok({ id: t.id, asset_name: hexOfUtf8(t.id) });
      }
      case "fund-trc10": {
        const addr = toHexAddr(p.address);
        chain.fundTrc10(String(p.id), addr, BigInt(String(p.amount ?? 0)));
        return ok({ balance: (chain.state.trc10.get(String(p.id))?.balances.get(addr) ?? 0n).toString() });
      }
      case "deploy-router": {
        const address = p.address
          ? toHexAddr(p.address)
          : `41${Buffer.from(`devnet router ${chain.state.routers.size}`).toString("hex").padEnd(40, "0").slice(0, 40)}`;
        chain.deployRouter(address);
        if (p.sun) chain.fund(address, Number(p.sun));
        return ok({ hex: address, base58: toBase58(address) });
      }
      case "energy-factor": {
        // set a contract's dynamic energy factor (1/10,000 above ×1) for the current cycle
        const contract = toHexAddr(p.contract ?? USDT_HEX);
        const st = chain.contractEnergyState(contract, chain.head.timestamp);
        if (p.factor !== undefined) st.energyFactor = Math.max(0, Math.trunc(Number(p.factor)));
        if (p.usage !== undefined) st.energyUsage = Math.max(0, Math.trunc(Number(p.usage)));
        return ok({ contract: toBase58(contract), ...st, cycle: chain.cycleAt(chain.head.timestamp) });
      }
      case "params": {
        // change chain parameters (as a passed proposal would); reset restores genesis
        for (const [k, v] of Object.entries(p)) {
          if (!(k in chain.params) || typeof v !== "number")
            return new HttpReply(400, { error: `unknown chain parameter ${k} or not a number` });
        }
        Object.assign(chain.params, p);
        return ok({ params: chain.params });
      }
      case "fill-blocks": {
        // blocks of mainnet size: `txs` made-up transactions of mixed types in each of `blocks` blocks
        const blocks = Math.max(1, Math.min(1000, Number(p.blocks ?? 1)));
        const txs = Math.max(0, Math.min(2000, Number(p.txs ?? 300)));
        let accepted = 0;
        const refused: Record<string, number> = {};
        for (let i = 0; i < blocks; i++) {
          const r = fillPending(chain, txs);
          accepted += r.accepted;
          for (const [k, v] of Object.entries(r.refused)) refused[k] = (refused[k] ?? 0) + v;
          chain.mine(1);
        }
        return ok({ blocks, accepted, refused });
      }
      case "stake": {
        const res = resourceOf(p.resource ?? "ENERGY");
        chain.stake(toHexAddr(p.address), Number(p.sun), res, p.fromBalance === true);
        return ok({ totalEnergyWeight: chain.state.totalEnergyWeight });
      }
      case "reset":
        chain.reset();
        nodes.restore();
        dropCount = 0;
        for (const k of Object.keys(faults)) delete (faults as Json)[k];
        return ok();
      case "faults": {
        if (method === "GET") return new HttpReply(200, faults);
        for (const k of [
          "latencyMs",
          "status5xx",
          "status5xxCode",
          "rateLimit429",
          "refuseDelegations",
          "paths",
        ] as const) {
          if (p[k] !== undefined) (faults as Json)[k] = p[k];
        }
        if (p.dropBroadcasts !== undefined) dropCount = Number(p.dropBroadcasts);
        faults.dropBroadcasts = dropCount;
        return ok({ faults });
      }
      case "nodes": {
        if (method === "GET") return new HttpReply(200, nodes.describe());
        try {
          nodes.configure({ nodes: p.nodes ?? [], pick: p.pick, paths: p.paths });
        } catch (e) {
          return new HttpReply(400, { error: (e as Error).message });
        }
        return ok(nodes.describe());
      }
      case "nodes/clear":
        nodes.clear();
        return ok();
      case "faults/clear":
        for (const k of Object.keys(faults)) delete (faults as Json)[k];
        dropCount = 0;
        return ok();
    }
    return new HttpReply(404, { error: `unknown control route ${name}` });
  };

  // ------------------------------------------------------------------ dispatcher
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://devnet");
    const path = url.pathname;
    const send = (status: number, body: unknown) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(text);
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "*",
        "access-control-allow-methods": "GET,POST,OPTIONS",
      });
      res.end();
      return;
    }
    const raw = req.method === "POST" ? await readBody(req) : "";
    const isControl = path.startsWith("/_devnet/");
    const isV1 = path.startsWith("/v1/");
    if (req.method === "POST" && (isControl || path.includes("broadcast"))) dirty = true;

    // fault injection (never on the control API)
    if (!isControl && pathMatches(path)) {
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      if (faults.rateLimit429 && faults.rateLimit429 > 0) {
        faults.rateLimit429--;
        if (isV1)
          return send(429, {
            success: false,
            error: "The key exceeds the frequency limit(15), and the query server is suspended for 30s",
            statusCode: 429,
          });
        return send(429, {
          Error: "The key exceeds the frequency limit(30), and the query server is suspended for 30s",
        });
      }
      const f5 = faults.status5xx;
      if (f5 && f5 > 0) {
        let fire = false;
        if (f5 < 1) fire = Math.random() < f5;
        else {
          fire = true;
          faults.status5xx = f5 - 1;
        }
        if (fire)
          return send(faults.status5xxCode ?? 503, { Error: "devnet injected fault: service unavailable" });
      }
    }

    let body: Json = {};
    if (raw.trim()) {
      try {
        const parsed = JSON.parse(raw);
        if (parsed && typeof parsed === "object") body = parsed;
      } catch (e) {
        return send(200, javaError("com.alibaba.fastjson.JSONException", (e as Error).message));
      }
    }
    const p: Json = { ...body };
    for (const [k, v] of url.searchParams) if (!(k in p)) p[k] = coerce(v);

    try {
      if (isControl) {
        const r = control(path.slice("/_devnet/".length).replace(/\/$/, ""), p, req.method ?? "GET");
        return send(r.status, r.body);
      }
      if (isV1) {
        const r = tronGrid(path, url.searchParams, req.headers.host ?? "127.0.0.1");
        return send(r.status, r.body);
      }
      if (path === "/api/accountv2" || path === "/api/account") {
        const r = tronScan(url.searchParams, req.headers);
        return send(r.status, r.body);
      }
      const m = /^\/(wallet|walletsolidity)\/([a-zA-Z0-9]+)\/?$/.exec(path);
      if (!m) return send(404, { Error: `no such path ${path}` });
      const visible = p.visible === true || p.visible === "true";
      if (visible) {
        // accept base58 in every address-like input
        for (const [k, v] of Object.entries(p))
          if (typeof v === "string" && v.length === 34 && v.startsWith("T")) p[k] = toHexAddr(v);
      }
      const name = m[2].toLowerCase();
      const solid = m[1] === "walletsolidity";
      let out: unknown;
      if (name === "broadcasttransaction") {
        if (solid) return send(404, { Error: "not served on walletsolidity" });
        out = broadcast(visible ? devisibleTx(p) : p, visible);
      } else {
        out = nodeApi(name, solid, p, nodes.pick(path).chain);
      }
      if (out === undefined) return send(404, { Error: `no such path ${path}` });
      return send(200, visible ? visibleize(out) : out);
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      return send(200, javaError("java.lang.IllegalArgumentException", msg));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ Error: String(e) }));
    });
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 9090, host, () => resolve());
    });
  } catch (e) {
    if (timer) clearInterval(timer);
    closed = true;
    clearTimeout(saveTimer);
    unlock();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    chain,
    faults,
    stateFile,
    restored,
    save,
    nodes,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        closed = true;
        clearTimeout(saveTimer);
        chain.onAccepted = undefined;
        server.closeAllConnections();
        server.close(() => {
          save();
          unlock();
          resolve();
        });
      }),
  };
}

/** A visible=true tx carries base58 addresses in raw_data; convert them so the encoder sees hex. */
function devisibleTx(tx: Json): Json {
  const conv = (o: any): any => {
    if (Array.isArray(o)) return o.map(conv);
    if (o && typeof o === "object") {
      const out: Json = {};
      for (const [k, v] of Object.entries(o)) out[k] = conv(v);
      return out;
    }
    if (typeof o === "string" && o.length === 34 && o.startsWith("T")) {
      try {
        return toHexAddr(o);
      } catch {
        return o;
      }
    }
    return o;
  };
  return { ...conv(tx), visible: false };
}
