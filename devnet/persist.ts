/**
 * Keeps the devnet's chain on disk across restarts, as a real chain keeps its blocks.
 *
 * The codec is generic: it walks the whole Chain object (every own field that is data, whatever
 * its name) and writes JSON that keeps what plain JSON loses: bigint, Map, Set, byte arrays,
 * non-finite numbers, and shared references (a pending tx is the same object as its entry in the
 * tx index, and stays so after a reload). A field added to the chain's state later is saved and
 * restored without changes here. Functions (hooks such as `onAccepted`) are not data and are skipped.
 *
 * Restoring writes the saved fields into a freshly constructed Chain, so the prototype, methods and
 * any field the file does not know keep their constructed values; fields holding class instances
 * are filled in place for the same reason.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Chain } from "./chain";

const FORMAT = "tron-energy-helper devnet chain v1";

/** Fields that come from the options the devnet was started with, not from the saved chain. */
const CONFIG_FIELDS = new Set(["solidityLag", "genesis", "onAccepted"]);

type Tagged = { [k: string]: unknown };

const isPlain = (o: object) => {
  const p = Object.getPrototypeOf(o);
  return p === Object.prototype || p === null;
};

/** Encodes any value to JSON-safe data (see the module comment); `decode` is its inverse. */
export function encode(value: unknown): unknown {
  // Pass 1: count references to every object, so shared ones get an id.
  const seen = new Map<object, number>();
  const walk = (v: unknown) => {
    if (v === null || typeof v !== "object") return;
    const n = seen.get(v) ?? 0;
    seen.set(v, n + 1);
    if (n > 0) return;
    if (ArrayBuffer.isView(v)) return;
    if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else if (v instanceof Set || Array.isArray(v)) for (const x of v) walk(x);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(value);

  const ids = new Map<object, number>();
  let nextId = 0;
  const enc = (v: unknown): unknown => {
    switch (typeof v) {
      case "bigint":
        return { $bigint: v.toString() };
      case "number":
        return Number.isFinite(v) ? v : { $number: String(v) };
      case "undefined":
        return { $undefined: true };
      case "function":
      case "symbol":
        return undefined;
      case "object": {
        if (v === null) return null;
        const known = ids.get(v);
        if (known !== undefined) return { $ref: known };
        let id: number | undefined;
        if ((seen.get(v) ?? 0) > 1) {
          id = nextId++;
          ids.set(v, id);
        }
        const body = encodeObject(v);
        return id === undefined ? body : { $id: id, $value: body };
      }
      default:
        return v;
    }
  };
  const encodeObject = (v: object): unknown => {
    if (v instanceof Date) return { $date: v.toISOString() };
    if (ArrayBuffer.isView(v))
      return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
    if (v instanceof Map) return { $map: [...v].map(([k, x]) => [enc(k), enc(x)]) };
    if (v instanceof Set) return { $set: [...v].map(enc) };
    if (Array.isArray(v)) return v.map((x) => (typeof x === "function" ? null : enc(x)));
    const out: Tagged = {};
    for (const [k, x] of Object.entries(v)) {
      const e = enc(x);
      if (e !== undefined) out[k] = e;
    }
    // A data object whose own keys start with "$" is wrapped so it is never read as a tag.
    return Object.keys(out).some((k) => k.startsWith("$")) ? { $object: out } : out;
  };
  return enc(value);
}

export function decode(data: unknown): unknown {
  const refs = new Map<number, unknown>();
  const dec = (d: unknown): unknown => {
    if (d === null || typeof d !== "object") return d;
    if (Array.isArray(d)) return d.map(dec);
    const t = d as Tagged;
    if ("$id" in t) {
      // Create the container first, so references inside it (cycles) resolve to it.
      const body = t.$value as Tagged;
      const target = shell(body);
      refs.set(t.$id as number, target);
      const value = fill(target, body);
      refs.set(t.$id as number, value);
      return value;
    }
    if ("$ref" in t) {
      if (!refs.has(t.$ref as number)) throw new Error(`devnet state: unknown reference ${t.$ref}`);
      return refs.get(t.$ref as number);
    }
    return fill(shell(t), t);
  };
  const shell = (body: unknown): unknown => {
    if (Array.isArray(body)) return [];
    const t = body as Tagged;
    if ("$map" in t) return new Map();
    if ("$set" in t) return new Set();
    const leaf = ["$bigint", "$number", "$undefined", "$date", "$bytes"].some((k) => k in t);
    return leaf ? undefined : {};
  };
  const fill = (target: unknown, body: unknown): unknown => {
    if (Array.isArray(body)) {
      const arr = target as unknown[];
      for (const x of body) arr.push(dec(x));
      return arr;
    }
    const t = body as Tagged;
    if ("$bigint" in t) return BigInt(t.$bigint as string);
    if ("$number" in t) return Number(t.$number);
    if ("$undefined" in t) return undefined;
    if ("$date" in t) return new Date(t.$date as string);
    if ("$bytes" in t) return new Uint8Array(Buffer.from(t.$bytes as string, "base64"));
    if ("$map" in t) {
      const m = target as Map<unknown, unknown>;
      for (const [k, x] of t.$map as [unknown, unknown][]) m.set(dec(k), dec(x));
      return m;
    }
    if ("$set" in t) {
      const s = target as Set<unknown>;
      for (const x of t.$set as unknown[]) s.add(dec(x));
      return s;
    }
    const src = ("$object" in t ? t.$object : t) as Tagged;
    const out = (target ?? {}) as Tagged;
    for (const [k, x] of Object.entries(src)) out[k] = dec(x);
    return out;
  };
  return dec(data);
}

/** Writes `saved` into `target`: plain values replace, class instances are filled in place. */
function assignInto(target: Record<string, unknown>, saved: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(saved)) {
    const cur = target[k];
    if (
      cur &&
      typeof cur === "object" &&
      !isPlain(cur) &&
      !(cur instanceof Map) &&
      !(cur instanceof Set) &&
      !Array.isArray(cur) &&
      !ArrayBuffer.isView(cur) &&
      v &&
      typeof v === "object" &&
      isPlain(v)
    )
      assignInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}

/** A fingerprint of what the chain was started from (genesis and its parameters). */
function genesisId(chain: Chain): string {
  const g = (chain as unknown as { genesis: unknown }).genesis;
  return createHash("sha256")
    .update(JSON.stringify(encode(g)))
    .digest("hex")
    .slice(0, 16);
}

export function chainFile(dataDir: string): string {
  return path.join(dataDir, "chain.json");
}

/** Saves the whole chain atomically (a temporary file renamed over the old one). */
export function saveChain(chain: Chain, file: string): void {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(chain)) if (!CONFIG_FIELDS.has(k)) fields[k] = v;
  const text = JSON.stringify({
    format: FORMAT,
    savedAt: new Date().toISOString(),
    genesis: genesisId(chain),
    head: chain.head.number,
    chain: encode(fields),
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export class DevnetStateError extends Error {}

/**
 * Loads a saved chain into `chain` (a freshly constructed one). Returns false when there is no
 * file; throws DevnetStateError when the file is unreadable or was saved from another genesis.
 */
export function loadChain(chain: Chain, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let parsed: { format?: string; genesis?: string; chain?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new DevnetStateError(
      `The saved devnet chain at ${file} cannot be read (${(e as Error).message}). Start afresh with --reset.`,
    );
  }
  if (parsed.format !== FORMAT)
    throw new DevnetStateError(`${file} is not a saved devnet chain. Start afresh with --reset.`);
  if (parsed.genesis !== genesisId(chain))
    throw new DevnetStateError(
      `The saved devnet chain at ${file} was started from a different genesis. Start afresh with --reset ` +
        "(and reset the database with `npm run db:reset`, which holds the old chain's blocks and orders).",
    );
  const fields = decode(parsed.chain) as Record<string, unknown>;
  for (const k of CONFIG_FIELDS) delete fields[k];
  assignInto(chain as unknown as Record<string, unknown>, fields);
  return true;
}

/**
 * One devnet per state file: a lock file holding our pid (taken over when that process is gone).
 * Returns the release function.
 */
export function lockStateFile(file: string): () => void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lock, "utf8") === String(process.pid)) fs.unlinkSync(lock);
        } catch {}
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(lock, "utf8").trim());
      if (pid && pid !== process.pid && alive(pid))
        throw new DevnetStateError(
          `The devnet chain at ${file} is already in use by process ${pid}. Stop that devnet first.`,
        );
      fs.rmSync(lock, { force: true });
    }
  }
  throw new DevnetStateError(`Could not lock ${lock}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
