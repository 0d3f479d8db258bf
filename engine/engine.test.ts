/**
 * Conformance: the engine against the `inngest` SDK's own serve handler, one function per feature,
 * asserting the behaviour Inngest documents. Every suite runs with checkpointing on (the SDK runs
 * steps in line and reports them, as it does against the real server) and off (one step per call).
 */
import { cron, NonRetriableError, RetryAfterError } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./testing";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const send = (name: string, data: Record<string, unknown> = {}, id?: string) =>
  h!.app.client.send({ name, data, ...(id ? { id } : {}) });

const runsOf = (fnId: string) => h!.engine.engine.listRuns({ fnId: `conformance-${fnId}`, limit: 1000 });
const doneRun = (fnId: string, n = 1) =>
  waitFor(
    () => {
      const r = runsOf(fnId).filter((x) => ["completed", "failed", "cancelled"].includes(x.status));
      return r.length >= n ? r : null;
    },
    15_000,
    `${n} finished run(s) of ${fnId}`,
  );

for (const checkpointing of [true, false]) {
  describe(`steps (checkpointing ${checkpointing ? "on" : "off"})`, () => {
    it("step.run: a step that threw twice then succeeded ran three times; the step before it ran once", async () => {
      const count = { before: 0, flaky: 0, after: 0 };
      h = await startHarness(
        (c) => [
          c.createFunction(
            { id: "flaky", triggers: [{ event: "t/flaky" }], retries: 4 },
            async ({ step }) => {
              const a = await step.run("before", () => {
                count.before++;
                return 1;
              });
              const b = await step.run("flaky", () => {
                count.flaky++;
                if (count.flaky < 3) throw new Error(`boom ${count.flaky}`);
                return a + 1;
              });
              const c2 = await step.run("after", () => {
                count.after++;
                return b + 1;
              });
              return { total: c2 };
            },
          ),
        ],
        { checkpointing },
      );
      await send("t/flaky");
      const [run] = await doneRun("flaky");
      expect(run.status).toBe("completed");
      expect(run.output).toEqual({ total: 3 });
      expect(count).toEqual({ before: 1, flaky: 3, after: 1 });
      const steps = Object.values(run.stepLog);
      const flaky = steps.find((s) => s.name === "flaky")!;
      expect(flaky.status).toBe("completed");
      expect(flaky.attempts).toBe(3);
    });

    it("retries spent: the run fails after retries + 1 attempts and onFailure gets the error once", async () => {
      let attempts = 0;
      const failures: string[] = [];
      h = await startHarness(
        (c) => [
          c.createFunction(
            {
              id: "doomed",
              triggers: [{ event: "t/doomed" }],
              retries: 2,
              onFailure: async ({
                error,
                event,
              }: {
                error: Error;
                event: { data: { event: { data: unknown } } };
              }) => {
                failures.push(`${error.message}|${(event.data.event.data as { n: number }).n}`);
              },
            },
            async () => {
              attempts++;
              throw new Error("always");
            },
          ),
        ],
        { checkpointing },
      );
      await send("t/doomed", { n: 7 });
      const [run] = await doneRun("doomed");
      expect(run.status).toBe("failed");
      expect(run.error?.message).toBe("always");
      expect(attempts).toBe(3);
      await waitFor(() => failures.length > 0, 5000, "onFailure");
      await new Promise((r) => setTimeout(r, 100));
      expect(failures).toEqual(["always|7"]);
    });

    it("NonRetriableError fails at once; a step error caught by the function is its to handle", async () => {
      let calls = 0;
      h = await startHarness(
        (c) => [
          c.createFunction({ id: "fatal", triggers: [{ event: "t/fatal" }], retries: 4 }, async () => {
            calls++;
            throw new NonRetriableError("bad input");
          }),
          c.createFunction(
            { id: "caught", triggers: [{ event: "t/caught" }], retries: 1 },
            async ({ step }) => {
              try {
                await step.run("fails", () => {
                  throw new Error("nope");
                });
              } catch (e) {
                return { caught: (e as Error).message };
              }
              return { caught: null };
            },
          ),
        ],
        { checkpointing },
      );
      await send("t/fatal");
      await send("t/caught");
      const [fatal] = await doneRun("fatal");
      expect(fatal.status).toBe("failed");
      expect(calls).toBe(1);
      const [caught] = await doneRun("caught");
      expect(caught.status).toBe("completed");
      expect(caught.output).toEqual({ caught: "nope" });
    });

    it("RetryAfterError: the next attempt waits at least the time asked", async () => {
      const at: number[] = [];
      h = await startHarness(
        (c) => [
          c.createFunction({ id: "later", triggers: [{ event: "t/later" }], retries: 2 }, async ({ step }) =>
            step.run("s", () => {
              at.push(Date.now());
              if (at.length === 1) throw new RetryAfterError("busy", 1500);
              return "ok";
            }),
          ),
        ],
        { checkpointing },
      );
      await send("t/later");
      const [run] = await doneRun("later");
      expect(run.status).toBe("completed");
      expect(at).toHaveLength(2);
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(1400);
    });

    it("step.sleep and sleepUntil: the run waits, holds no call, and resumes without re-running steps", async () => {
      const count = { a: 0, b: 0 };
      let t0 = 0;
      let t1 = 0;
      h = await startHarness(
        (c) => [
          c.createFunction({ id: "sleeper", triggers: [{ event: "t/sleep" }] }, async ({ step }) => {
            await step.run("a", () => {
              count.a++;
              t0 = Date.now();
            });
            await step.sleep("nap", "1s");
            await step.sleepUntil("until", new Date(Date.now() + 1000));
            await step.run("b", () => {
              count.b++;
              t1 = Date.now();
            });
            return "rested";
          }),
        ],
        { checkpointing },
      );
      await send("t/sleep");
      const sleeping = await waitFor(
        () => runsOf("sleeper").find((r) => r.status === "waiting"),
        5000,
        "waiting run",
      );
      expect(h.engine.engine.nextWake(sleeping.id)).toBeGreaterThan(Date.now() - 50);
      const [run] = await doneRun("sleeper");
      expect(run.output).toBe("rested");
      expect(count).toEqual({ a: 1, b: 1 });
      expect(t1 - t0).toBeGreaterThanOrEqual(1900);
    });

    it("step.sendEvent starts the functions it triggers; step.invoke returns the invoked function's result", async () => {
      h = await startHarness(
        (c) => {
          const child = c.createFunction(
            { id: "child", triggers: [{ event: "t/child" }] },
            async ({ event }) => ({
              doubled: (event.data as { n: number }).n * 2,
            }),
          );
          return [
            child,
            c.createFunction({ id: "parent", triggers: [{ event: "t/parent" }] }, async ({ step }) => {
              await step.sendEvent("emit", { name: "t/child", data: { n: 1 } });
              const r = await step.invoke("call-child", { function: child, data: { n: 21 } });
              return r;
            }),
          ];
        },
        { checkpointing },
      );
      await send("t/parent");
      const [parent] = await doneRun("parent");
      expect(parent.status).toBe("completed");
      expect(parent.output).toEqual({ doubled: 42 });
      const children = await doneRun("child", 2);
      expect(
        children.map((r) => r.output).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([{ doubled: 2 }, { doubled: 42 }]);
    });

    it("step.waitForEvent: resumes with the matching event, or null at its timeout", async () => {
      h = await startHarness(
        (c) => [
          c.createFunction({ id: "waiter", triggers: [{ event: "t/wait" }] }, async ({ step, event }) => {
            const got = await step.waitForEvent("approval", {
              event: "t/approved",
              match: "data.ticket",
              timeout: (event.data as { timeout: string }).timeout,
            });
            return got ? { approvedBy: (got.data as { by: string }).by } : { approvedBy: null };
          }),
        ],
        { checkpointing },
      );
      await send("t/wait", { ticket: "A", timeout: "1m" });
      await send("t/wait", { ticket: "B", timeout: "1s" });
      await waitFor(
        () => runsOf("waiter").filter((r) => r.status === "waiting").length === 2,
        5000,
        "two waits",
      );
      await send("t/approved", { ticket: "Z", by: "nobody" });
      await send("t/approved", { ticket: "A", by: "ann" });
      const runs = await doneRun("waiter", 2);
      const out = runs.map((r) => ({ t: (r.event.data as { ticket: string }).ticket, o: r.output }));
      expect(out.sort((a, b) => a.t.localeCompare(b.t))).toEqual([
        { t: "A", o: { approvedBy: "ann" } },
        { t: "B", o: { approvedBy: null } },
      ]);
    });

    it("parallel steps run once each, concurrently, and the run continues when all are done", async () => {
      const ran: Record<string, number> = {};
      let live = 0;
      let maxLive = 0;
      h = await startHarness(
        (c) => [
          c.createFunction({ id: "fanout", triggers: [{ event: "t/fan" }] }, async ({ step }) => {
            const parts = await Promise.all(
              ["x", "y", "z"].map((k) =>
                step.run(`part-${k}`, async () => {
                  ran[k] = (ran[k] ?? 0) + 1;
                  live++;
                  maxLive = Math.max(maxLive, live);
                  await new Promise((r) => setTimeout(r, 150));
                  live--;
                  return k.toUpperCase();
                }),
              ),
            );
            const joined = await step.run("join", () => parts.join(""));
            return joined;
          }),
        ],
        { checkpointing },
      );
      await send("t/fan");
      const [run] = await doneRun("fanout");
      expect(run.output).toBe("XYZ");
      expect(ran).toEqual({ x: 1, y: 1, z: 1 });
      expect(maxLive).toBeGreaterThan(1);
    });
  });
}

describe("flow control", () => {
  it("a keyed concurrency limit of 1 never overlaps two runs of one key but runs two keys in parallel", async () => {
    const live = new Map<string, number>();
    const overlaps: string[] = [];
    let across = 0;
    let maxAcross = 0;
    h = await startHarness((c) => [
      c.createFunction(
        {
          id: "keyed",
          triggers: [{ event: "t/keyed" }],
          concurrency: [{ key: "event.data.orderId", limit: 1 }],
        },
        async ({ event, step }) =>
          step.run("work", async () => {
            const k = String((event.data as { orderId: number }).orderId);
            live.set(k, (live.get(k) ?? 0) + 1);
            across++;
            maxAcross = Math.max(maxAcross, across);
            if ((live.get(k) ?? 0) > 1) overlaps.push(k);
            await new Promise((r) => setTimeout(r, 200));
            live.set(k, (live.get(k) ?? 1) - 1);
            across--;
            return k;
          }),
      ),
    ]);
    await h.app.client.send([1, 1, 1, 2, 2].map((orderId) => ({ name: "t/keyed", data: { orderId } })));
    const runs = await doneRun("keyed", 5);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    expect(overlaps).toEqual([]);
    expect(maxAcross).toBe(2);
  });

  it("a function-wide limit of 1 runs one call at a time", async () => {
    let live = 0;
    let maxLive = 0;
    h = await startHarness((c) => [
      c.createFunction(
        { id: "single", triggers: [{ event: "t/single" }], concurrency: { limit: 1 } },
        async () => {
          live++;
          maxLive = Math.max(maxLive, live);
          await new Promise((r) => setTimeout(r, 50));
          live--;
          return "ok";
        },
      ),
    ]);
    await h.app.client.send(Array.from({ length: 4 }, () => ({ name: "t/single", data: {} })));
    await doneRun("single", 4);
    expect(maxLive).toBe(1);
  });

  it("a duplicate event id starts nothing; an idempotency key starts one run per key", async () => {
    h = await startHarness((c) => [
      c.createFunction({ id: "once", triggers: [{ event: "t/once" }] }, async () => "ran"),
      c.createFunction(
        { id: "idem", triggers: [{ event: "t/idem" }], idempotency: "event.data.deliveryId" },
        async ({ event }) => (event.data as { deliveryId: string }).deliveryId,
      ),
    ]);
    await send("t/once", {}, "same-id");
    await send("t/once", {}, "same-id");
    await send("t/once", {}, "other-id");
    await send("t/idem", { deliveryId: "d1" });
    await send("t/idem", { deliveryId: "d1" });
    await send("t/idem", { deliveryId: "d2" });
    await doneRun("once", 2);
    await doneRun("idem", 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(runsOf("once")).toHaveLength(2);
    expect(
      runsOf("idem")
        .map((r) => r.output)
        .sort(),
    ).toEqual(["d1", "d2"]);
  });

  it("cancelOn: a matching event cancels a sleeping run", async () => {
    let after = 0;
    h = await startHarness((c) => [
      c.createFunction(
        {
          id: "cancellable",
          triggers: [{ event: "t/start" }],
          cancelOn: [{ event: "t/stop", match: "data.id" }],
        },
        async ({ step }) => {
          await step.sleep("long", "1h");
          after++;
        },
      ),
    ]);
    await send("t/start", { id: "k1" });
    await send("t/start", { id: "k2" });
    await waitFor(
      () => runsOf("cancellable").filter((r) => r.status === "waiting").length === 2,
      5000,
      "sleeping",
    );
    await send("t/stop", { id: "k1" });
    const [run] = await doneRun("cancellable");
    expect(run.status).toBe("cancelled");
    expect((run.event.data as { id: string }).id).toBe("k1");
    expect(runsOf("cancellable").filter((r) => r.status === "waiting")).toHaveLength(1);
    expect(after).toBe(0);
  });
});

describe("crons", () => {
  it("fires once per tick, whatever the number of wake-ups, in the zone given with TZ=", async () => {
    let clock = Date.parse("2026-01-01T00:00:30Z");
    const ticks: string[] = [];
    h = await startHarness(
      (c) => [
        c.createFunction({ id: "minutely", triggers: [cron("* * * * *")] }, async ({ event }) => {
          ticks.push(`m:${new Date(event.ts!).toISOString()}`);
        }),
        c.createFunction(
          { id: "shanghai-nine", triggers: [cron("TZ=Asia/Shanghai 0 9 * * *")] },
          async ({ event }) => {
            ticks.push(`s:${new Date(event.ts!).toISOString()}`);
          },
        ),
      ],
      { now: () => clock },
    );
    // Several wake-ups inside one minute fire nothing; crossing the minute fires once.
    for (let i = 0; i < 5; i++) {
      clock += 5_000;
      h.engine.engine.kick();
      await new Promise((r) => setTimeout(r, 30));
    }
    clock = Date.parse("2026-01-01T00:01:00.200Z");
    for (let i = 0; i < 5; i++) {
      h.engine.engine.kick();
      await new Promise((r) => setTimeout(r, 30));
    }
    await doneRun("minutely", 1);
    // 09:00 in Shanghai is 01:00 UTC.
    clock = Date.parse("2026-01-01T01:00:00.100Z");
    h.engine.engine.kick();
    await doneRun("shanghai-nine", 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(ticks.filter((t) => t.startsWith("m:"))).toEqual([
      "m:2026-01-01T00:01:00.000Z",
      "m:2026-01-01T01:00:00.000Z",
    ]);
    expect(ticks.filter((t) => t.startsWith("s:"))).toEqual(["s:2026-01-01T01:00:00.000Z"]);
  });
});

describe("signatures, sync and availability", () => {
  it("every call is signed: the app refuses an unsigned or wrongly signed call, and such runs never execute", async () => {
    let ran = 0;
    h = await startHarness((c) => [
      c.createFunction({ id: "guarded", triggers: [{ event: "t/guarded" }] }, async () => {
        ran++;
        return "ok";
      }),
    ]);
    const url = `${h.app.url}?fnId=conformance-guarded&stepId=step`;
    const body = JSON.stringify({
      event: { name: "t/guarded", data: {} },
      events: [],
      steps: {},
      ctx: { run_id: "x", attempt: 0 },
    });
    const unsigned = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"0".repeat(64)}`,
      },
    });
    expect(forged.status).toBe(401);
    expect(ran).toBe(0);
    await send("t/guarded");
    const [run] = await doneRun("guarded");
    expect(run.status).toBe("completed");
    expect(ran).toBe(1);

    // An engine holding another key: the app refuses every call; the run waits, nothing runs.
    const { startEngine } = await import("./server");
    const { newSigningKey } = await import("./testing");
    const other = await startEngine({
      port: 0,
      signingKey: newSigningKey(),
      log: () => {},
      unavailableDelayMs: () => 50,
    });
    try {
      const ok = await other.engine.syncApp(h.app.url);
      expect(ok).toBe(false);
      expect(other.engine.listApps()).toEqual([]);
    } finally {
      await other.close();
    }
    expect(ran).toBe(1);
  });

  it("an app that is down or restarting is retried without spending attempts; no run is lost", async () => {
    let ran = 0;
    h = await startHarness((c) => [
      c.createFunction({ id: "patient", triggers: [{ event: "t/patient" }], retries: 0 }, async ({ step }) =>
        step.run("s", () => ++ran),
      ),
    ]);
    await h.app.close();
    await h.engine.engine.ingest({ name: "t/patient", data: {} });
    await waitFor(
      () => runsOf("patient")[0]?.history.some((x) => x.msg.startsWith("app unavailable")),
      5000,
      "unavailable",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(runsOf("patient")[0].status).not.toBe("failed");
    await h.app.restart();
    const [run] = await doneRun("patient");
    expect(run.status).toBe("completed");
    expect(ran).toBe(1);
    expect(h.engine.engine.listApps()[0].reachable).toBe(true);
  });

  it("refuses at sync, loudly, a function option it does not implement", async () => {
    const logs: string[] = [];
    h = await startHarness(
      (c) => [
        c.createFunction({ id: "fine", triggers: [{ event: "t/fine" }] }, async () => "ok"),
        c.createFunction(
          { id: "limited", triggers: [{ event: "t/limited" }], rateLimit: { limit: 1, period: "1m" } },
          async () => "ok",
        ),
      ],
      { log: (_l, m) => logs.push(m) },
    );
    const [app] = h.engine.engine.listApps();
    expect(app.error).toMatch(/conformance-limited: option "rateLimit" is not implemented/);
    expect(app.functions).toEqual([]);
    expect(logs.some((l) => l.includes('option "rateLimit"'))).toBe(true);
    // Out of band (the SDK's own PUT → POST /fn/register) is refused the same way.
    const put = await fetch(h.app.url, { method: "PUT" });
    expect(put.status).toBe(400);
    expect(await put.text()).toMatch(/rateLimit/);
  });

  it("out-of-band sync: a PUT to the app registers it through POST /fn/register with the hashed signing key", async () => {
    h = await startHarness(
      (c) => [c.createFunction({ id: "plain", triggers: [{ event: "t/plain" }] }, async () => "ok")],
      {
        appId: "oob",
      },
    );
    const put = await fetch(h.app.url, { method: "PUT" });
    expect(put.status).toBe(200);
    expect((await put.json()).message).toBeTruthy();
    const unauth = await fetch(`${h.engine.url}/fn/register`, { method: "POST", body: "{}" });
    expect(unauth.status).toBe(401);
  });

  it("the event API parses its input: a bad event or a wrong key is refused and stores nothing", async () => {
    h = await startHarness(
      (c) => [c.createFunction({ id: "ev", triggers: [{ event: "t/ev" }] }, async () => "ok")],
      {
        eventKey: "right-key",
      },
    );
    const bad = await fetch(`${h.engine.url}/e/right-key`, {
      method: "POST",
      body: JSON.stringify([{ data: {} }]),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/name/);
    const notJson = await fetch(`${h.engine.url}/e/right-key`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    const wrongKey = await fetch(`${h.engine.url}/e/wrong`, {
      method: "POST",
      body: JSON.stringify({ name: "t/ev" }),
    });
    expect(wrongKey.status).toBe(401);
    expect(h.engine.engine.stats.events).toBe(0);
    expect(h.engine.engine.listRuns()).toEqual([]);
    const ok = await fetch(`${h.engine.url}/e/right-key`, {
      method: "POST",
      body: JSON.stringify({ name: "t/ev" }),
    });
    expect(await ok.json()).toMatchObject({ status: 200, ids: [expect.any(String)] });
    await doneRun("ev");
  });

  it("a checkpoint for a call that is no longer current is refused as stale (409)", async () => {
    h = await startHarness((c) => [
      c.createFunction({ id: "cp", triggers: [{ event: "t/cp" }] }, async () => "ok"),
    ]);
    await send("t/cp");
    const [run] = await doneRun("cp");
    const { hashSigningKey } = await import("./protocol");
    const key = h.engine.engine.opts.signingKey!;
    const res = await fetch(`${h.engine.url}/v1/checkpoint/${run.id}/async`, {
      method: "POST",
      headers: { authorization: `Bearer ${hashSigningKey(key)}` },
      body: JSON.stringify({ run_id: run.id, qi_id: "gone", steps: [{ id: "a", op: "StepRun", data: 1 }] }),
    });
    expect(res.status).toBe(409);
    const unauth = await fetch(`${h.engine.url}/v1/checkpoint/${run.id}/async`, {
      method: "POST",
      body: "{}",
    });
    expect(unauth.status).toBe(401);
  });
});

describe("state and the run list", () => {
  it("a sleeping run survives an engine restart when a state file is kept", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { startEngine } = await import("./server");
    const stateFile = join(mkdtempSync(join(tmpdir(), "engine-")), "state.json");
    const count = { a: 0, b: 0 };
    const at = { a: 0, b: 0 };
    h = await startHarness(
      (c) => [
        c.createFunction({ id: "durable", triggers: [{ event: "t/durable" }] }, async ({ step }) => {
          await step.run("a", () => {
            at.a = Date.now();
            return ++count.a;
          });
          await step.sleep("gap", "2s");
          return step.run("b", () => {
            at.b = Date.now();
            return ++count.b;
          });
        }),
      ],
      { stateFile },
    );
    await send("t/durable");
    const waiting = await waitFor(
      () => runsOf("durable").find((r) => r.status === "waiting"),
      5000,
      "sleeping",
    );
    const port = h.engine.port;
    const key = h.engine.engine.opts.signingKey;
    await h.engine.close();
    const again = await startEngine({
      port,
      stateFile,
      signingKey: key,
      log: () => {},
      retryDelayMs: () => 20,
    });
    h.engine = again;
    again.engine.addAppUrl(h.app.url);
    const run = await waitFor(
      () => {
        const r = again.engine.getRun(waiting.id);
        return r?.status === "completed" ? r : null;
      },
      10_000,
      "resumed run",
    );
    expect(run.output).toBe(1);
    expect(count).toEqual({ a: 1, b: 1 });
    expect(at.b - at.a).toBeGreaterThanOrEqual(1900);
  });

  it("lists runs with their steps, outputs, errors and next wake-up (JSON and HTML)", async () => {
    let n = 0;
    h = await startHarness((c) => [
      c.createFunction({ id: "listed", triggers: [{ event: "t/listed" }], retries: 1 }, async ({ step }) => {
        await step.run("first", () => ({ hello: "world" }));
        await step.run("second", () => {
          if (++n === 1) throw new Error("first try fails");
          return 2;
        });
        await step.sleep("rest", "1h");
      }),
    ]);
    await send("t/listed", { order: 5 });
    const waiting = await waitFor(
      () => runsOf("listed").find((r) => r.status === "waiting"),
      5000,
      "waiting",
    );
    const list = await (await fetch(`${h.engine.url}/runs.json`)).json();
    expect(list.runs[0]).toMatchObject({
      id: waiting.id,
      functionId: "conformance-listed",
      status: "waiting",
    });
    expect(list.runs[0].nextWakeAt).toBeGreaterThan(Date.now() + 3_500_000);
    const detail = await (await fetch(`${h.engine.url}/runs/${waiting.id}.json`)).json();
    expect(detail.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ["first", "completed"],
      ["second", "completed"],
      ["rest", "sleeping"],
    ]);
    expect(detail.steps[0].output).toEqual({ hello: "world" });
    expect(detail.steps[1].attempts).toBe(2);
    expect(detail.steps[1].error.message).toBe("first try fails");
    expect(detail.event.data).toEqual({ order: 5 });
    const html = await (await fetch(`${h.engine.url}/runs/${waiting.id}`)).text();
    expect(html).toContain("first try fails");
    expect(html).toContain("conformance-listed");
    const index = await (await fetch(`${h.engine.url}/`)).text();
    expect(index).toContain(waiting.id);
  });
});

describe("the SDK's dev mode", () => {
  it("an app in dev mode (no signing key) syncs, sends events and runs its functions unsigned", async () => {
    let ran = 0;
    h = await startHarness(
      (c) => [
        c.createFunction({ id: "dev", triggers: [{ event: "t/dev" }] }, async ({ step }) =>
          step.run("s", () => ++ran),
        ),
      ],
      { sign: false },
    );
    expect(h.engine.engine.opts.signingKey).toBeUndefined();
    const put = await fetch(h.app.url, { method: "PUT" });
    expect(put.status).toBe(200);
    await send("t/dev");
    const [run] = await doneRun("dev");
    expect(run.output).toBe(1);
    expect(ran).toBe(1);
  });
});
