/**
 * The local engine's core: apps and their functions (synced from the SDK), events, runs, the queue
 * of calls to the app, timers (sleeps, waits, invoke time-outs, crons) and the state every call
 * carries. It drives any app served by the `inngest` SDK's serve handler the way an Inngest server
 * does:
 *
 * - a run starts from an event (or a cron tick) and is advanced by signed POST calls to the app's
 *   serve URL, each carrying the memoized step results (`steps`, `ctx.stack`);
 * - the app answers 200 (done), 206 with ops (StepRun / StepError / StepFailed / StepPlanned / Sleep
 *   / WaitForEvent / InvokeFunction / RunComplete) or an error (retried per the function's
 *   `retries`, honouring `X-Inngest-No-Retry` and `Retry-After`); a spent run emits
 *   `inngest/function.failed`, which starts `onFailure` handlers;
 * - with checkpointing (on by default, as the real server sends `ctx.fn_id` and `ctx.qi_id`) the SDK
 *   runs steps in line and reports them to `POST /v1/checkpoint/{runId}/async`;
 * - concurrency limits (per function and per key expression) count calls in flight, as Inngest
 *   counts steps: a sleeping run holds no slot; idempotency keys and event ids deduplicate for 24 h.
 *
 * An app that cannot be reached (down, restarting, answering without the SDK) is retried with a
 * short back-off that never spends the run's attempts, so no run is lost. State lives in memory and,
 * when `stateFile` is set, in a JSON file of the engine's own, reloaded on start.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { Cron } from "croner";
import { ulid } from "ulid";
import { wakeTime } from "./duration";
import { checkExpression, keyOf, matches } from "./expr";
import {
  type ConcurrencyEntry,
  canonicalJson,
  type FunctionConfig,
  functionConfigSchema,
  functionUuid,
  IMPLEMENTED_OPTIONS,
  type IncomingEvent,
  incomingEventSchema,
  inBandBodySchema,
  type Op,
  opsSchema,
  type RunEvent,
  type SerializedError,
  signBody,
  verifySignature,
} from "./protocol";

export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export type EngineOptions = {
  /** Serve URLs of apps to sync (in-band, signed) and keep synced, like `inngest dev -u <url>`. */
  appUrls?: string[];
  /** Signs every call to the app and checks the SDK's bearer tokens; unset = dev mode (unsigned). */
  signingKey?: string;
  /** When set, `POST /e/:key` must use it. */
  eventKey?: string;
  /** Send `ctx.fn_id`/`ctx.qi_id` so the SDK checkpoints steps in line (default true, as Inngest). */
  checkpointing?: boolean;
  /** Delay before retry n (1-based) of a failed call; default Inngest's table (15 s … 2 h) + jitter. */
  retryDelayMs?: (attempt: number) => number;
  /** Delay before retrying a call the app could not take (down, restarting); default 250 ms … 5 s. */
  unavailableDelayMs?: (n: number) => number;
  /** Longest a call may take before it counts as a failed attempt (default 5 minutes). */
  callTimeoutMs?: number;
  /** Calls in flight at once across all apps (default 100). */
  maxInFlight?: number;
  /** How often an app is synced again (default 5 s until it answers, then 60 s). */
  syncIntervalMs?: number;
  /** JSON file holding the engine's state across restarts (default: memory only). */
  stateFile?: string;
  /** Finished runs kept for the run list (default 2,000). */
  keepRuns?: number;
  /** Clock (tests). */
  now?: () => number;
  log?: Logger;
};

export type RunStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";

type Memo = { data: unknown } | { error: SerializedError };

export type StepInfo = {
  id: string;
  name: string;
  op: string;
  status: "planned" | "running" | "completed" | "failed" | "retrying" | "sleeping" | "waiting" | "invoking";
  attempts: number;
  output?: unknown;
  error?: SerializedError;
  at: number;
  wakeAt?: number;
};

type Pending =
  | { kind: "sleep"; stepId: string }
  | { kind: "wait"; stepId: string; event: string; if?: string }
  | { kind: "invoke"; stepId: string; childRunId: string };

export type Run = {
  id: string;
  appId: string;
  fnId: string;
  event: RunEvent;
  status: RunStatus;
  steps: Record<string, Memo>;
  stack: string[];
  stepLog: Record<string, StepInfo>;
  pending: Pending[];
  version: number | null;
  forceStepPlan: boolean;
  concurrencyKeys: { key: string; limit: number }[];
  maxAttempts: number;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  output?: unknown;
  error?: SerializedError;
  parent?: { runId: string; stepId: string };
  history: { at: number; msg: string }[];
  calls: number;
};

type Item = {
  id: string;
  runId: string;
  kind: "call" | "sleep" | "wait" | "invoke";
  /** "step" for discovery, else the hashed id of a planned step (calls) or the waiting step. */
  stepId: string;
  attempt: number;
  dueAt: number;
  inFlight: boolean;
  unavailable: number;
  seq: number;
};

type FnRecord = {
  id: string;
  appId: string;
  uuid: string;
  name: string;
  url: string;
  config: FunctionConfig;
  maxAttempts: number;
  fnLimit: number | null;
  keyed: ConcurrencyEntry[];
  crons: { expr: string; cron: Cron }[];
};

export type App = {
  id: string;
  url: string;
  sdk?: string;
  framework?: string;
  syncedAt?: number;
  functionIds: string[];
  /** Why the last sync was refused or failed (shown in the run list and /health). */
  error?: string;
  reachable: boolean;
  lastSeenAt?: number;
};

const DAY = 86_400_000;
const INNGEST_BACKOFF_S = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200];
const RUN_INVOKED = "inngest/function.invoked";
const FUNCTION_FAILED = "inngest/function.failed";
const FUNCTION_FINISHED = "inngest/function.finished";
const SCHEDULED = "inngest/scheduled.timer";

export class SyncRefused extends Error {}

/** Reads a Retry-After header: seconds, or an HTTP / ISO date. */
function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

function errorOf(value: unknown, fallback: string): SerializedError {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    const message =
      typeof v.message === "string" ? v.message : typeof v.error === "string" ? v.error : fallback;
    const out: SerializedError = { name: typeof v.name === "string" ? v.name : "Error", message };
    if (typeof v.stack === "string") out.stack = v.stack;
    return out;
  }
  return { name: "Error", message: typeof value === "string" && value ? value : fallback };
}

export class Engine {
  readonly opts: Required<
    Pick<EngineOptions, "checkpointing" | "callTimeoutMs" | "maxInFlight" | "keepRuns">
  > &
    EngineOptions;
  private apps = new Map<string, App>();
  private fns = new Map<string, FnRecord>();
  private runs = new Map<string, Run>();
  private items = new Map<string, Item>();
  private eventIds = new Map<string, number>();
  private idempotency = new Map<string, number>();
  private cronLast = new Map<string, number>();
  private inFlightBy = new Map<string, number>();
  private inFlight = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private kicking = false;
  private closed = false;
  private saveTimer: NodeJS.Timeout | null = null;
  private syncTimers = new Map<string, NodeJS.Timeout>();
  private aborts = new Set<AbortController>();
  private warned = new Set<string>();
  /** Runs started, calls made: counters for the run list and tests. */
  readonly stats = { runs: 0, calls: 0, events: 0, checkpoints: 0 };

  constructor(opts: EngineOptions = {}) {
    this.opts = { checkpointing: true, callTimeoutMs: 300_000, maxInFlight: 100, keepRuns: 2000, ...opts };
    if (opts.stateFile) this.load(opts.stateFile);
  }

  now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    (this.opts.log ?? defaultLog)(level, msg, fields);
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log("warn", msg);
  }

  private appUrls = new Set<string>();

  /** Starts syncing the configured apps and the scheduler. */
  start(): void {
    for (const url of this.opts.appUrls ?? []) this.addAppUrl(url);
    this.kick();
  }

  /** Adds an app serve URL to sync now and keep synced (`inngest dev -u`). */
  addAppUrl(url: string): void {
    this.appUrls.add(url);
    this.scheduleSync(url, 0);
  }

  /** Syncs every known app URL now; true when all answered. */
  async syncAll(): Promise<boolean> {
    const r = await Promise.all([...this.appUrls].map((u) => this.syncApp(u)));
    return r.every(Boolean);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.syncTimers.values()) clearTimeout(t);
    for (const a of this.aborts) a.abort();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.saveNow();
    }
  }

  // ---------------------------------------------------------------- sync

  private scheduleSync(url: string, delay: number): void {
    const prev = this.syncTimers.get(url);
    if (prev) clearTimeout(prev);
    if (this.closed) return;
    const t = setTimeout(() => {
      void this.syncApp(url).then((ok) => {
        const base = this.opts.syncIntervalMs ?? (ok ? 60_000 : 5_000);
        this.scheduleSync(url, ok ? Math.max(base, this.opts.syncIntervalMs ?? 0) : Math.min(base, 5_000));
      });
    }, delay);
    t.unref?.();
    this.syncTimers.set(url, t);
  }

  /** Asks the app at `url` for its functions (a signed in-band PUT, as the real server does). */
  async syncApp(url: string): Promise<boolean> {
    const body = canonicalJson({ url });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-inngest-sync-kind": "in_band",
      "x-inngest-server-kind": this.opts.signingKey ? "cloud" : "dev",
    };
    if (this.opts.signingKey) headers["x-inngest-signature"] = signBody(body, this.opts.signingKey);
    let res: Response;
    try {
      res = await fetch(url, { method: "PUT", body, headers, signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      this.markUnreachable(url, e instanceof Error ? e.message : String(e));
      return false;
    }
    const text = await res.text();
    if (res.headers.get("x-inngest-sync-kind") !== "in_band") {
      // An SDK that does not sync in band registers itself out of band (POST /fn/register) during
      // this PUT; its answer says whether that worked.
      if (res.ok) return true;
      this.markUnreachable(url, `sync answered ${res.status}: ${text.slice(0, 200)}`);
      return false;
    }
    if (
      this.opts.signingKey &&
      !verifySignature(text, res.headers.get("x-inngest-signature"), this.opts.signingKey)
    ) {
      this.markUnreachable(url, "sync answer was not signed with our signing key");
      return false;
    }
    let parsed: ReturnType<typeof inBandBodySchema.safeParse>;
    try {
      parsed = inBandBodySchema.safeParse(JSON.parse(text));
    } catch {
      this.markUnreachable(url, "sync answer is not JSON");
      return false;
    }
    if (!res.ok || !parsed.success) {
      this.markUnreachable(url, `sync answered ${res.status}: ${text.slice(0, 200)}`);
      return false;
    }
    try {
      this.register({
        appId: parsed.data.app_id,
        url: parsed.data.url,
        sdk: parsed.data.sdk,
        framework: parsed.data.framework,
        functions: parsed.data.functions,
      });
      return true;
    } catch (e) {
      if (e instanceof SyncRefused) return true; // refused loudly; keep polling at the slow rate
      throw e;
    }
  }

  private markUnreachable(url: string, reason: string): void {
    for (const app of this.apps.values()) {
      if (app.url === url && app.reachable) {
        app.reachable = false;
        this.log("warn", `app ${app.id} is not reachable at ${url}: ${reason}`);
      }
    }
    if (![...this.apps.values()].some((a) => a.url === url))
      this.warnOnce(`unreach:${url}:${reason.slice(0, 40)}`, `waiting for the app at ${url} (${reason})`);
  }

  /**
   * Registers an app's functions (in-band answer or out-of-band POST /fn/register). Refuses the whole
   * sync, loudly, when a function uses an option or expression this engine does not implement.
   */
  register(input: { appId: string; url: string; sdk?: string; framework?: string; functions: unknown[] }): {
    modified: boolean;
  } {
    const problems: string[] = [];
    const records: FnRecord[] = [];
    for (const raw of input.functions) {
      const p = functionConfigSchema.safeParse(raw);
      const id = (raw as { id?: unknown })?.id;
      if (!p.success) {
        problems.push(
          `${String(id)}: invalid config (${p.error.issues.map((i) => i.path.join(".")).join(", ")})`,
        );
        continue;
      }
      const cfg = p.data;
      for (const key of Object.keys(cfg)) {
        const v = (cfg as Record<string, unknown>)[key];
        if (!IMPLEMENTED_OPTIONS.includes(key) && v !== undefined && v !== null)
          problems.push(`${cfg.id}: option "${key}" is not implemented by the local engine`);
      }
      const step = cfg.steps.step;
      if (!step || Object.keys(cfg.steps).length !== 1)
        problems.push(`${cfg.id}: expected exactly one step "step"`);
      else if (step.runtime.type !== "http")
        problems.push(`${cfg.id}: runtime "${step.runtime.type}" is not supported`);
      const exprs: [string, string | undefined][] = [["idempotency", cfg.idempotency]];
      for (const t of cfg.triggers) if ("event" in t) exprs.push([`trigger ${t.event}`, t.expression]);
      for (const c of cfg.cancel ?? []) exprs.push([`cancelOn ${c.event}`, c.if]);
      const conc: ConcurrencyEntry[] =
        typeof cfg.concurrency === "number"
          ? [{ limit: cfg.concurrency }]
          : Array.isArray(cfg.concurrency)
            ? cfg.concurrency
            : cfg.concurrency
              ? [cfg.concurrency]
              : [];
      for (const c of conc) exprs.push(["concurrency key", c.key]);
      for (const [what, e] of exprs) {
        const why = e ? checkExpression(e) : null;
        if (why) problems.push(`${cfg.id}: ${what} expression "${e}" is not valid CEL: ${why}`);
      }
      const crons: FnRecord["crons"] = [];
      for (const t of cfg.triggers) {
        if (!("cron" in t)) continue;
        if (t.jitter) problems.push(`${cfg.id}: cron jitter is not implemented by the local engine`);
        try {
          crons.push({ expr: t.cron, cron: makeCron(t.cron) });
        } catch (e) {
          problems.push(`${cfg.id}: cron "${t.cron}" is not valid: ${e instanceof Error ? e.message : e}`);
        }
      }
      for (const c of cfg.cancel ?? [])
        if (c.timeout && wakeTime(c.timeout, 0) === null)
          problems.push(`${cfg.id}: cancelOn timeout "${c.timeout}" is not a time string`);
      if (!step) continue;
      records.push({
        id: cfg.id,
        appId: input.appId,
        uuid: functionUuid(input.appId, cfg.id),
        name: cfg.name ?? cfg.id,
        url: step.runtime.url,
        config: cfg,
        maxAttempts: (step.retries?.attempts ?? 4) + 1,
        fnLimit: conc.find((c) => !c.key && (c.scope ?? "fn") === "fn" && c.limit > 0)?.limit ?? null,
        keyed: conc.filter((c) => c.key || (c.scope && c.scope !== "fn")),
        crons,
      });
    }
    for (const r of records) {
      const other = this.fns.get(r.id);
      if (other && other.appId !== input.appId)
        problems.push(`${r.id}: already served by app ${other.appId}`);
    }
    const prev = this.apps.get(input.appId);
    if (problems.length) {
      const error = `sync refused: ${problems.join("; ")}`;
      this.log("error", `app ${input.appId}: ${error}`);
      this.apps.set(input.appId, {
        ...(prev ?? { id: input.appId, functionIds: [] }),
        url: input.url,
        reachable: true,
        lastSeenAt: this.now(),
        error,
      });
      this.save();
      throw new SyncRefused(error);
    }
    const before = prev ? canonicalJson(prev.functionIds.map((id) => this.fns.get(id)?.config ?? null)) : "";
    for (const id of prev?.functionIds ?? []) this.fns.delete(id);
    for (const r of records) this.fns.set(r.id, r);
    const after = canonicalJson(records.map((r) => r.config));
    const app: App = {
      id: input.appId,
      url: input.url,
      sdk: input.sdk,
      framework: input.framework,
      syncedAt: this.now(),
      functionIds: records.map((r) => r.id),
      reachable: true,
      lastSeenAt: this.now(),
    };
    const modified = before !== after;
    const wasDown = prev && !prev.reachable;
    this.apps.set(input.appId, app);
    if (modified || !prev || wasDown)
      this.log(
        "info",
        `synced app ${app.id} at ${app.url}: ${records.length} functions${modified ? "" : " (unchanged)"}`,
      );
    this.save();
    this.kick();
    return { modified };
  }

  listApps(): (App & {
    functions: { id: string; name: string; triggers: unknown[]; nextCron?: number }[];
  })[] {
    return [...this.apps.values()].map((a) => ({
      ...a,
      functions: a.functionIds.flatMap((id) => {
        const f = this.fns.get(id);
        if (!f) return [];
        const next = f.crons.map((c) => this.nextTick(f, c.expr)).filter((n): n is number => n !== null);
        return [
          {
            id,
            name: f.name,
            triggers: f.config.triggers,
            nextCron: next.length ? Math.min(...next) : undefined,
          },
        ];
      }),
    }));
  }

  // ---------------------------------------------------------------- events

  /** The event API (`POST /e/:key`): stores, deduplicates by id for 24 h, starts matching runs. */
  ingest(body: unknown, seed?: string | null): { ids: string[]; status: number; error?: string } {
    const list = Array.isArray(body) ? body : [body];
    const parsed: IncomingEvent[] = [];
    for (const [i, raw] of list.entries()) {
      const p = incomingEventSchema.safeParse(raw);
      if (!p.success) {
        const msg = p.error.issues.map((x) => `${x.path.join(".") || "event"}: ${x.message}`).join("; ");
        return { ids: [], status: 400, error: `event ${i}: ${msg}` };
      }
      parsed.push(p.data);
    }
    const ids: string[] = [];
    const now = this.now();
    this.expireKeys(now);
    for (const [i, e] of parsed.entries()) {
      const internalId = ulid(now);
      ids.push(internalId);
      const dedupe = e.id ? `id:${e.id}` : seed ? `seed:${seed}:${i}` : null;
      if (dedupe && this.eventIds.has(dedupe)) continue;
      if (dedupe) this.eventIds.set(dedupe, now + DAY);
      this.stats.events++;
      const ev: RunEvent = {
        name: e.name,
        data: (e.data ?? {}) as Record<string, unknown>,
        id: e.id ?? internalId,
        ts: e.ts ?? now,
      };
      if (e.user) ev.user = e.user;
      if (e.v) ev.v = e.v;
      this.dispatchEvent(ev);
    }
    this.save();
    this.kick();
    return { ids, status: 200 };
  }

  private expireKeys(now: number): void {
    for (const m of [this.eventIds, this.idempotency]) for (const [k, at] of m) if (at <= now) m.delete(k);
  }

  private dispatchEvent(ev: RunEvent): void {
    // Waiting steps and cancellations first (they only see events newer than themselves).
    for (const run of this.runs.values()) {
      if (isFinished(run.status)) continue;
      const fn = this.fns.get(run.fnId);
      for (const c of fn?.config.cancel ?? []) {
        if (c.event !== ev.name) continue;
        if (c.timeout && run.createdAt + (wakeTime(c.timeout, 0) ?? 0) < this.now()) continue;
        if (matches(c.if, { event: run.event, async: ev })) {
          this.finish(run, "cancelled", {
            error: { name: "Cancelled", message: `cancelled by event ${ev.name}` },
          });
          break;
        }
      }
      if (isFinished(run.status)) continue;
      for (const p of [...run.pending]) {
        if (p.kind !== "wait" || p.event !== ev.name) continue;
        if (!matches(p.if, { event: run.event, async: ev })) continue;
        this.resolvePending(run, p.stepId, { data: ev }, "completed");
      }
    }
    for (const fn of this.fns.values()) {
      for (const t of fn.config.triggers) {
        if (!("event" in t) || !eventMatches(t.event, ev.name)) continue;
        if (!matches(t.expression, { event: ev })) continue;
        this.startRun(fn, ev);
        break;
      }
    }
  }

  private startRun(fn: FnRecord, ev: RunEvent, parent?: Run["parent"]): Run | null {
    const now = this.now();
    if (fn.config.idempotency) {
      const k = `${fn.id}:${keyOf(fn.config.idempotency, { event: ev }) ?? ""}`;
      if (this.idempotency.has(k)) {
        this.log("info", `${fn.id}: idempotency key already used, no new run`, { eventId: ev.id });
        return null;
      }
      this.idempotency.set(k, now + DAY);
    }
    const concurrencyKeys = fn.keyed.map((c, i) => {
      const v = c.key ? keyOf(c.key, { event: ev }) : "";
      const scope = c.scope ?? "fn";
      return { key: `${scope === "fn" ? fn.id : scope}:${i}:${c.key ?? ""}=${v ?? "null"}`, limit: c.limit };
    });
    const run: Run = {
      id: ulid(now),
      appId: fn.appId,
      fnId: fn.id,
      event: ev,
      status: "queued",
      steps: {},
      stack: [],
      stepLog: {},
      pending: [],
      version: null,
      forceStepPlan: false,
      concurrencyKeys,
      maxAttempts: fn.maxAttempts,
      createdAt: now,
      parent,
      history: [{ at: now, msg: `triggered by ${ev.name}` }],
      calls: 0,
    };
    this.runs.set(run.id, run);
    this.stats.runs++;
    this.enqueue(run, "call", "step", now);
    this.trimRuns();
    return run;
  }

  private trimRuns(): void {
    if (this.runs.size <= this.opts.keepRuns * 1.1) return;
    const done = [...this.runs.values()]
      .filter((r) => isFinished(r.status))
      .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    for (const r of done.slice(0, this.runs.size - this.opts.keepRuns)) this.runs.delete(r.id);
  }

  // ---------------------------------------------------------------- queue

  private enqueue(run: Run, kind: Item["kind"], stepId: string, dueAt: number, attempt = 0): Item {
    const item: Item = {
      id: ulid(),
      runId: run.id,
      kind,
      stepId,
      attempt,
      dueAt,
      inFlight: false,
      unavailable: 0,
      seq: this.seq++,
    };
    this.items.set(item.id, item);
    this.save();
    this.kick();
    return item;
  }

  private itemsOf(runId: string): Item[] {
    return [...this.items.values()].filter((i) => i.runId === runId);
  }

  /** Re-evaluate due work soon (coalesced). */
  kick(): void {
    if (this.closed || this.kicking) return;
    this.kicking = true;
    setImmediate(() => {
      this.kicking = false;
      this.tick();
    });
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.now();
    this.fireCrons(now);
    const due = [...this.items.values()]
      .filter((i) => !i.inFlight && i.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
    for (const item of due) {
      if (!this.items.has(item.id)) continue;
      if (item.kind === "call") {
        if (this.inFlight >= this.opts.maxInFlight) break;
        if (!this.admit(item)) continue;
        void this.call(item);
      } else this.fireTimer(item);
    }
    this.arm(now);
  }

  /** Sets the one timer to the next due item or cron tick. */
  private arm(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const i of this.items.values()) if (!i.inFlight && i.dueAt > now) next = Math.min(next, i.dueAt);
    for (const f of this.fns.values())
      for (const c of f.crons) {
        const t = this.nextTick(f, c.expr);
        if (t !== null) next = Math.min(next, t);
      }
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(Math.max(0, next - now), 2 ** 31 - 1);
    // With an injected clock, wake often enough to notice the clock moving.
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.tick();
      },
      this.opts.now ? Math.min(delay, 50) : delay,
    );
  }

  /** Concurrency: the function's limit and every key's limit count calls in flight. */
  private admit(item: Item): boolean {
    const run = this.runs.get(item.runId);
    const fn = run && this.fns.get(run.fnId);
    if (!run || !fn) return true; // call() settles what is missing
    if (fn.fnLimit !== null && (this.inFlightBy.get(`fn:${fn.id}`) ?? 0) >= fn.fnLimit) return false;
    for (const k of run.concurrencyKeys)
      if (k.limit > 0 && (this.inFlightBy.get(k.key) ?? 0) >= k.limit) return false;
    return true;
  }

  private slots(run: Run): string[] {
    return [`fn:${run.fnId}`, ...run.concurrencyKeys.map((k) => k.key)];
  }

  private fireTimer(item: Item): void {
    this.items.delete(item.id);
    const run = this.runs.get(item.runId);
    if (!run || isFinished(run.status)) return;
    if (item.kind === "sleep") this.resolvePending(run, item.stepId, { data: null }, "completed");
    else if (item.kind === "wait") this.resolvePending(run, item.stepId, { data: null }, "completed");
    else if (item.kind === "invoke") {
      const p = run.pending.find((x) => x.stepId === item.stepId);
      if (p?.kind === "invoke") {
        const child = this.runs.get(p.childRunId);
        if (child && !isFinished(child.status)) child.parent = undefined;
      }
      this.resolvePending(
        run,
        item.stepId,
        {
          error: {
            name: "InngestInvokeTimeoutError",
            message: "Timed out waiting for the invoked function to complete",
          },
        },
        "failed",
      );
    }
  }

  private resolvePending(run: Run, stepId: string, memo: Memo, status: StepInfo["status"]): void {
    const p = run.pending.find((x) => x.stepId === stepId);
    if (!p) return;
    run.pending = run.pending.filter((x) => x !== p);
    for (const i of this.itemsOf(run.id))
      if (i.kind !== "call" && i.stepId === stepId) this.items.delete(i.id);
    this.memoize(run, stepId, memo);
    const info = run.stepLog[stepId];
    if (info) {
      info.status = status;
      info.at = this.now();
      if ("data" in memo) info.output = memo.data;
      else info.error = memo.error;
    }
    this.continueRun(run);
  }

  private memoize(run: Run, stepId: string, memo: Memo): boolean {
    if (stepId in run.steps) return false;
    run.steps[stepId] = memo;
    run.stack.push(stepId);
    return true;
  }

  /** Queues a discovery call when nothing else of the run is outstanding (Inngest's "wait" mode). */
  private continueRun(run: Run, race = false): void {
    if (isFinished(run.status)) return;
    const others = this.itemsOf(run.id);
    if (others.some((i) => i.kind === "call" && i.stepId === "step" && !i.inFlight)) return;
    if (!race && (others.length > 0 || run.pending.length > 0)) {
      this.setStatus(run);
      return;
    }
    this.enqueue(run, "call", "step", this.now());
    this.setStatus(run);
  }

  private setStatus(run: Run): void {
    if (isFinished(run.status)) return;
    const items = this.itemsOf(run.id);
    if (items.some((i) => i.kind === "call" && i.inFlight)) run.status = "running";
    else if (items.some((i) => i.kind === "call")) run.status = run.calls > 0 ? "running" : "queued";
    else run.status = "waiting";
  }

  // ---------------------------------------------------------------- calls

  private async call(item: Item): Promise<void> {
    const run = this.runs.get(item.runId);
    if (!run || isFinished(run.status)) {
      this.items.delete(item.id);
      return;
    }
    const fn = this.fns.get(run.fnId);
    const app = this.apps.get(run.appId);
    if (!fn || !app) {
      // The app has not synced (yet) or dropped the function: wait, never drop the run.
      item.unavailable++;
      item.dueAt = this.now() + this.unavailableDelay(item.unavailable);
      this.warnOnce(`nofn:${run.fnId}`, `function ${run.fnId} is not synced; run ${run.id} waits for it`);
      return;
    }
    item.inFlight = true;
    this.inFlight++;
    for (const s of this.slots(run)) this.inFlightBy.set(s, (this.inFlightBy.get(s) ?? 0) + 1);
    run.status = "running";
    run.startedAt ??= this.now();
    run.calls++;
    this.stats.calls++;
    if (item.stepId !== "step") {
      const info = run.stepLog[item.stepId];
      if (info) {
        info.status = "running";
        info.attempts = item.attempt + 1;
      }
    }
    const ctx: Record<string, unknown> = {
      run_id: run.id,
      step_id: item.stepId,
      attempt: item.attempt,
      max_attempts: run.maxAttempts,
      stack: { stack: run.stack, current: run.stack.length },
      disable_immediate_execution: run.forceStepPlan,
      use_api: false,
      env: "",
    };
    if (this.opts.checkpointing) {
      ctx.fn_id = fn.uuid;
      ctx.qi_id = item.id;
    }
    const body = canonicalJson({
      event: run.event,
      events: [run.event],
      steps: run.steps,
      ctx,
      version: run.version ?? -1,
      use_api: false,
    });
    const url = new URL(fn.url);
    url.searchParams.set("fnId", fn.id);
    url.searchParams.set("stepId", item.stepId);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-inngest-server-kind": this.opts.signingKey ? "cloud" : "dev",
      "x-request-id": item.id,
    };
    if (this.opts.signingKey) headers["x-inngest-signature"] = signBody(body, this.opts.signingKey);
    const ac = new AbortController();
    this.aborts.add(ac);
    const timeout = setTimeout(
      () => ac.abort(new Error(`call timed out after ${this.opts.callTimeoutMs} ms`)),
      this.opts.callTimeoutMs,
    );
    let outcome: Outcome;
    try {
      const res = await fetch(url, { method: "POST", body, headers, signal: ac.signal });
      const text = await res.text();
      outcome = { res, text };
    } catch (e) {
      const timedOut = ac.signal.aborted && !this.closed;
      outcome = {
        failure: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e),
        timedOut,
      };
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(ac);
      item.inFlight = false;
      this.inFlight--;
      for (const s of this.slots(run)) this.inFlightBy.set(s, (this.inFlightBy.get(s) ?? 1) - 1);
    }
    if (this.closed) return;
    try {
      this.settle(item, run, fn, app, outcome);
    } catch (e) {
      this.log("error", `engine error handling run ${run.id}: ${e instanceof Error ? e.stack : e}`);
      this.items.delete(item.id);
      this.finish(run, "failed", { error: errorOf(e, "engine error") });
    }
    this.save();
    this.kick();
  }

  private unavailableDelay(n: number): number {
    return this.opts.unavailableDelayMs
      ? this.opts.unavailableDelayMs(n)
      : Math.min(250 * 2 ** (n - 1), 5_000);
  }

  private retryDelay(attempt: number): number {
    if (this.opts.retryDelayMs) return this.opts.retryDelayMs(attempt);
    const base = INNGEST_BACKOFF_S[Math.min(attempt - 1, INNGEST_BACKOFF_S.length - 1)] * 1000;
    return base + Math.floor(Math.random() * 30_000);
  }

  private settle(item: Item, run: Run, fn: FnRecord, app: App, o: Outcome): void {
    if (isFinished(run.status)) {
      this.items.delete(item.id);
      return;
    }
    if ("failure" in o) {
      if (o.timedOut) {
        this.callFailed(item, run, { name: "Error", message: o.failure }, null, true);
        return;
      }
      this.unavailable(item, run, app, o.failure);
      return;
    }
    const { res, text } = o;
    const sdk = res.headers.get("x-inngest-sdk") ?? res.headers.get("x-inngest-req-version");
    if (!sdk) {
      const why =
        res.status === 401
          ? "the app refused our signature (do the app and the engine use the same INNGEST_SIGNING_KEY?)"
          : `answered ${res.status} without the Inngest SDK`;
      this.unavailable(item, run, app, why);
      return;
    }
    if (this.opts.signingKey) {
      const sig = res.headers.get("x-inngest-signature");
      if (sig && !verifySignature(text, sig, this.opts.signingKey)) {
        this.unavailable(item, run, app, "the app's answer carries a signature that does not match our key");
        return;
      }
      if (!sig)
        this.warnOnce(
          `unsigned:${app.id}`,
          `app ${app.id} answers unsigned: it runs in Inngest dev mode while the engine signs its calls`,
        );
    }
    if (!app.reachable) {
      app.reachable = true;
      this.log("info", `app ${app.id} answers again`);
    }
    app.lastSeenAt = this.now();
    item.unavailable = 0;
    const v = Number(res.headers.get("x-inngest-req-version"));
    if (Number.isInteger(v) && v > 0) run.version = v;
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    if (res.status === 200) {
      this.items.delete(item.id);
      this.finish(run, "completed", { output: json });
      return;
    }
    if (res.status === 206) {
      const ops = opsSchema.safeParse(json);
      if (!ops.success || ops.data.length === 0) {
        this.callFailed(item, run, { name: "Error", message: "206 answer is not a list of ops" }, res, true);
        return;
      }
      this.applyOps(item, run, fn, ops.data, res);
      return;
    }
    const noRetry = res.headers.get("x-inngest-no-retry") === "true";
    const err = errorOf(json, `call answered ${res.status}`);
    if (/was not found in this app/.test(err.message ?? "")) this.scheduleSync(app.url, 0);
    this.callFailed(item, run, err, res, !noRetry);
    return;
  }

  private unavailable(item: Item, run: Run, app: App, why: string): void {
    item.unavailable++;
    item.dueAt = this.now() + this.unavailableDelay(item.unavailable);
    if (app.reachable) {
      app.reachable = false;
      this.log(
        "warn",
        `app ${app.id} cannot take calls (${why}); runs wait and retry without spending attempts`,
      );
      this.scheduleSync(app.url, 1000);
    }
    run.history.push({ at: this.now(), msg: `app unavailable: ${why}` });
    this.setStatus(run);
  }

  /** A failed call: retry with back-off while attempts remain, else the run (or the step) fails. */
  private callFailed(
    item: Item,
    run: Run,
    err: SerializedError,
    res: Response | null,
    retriable: boolean,
  ): void {
    const next = item.attempt + 1;
    if (retriable && next < run.maxAttempts) {
      const after = retryAfterMs(res?.headers.get("retry-after") ?? null, this.now());
      item.attempt = next;
      item.dueAt = this.now() + (after ?? this.retryDelay(next));
      run.history.push({ at: this.now(), msg: `attempt ${next} failed: ${err.message}; retrying` });
      this.setStatus(run);
      return;
    }
    this.items.delete(item.id);
    this.finish(run, "failed", { error: err });
  }

  private applyOps(item: Item, run: Run, fn: FnRecord, ops: Op[], res: Response): void {
    const now = this.now();
    let race = false;
    let retrying = false;
    const planned = ops.filter((o) => o.op === "StepPlanned");
    if (planned.length > 1) run.forceStepPlan = true;
    for (const op of ops) {
      const name = op.displayName ?? op.name ?? op.id;
      run.stepLog[op.id] ??= { id: op.id, name, op: op.op, status: "planned", attempts: 0, at: now };
      const info = run.stepLog[op.id];
      info.name = name;
      info.op = op.op;
      info.at = now;
      if ((op.opts as { parallelMode?: string } | null | undefined)?.parallelMode === "race") race = true;
      switch (op.op) {
        case "Step":
        case "StepRun": {
          this.memoize(run, op.id, { data: op.data ?? null });
          info.status = "completed";
          info.output = op.data ?? null;
          info.attempts = Math.max(info.attempts, item.attempt + 1);
          break;
        }
        case "StepError": {
          const err = errorOf(op.error, "step failed");
          info.error = err;
          info.attempts = item.attempt + 1;
          const retriable = res.headers.get("x-inngest-no-retry") !== "true";
          if (retriable && item.attempt + 1 < run.maxAttempts) {
            info.status = "retrying";
            const after = retryAfterMs(res.headers.get("retry-after"), now);
            item.attempt++;
            item.dueAt = now + (after ?? this.retryDelay(item.attempt));
            retrying = true;
            run.history.push({ at: now, msg: `step ${name} attempt ${item.attempt} failed: ${err.message}` });
          } else {
            this.memoize(run, op.id, { error: err });
            info.status = "failed";
          }
          break;
        }
        case "StepFailed": {
          const err = errorOf(op.error, "step failed");
          this.memoize(run, op.id, { error: err });
          info.status = "failed";
          info.error = err;
          info.attempts = item.attempt + 1;
          break;
        }
        case "StepPlanned": {
          if (
            !(op.id in run.steps) &&
            !this.itemsOf(run.id).some((i) => i.kind === "call" && i.stepId === op.id)
          )
            this.enqueue(run, "call", op.id, now);
          info.status = "planned";
          break;
        }
        case "Sleep": {
          const spec = String((op.opts as { duration?: unknown } | null)?.duration ?? op.name ?? "");
          const at = wakeTime(spec, now);
          if (at === null) {
            this.failRun(item, run, `sleep "${spec}" is not a time string or date`);
            return;
          }
          run.pending.push({ kind: "sleep", stepId: op.id });
          this.enqueue(run, "sleep", op.id, at);
          info.status = "sleeping";
          info.wakeAt = at;
          break;
        }
        case "WaitForEvent": {
          const o = (op.opts ?? {}) as { event?: string; timeout?: string; if?: string };
          const event = o.event ?? op.name;
          const at = wakeTime(o.timeout ?? "", now);
          if (!event || at === null) {
            this.failRun(item, run, "waitForEvent needs an event name and a timeout");
            return;
          }
          if (o.if && checkExpression(o.if)) {
            this.failRun(item, run, `waitForEvent "if" is not valid CEL: ${o.if}`);
            return;
          }
          run.pending.push({ kind: "wait", stepId: op.id, event, if: o.if });
          this.enqueue(run, "wait", op.id, at);
          info.status = "waiting";
          info.wakeAt = at;
          break;
        }
        case "InvokeFunction": {
          const o = (op.opts ?? {}) as {
            function_id?: string;
            payload?: { data?: unknown };
            timeout?: string;
          };
          const target = o.function_id ? this.fns.get(o.function_id) : undefined;
          if (!target) {
            this.memoize(run, op.id, {
              error: { name: "Error", message: `function ${o.function_id} is not synced` },
            });
            info.status = "failed";
            break;
          }
          const ev: RunEvent = {
            name: RUN_INVOKED,
            data: {
              ...((o.payload?.data as Record<string, unknown>) ?? {}),
              _inngest: { source_run_id: run.id, source_fn_id: fn.id },
            },
            id: ulid(now),
            ts: now,
          };
          const child = this.startRun(target, ev, { runId: run.id, stepId: op.id });
          if (!child) {
            this.memoize(run, op.id, {
              error: { name: "Error", message: "invoked function skipped (idempotency)" },
            });
            info.status = "failed";
            break;
          }
          run.pending.push({ kind: "invoke", stepId: op.id, childRunId: child.id });
          const at = o.timeout ? wakeTime(o.timeout, now) : null;
          if (at !== null) this.enqueue(run, "invoke", op.id, at);
          info.status = "invoking";
          break;
        }
        case "RunComplete": {
          this.items.delete(item.id);
          this.finish(run, "completed", { output: op.data ?? null });
          return;
        }
        case "DiscoveryRequest":
          break;
        case "StepNotFound":
          this.callFailed(
            item,
            run,
            { name: "StepNotFound", message: `step ${op.id} not found by the SDK` },
            res,
            true,
          );
          return;
        default:
          this.failRun(item, run, `op "${op.op}" is not implemented by the local engine`);
          return;
      }
    }
    if (retrying) {
      this.setStatus(run);
      return;
    }
    this.items.delete(item.id);
    this.continueRun(run, race || ops.some((o) => o.op === "DiscoveryRequest"));
  }

  private failRun(item: Item, run: Run, message: string): void {
    this.log("error", `run ${run.id} (${run.fnId}): ${message}`);
    this.items.delete(item.id);
    this.finish(run, "failed", { error: { name: "Error", message } });
  }

  /** `POST /v1/checkpoint/{runId}/async`: steps the SDK ran in line during the call `qi_id`. */
  checkpoint(runId: string, input: { qi_id?: string; steps: Op[] }): { status: number; error?: string } {
    const run = this.runs.get(runId);
    if (!run) return { status: 404, error: "run not found" };
    const item = input.qi_id ? this.items.get(input.qi_id) : undefined;
    if (isFinished(run.status) || !item || !item.inFlight || item.runId !== runId)
      return { status: 409, error: "stale dispatch: this call is no longer the run's current one" };
    const now = this.now();
    for (const op of input.steps) {
      if (op.op === "StepPlanned") continue;
      if (op.op !== "StepRun" && op.op !== "Step")
        return { status: 400, error: `cannot checkpoint op ${op.op}` };
    }
    for (const op of input.steps) {
      if (op.op === "StepPlanned") continue;
      this.memoize(run, op.id, { data: op.data ?? null });
      const name = op.displayName ?? op.name ?? op.id;
      run.stepLog[op.id] = {
        id: op.id,
        name,
        op: op.op,
        status: "completed",
        attempts: 1,
        output: op.data ?? null,
        at: now,
      };
    }
    item.attempt = 0; // steps succeeded: a later failure in this call starts counting afresh, as Inngest does
    this.stats.checkpoints++;
    this.save();
    return { status: 200 };
  }

  // ---------------------------------------------------------------- finishing

  private finish(
    run: Run,
    status: "completed" | "failed" | "cancelled",
    r: { output?: unknown; error?: SerializedError },
  ): void {
    if (isFinished(run.status)) return;
    run.status = status;
    run.endedAt = this.now();
    if ("output" in r) run.output = r.output;
    if (r.error) run.error = r.error;
    for (const i of this.itemsOf(run.id)) this.items.delete(i.id);
    for (const p of run.pending) {
      if (p.kind === "invoke") {
        const child = this.runs.get(p.childRunId);
        if (child) child.parent = undefined;
      }
    }
    run.pending = [];
    run.history.push({
      at: run.endedAt,
      msg: status === "completed" ? "completed" : `${status}: ${r.error?.message ?? ""}`,
    });
    if (status === "failed")
      this.log("warn", `run ${run.id} of ${run.fnId} failed: ${r.error?.message ?? "error"}`);
    const finished: Record<string, unknown> = { function_id: run.fnId, run_id: run.id, event: run.event };
    if (status === "completed") finished.result = r.output ?? null;
    else finished.error = r.error;
    if (status === "failed")
      this.dispatchEvent({
        name: FUNCTION_FAILED,
        data: { function_id: run.fnId, run_id: run.id, error: r.error, event: run.event },
        id: ulid(),
        ts: run.endedAt,
      });
    this.dispatchEvent({ name: FUNCTION_FINISHED, data: finished, id: ulid(), ts: run.endedAt });
    if (run.parent) {
      const parent = this.runs.get(run.parent.runId);
      if (parent && !isFinished(parent.status))
        this.resolvePending(
          parent,
          run.parent.stepId,
          status === "completed"
            ? { data: r.output ?? null }
            : { error: r.error ?? { name: "Error", message: status } },
          status === "completed" ? "completed" : "failed",
        );
    }
    this.save();
  }

  /** Cancels an unfinished run (run list action and tests). */
  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || isFinished(run.status)) return false;
    this.finish(run, "cancelled", { error: { name: "Cancelled", message: "cancelled from the engine" } });
    return true;
  }

  // ---------------------------------------------------------------- crons

  private cronKey(fn: FnRecord, expr: string): string {
    return `${fn.id} ${expr}`;
  }

  private nextTick(fn: FnRecord, expr: string): number | null {
    const c = fn.crons.find((x) => x.expr === expr);
    if (!c) return null;
    const last = this.cronLast.get(this.cronKey(fn, expr));
    // Never backfill ticks missed while the engine was down: the next one from now (or the last).
    const from = Math.max(last ?? this.now() - 1000, this.now() - 1000);
    const next = c.cron.nextRun(new Date(from));
    return next ? next.getTime() : null;
  }

  /** At most one run per function and tick, whatever the number of wake-ups. */
  private fireCrons(now: number): void {
    for (const fn of this.fns.values()) {
      for (const c of fn.crons) {
        const key = this.cronKey(fn, c.expr);
        if (!this.cronLast.has(key)) {
          this.cronLast.set(key, now);
          continue;
        }
        const due = this.nextTick(fn, c.expr);
        if (due === null || due > now) continue;
        this.cronLast.set(key, due);
        const ev: RunEvent = { name: SCHEDULED, data: { cron: c.expr }, id: `cron-${fn.id}-${due}`, ts: due };
        this.stats.events++;
        this.startRun(fn, ev);
        this.save();
      }
    }
  }

  // ---------------------------------------------------------------- reads

  getRun(id: string): Run | undefined {
    return this.runs.get(id);
  }

  /** When a run will next do something (its earliest queued call or timer), if it is waiting. */
  nextWake(runId: string): number | null {
    let t: number | null = null;
    for (const i of this.itemsOf(runId)) if (!i.inFlight) t = t === null ? i.dueAt : Math.min(t, i.dueAt);
    return t;
  }

  listRuns(filter: { status?: string; fnId?: string; limit?: number } = {}): Run[] {
    const out = [...this.runs.values()]
      .filter(
        (r) => (!filter.status || r.status === filter.status) && (!filter.fnId || r.fnId === filter.fnId),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return out.slice(0, filter.limit ?? 100);
  }

  counts(): Record<RunStatus, number> {
    const c: Record<RunStatus, number> = {
      queued: 0,
      running: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const r of this.runs.values()) c[r.status]++;
    return c;
  }

  // ---------------------------------------------------------------- persistence

  private save(): void {
    if (!this.opts.stateFile || this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 200);
    this.saveTimer.unref?.();
  }

  private saveNow(): void {
    const file = this.opts.stateFile;
    if (!file) return;
    const state = {
      v: 1,
      savedAt: this.now(),
      apps: [...this.apps.values()],
      fns: [...this.fns.values()].map(({ crons: _c, ...f }) => f),
      runs: [...this.runs.values()],
      items: [...this.items.values()],
      eventIds: [...this.eventIds],
      idempotency: [...this.idempotency],
      cronLast: [...this.cronLast],
    };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      this.warnOnce(
        `save:${file}`,
        `could not write the engine state to ${file}: ${e instanceof Error ? e.message : e}`,
      );
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    try {
      const s = JSON.parse(text);
      if (s.v !== 1) return;
      for (const a of s.apps ?? []) this.apps.set(a.id, { ...a, reachable: false });
      for (const f of s.fns ?? []) {
        const crons: FnRecord["crons"] = [];
        for (const t of f.config.triggers ?? [])
          if ("cron" in t) crons.push({ expr: t.cron, cron: makeCron(t.cron) });
        this.fns.set(f.id, { ...f, crons });
      }
      for (const r of s.runs ?? []) this.runs.set(r.id, r);
      // A call that was in flight when the engine stopped is sent again (at-least-once, as Inngest).
      for (const i of s.items ?? [])
        this.items.set(i.id, { ...i, inFlight: false, dueAt: i.inFlight ? this.now() : i.dueAt });
      for (const [k, v] of s.eventIds ?? []) this.eventIds.set(k, v);
      for (const [k, v] of s.idempotency ?? []) this.idempotency.set(k, v);
      for (const [k, v] of s.cronLast ?? []) this.cronLast.set(k, v);
      for (const r of this.runs.values()) if (!isFinished(r.status)) this.setStatus(r);
      this.log("info", `restored ${this.runs.size} runs and ${this.items.size} queued items from ${file}`);
    } catch (e) {
      this.log("warn", `ignoring unreadable engine state ${file}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

type Outcome = { res: Response; text: string } | { failure: string; timedOut: boolean };

export function isFinished(s: RunStatus): boolean {
  return s === "completed" || s === "failed" || s === "cancelled";
}

/** Event names match exactly, or by a trailing wildcard ("app/user.*"). */
function eventMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith("*") && name.startsWith(pattern.slice(0, -1));
}

/** Inngest crons: five (or six, with seconds) fields, optionally "TZ=Zone " first. */
export function makeCron(expr: string): Cron {
  const m = expr.match(/^TZ=(\S+)\s+(.+)$/);
  return new Cron(m ? m[2] : expr, { paused: true, timezone: m ? m[1] : "UTC" });
}

const defaultLog: Logger = (level, msg) => {
  const line = `[engine] ${msg}`;
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};
