import { afterEach, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { TronClient, tron, tronConfigFromEnv } from "@/lib/tron/client";

const keys = [
  "TRON_NETWORK",
  "TRON_FULL_HOST",
  "TRONSCAN_API_URL",
  "USDT_CONTRACT",
  "DEVNET_PORT",
  "TRONGRID_API_KEY",
] as const;
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));

function setEnv(vars: Partial<Record<(typeof keys)[number], string | undefined>>) {
  for (const k of keys) delete process.env[k];
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = v;
  reloadEnv();
}

afterEach(() => setEnv(saved));

describe("config from env", () => {
  it("devnet defaults to the local devnet port for node and TronScan, mainnet USDT", () => {
    setEnv({ TRON_NETWORK: "devnet", DEVNET_PORT: "9191" });
    expect(tronConfigFromEnv()).toMatchObject({
      network: "devnet",
      fullHost: "http://127.0.0.1:9191",
      tronscanUrl: "http://127.0.0.1:9191",
      usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    });
  });
  it("nile / shasta / mainnet defaults", () => {
    setEnv({ TRON_NETWORK: "nile" });
    expect(tronConfigFromEnv()).toMatchObject({
      fullHost: "https://nile.trongrid.io",
      tronscanUrl: "https://nileapi.tronscan.org",
      usdtContract: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf",
    });
    // Shasta has no official USDT: its contract must be named (the mainnet address holds nothing there)
    expect(() => setEnv({ TRON_NETWORK: "shasta" })).toThrow(/USDT_CONTRACT/);
    setEnv({ TRON_NETWORK: "shasta", USDT_CONTRACT: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf" });
    expect(tronConfigFromEnv()).toMatchObject({
      fullHost: "https://api.shasta.trongrid.io",
      tronscanUrl: "https://shastapi.tronscan.org",
      usdtContract: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf",
    });
    setEnv({ TRON_NETWORK: "mainnet", TRONGRID_API_KEY: "abc" });
    expect(tronConfigFromEnv()).toMatchObject({
      fullHost: "https://api.trongrid.io",
      tronscanUrl: "https://apilist.tronscanapi.com",
      usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
      apiKey: "abc",
      timeoutMs: 5000,
    });
  });
  it("overrides win; singleton", () => {
    setEnv({
      TRON_NETWORK: "mainnet",
      TRON_FULL_HOST: "http://node.example:8090",
      USDT_CONTRACT: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf",
    });
    const c = tron();
    expect(c).toBe(tron());
    expect(c.config.fullHost).toBe("http://node.example:8090");
    expect(c.usdtHex).toMatch(/^41[0-9a-f]{40}$/);
  });
  it("tron() keeps its client while the settings stay, and follows them when they change", () => {
    setEnv({ TRON_NETWORK: "devnet", DEVNET_PORT: "9191" });
    const c = tron();
    reloadEnv(); // nothing changed: the same client, its caches kept
    expect(tron()).toBe(c);
    setEnv({ TRON_NETWORK: "devnet", TRON_FULL_HOST: "http://127.0.0.1:9393" });
    const moved = tron();
    expect(moved).not.toBe(c);
    expect(moved.config.fullHost).toBe("http://127.0.0.1:9393");
    expect(tron()).toBe(moved);
  });
});

describe("transport", () => {
  it("sends TRON-PRO-API-KEY on node requests and parses int64 exactly", async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, headers: new Headers(init.headers) });
      return new Response(
        '{"address":"41a614f803b6fd780986a42c78ec9c7f77e6ded13c","balance":90071992547409931,"frozenV2":[{"amount":5},{"type":"ENERGY","amount":7},{"type":"TRON_POWER"}],"account_resource":{"acquired_delegated_frozenV2_balance_for_energy":3}}',
        { status: 200 },
      );
    }) as unknown as typeof fetch;
    const c = new TronClient({
      network: "mainnet",
      fullHost: "http://x/",
      apiKey: "k-1",
      timeoutMs: 1000,
      usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
      fetch: fakeFetch,
    });
    const a = await c.getAccount("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    expect(a).toMatchObject({
      activated: true,
      trxSun: 90071992547409931n,
      frozenBandwidthSun: 5n,
      frozenEnergySun: 7n,
      delegatedInEnergySun: 3n,
    });
    expect(seen[0].url).toBe("http://x/wallet/getaccount");
    expect(seen[0].headers.get("TRON-PRO-API-KEY")).toBe("k-1");
  });
  it("bad JSON shape / 500 → provider_unavailable", async () => {
    const fakeFetch = (async () => new Response("oops", { status: 500 })) as unknown as typeof fetch;
    const c = new TronClient({
      network: "mainnet",
      fullHost: "http://x",
      timeoutMs: 1000,
      usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
      fetch: fakeFetch,
    });
    await expect(c.getCanDelegatedMaxSize("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")).rejects.toMatchObject({
      code: "provider_unavailable",
    });
  });
});

describe("rate-limit backoff", () => {
  const address = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
  /** A node answering the replies in turn (the last one from then on); counts the calls. */
  function node(...replies: [number, string][]) {
    let calls = 0;
    const fetch = (async () => {
      const [status, body] = replies[Math.min(calls++, replies.length - 1)];
      return new Response(body, { status });
    }) as unknown as typeof globalThis.fetch;
    const client = new TronClient({
      network: "mainnet",
      fullHost: "http://node",
      timeoutMs: 1000,
      backoffMs: 1,
      usdtContract: address,
      fetch,
    });
    return { client, calls: () => calls };
  }

  it("tries a rate-limited call again rateLimitRetries times, then gives up", async () => {
    const n = node([429, "{}"]);
    await expect(n.client.getCanDelegatedMaxSize(address)).rejects.toMatchObject({
      code: "provider_unavailable",
      details: { kind: "rate_limited", status: 429 },
    });
    expect(n.calls()).toBe(3);
  });

  it("a node's rate-limit Error reply is retried too, and the next answer used", async () => {
    const n = node([200, '{"Error":"lack of frequency limit"}'], [200, '{"max_size":42}']);
    expect(await n.client.getCanDelegatedMaxSize(address)).toBe(42n);
    expect(n.calls()).toBe(2);
  });

  it("any other failure is not retried", async () => {
    const n = node([500, "down"], [200, '{"max_size":42}']);
    await expect(n.client.getCanDelegatedMaxSize(address)).rejects.toMatchObject({
      details: { kind: "error", status: 500 },
    });
    expect(n.calls()).toBe(1);
  });
});

describe("resource overview sharing (dashboard wallet cards)", () => {
  const address = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
  /** A node whose TRX balance is whatever `balance` holds when asked; `fail` answers 500. */
  function node() {
    const state = { balance: 1_000_000, fail: false, calls: [] as string[] };
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      state.calls.push(path);
      if (state.fail) return new Response("down", { status: 500 });
      if (path === "/wallet/getaccount")
        return new Response(
          `{"address":"41a614f803b6fd780986a42c78ec9c7f77e6ded13c","balance":${state.balance}}`,
        );
      if (path === "/wallet/getaccountresource")
        return new Response('{"freeNetLimit":600,"EnergyLimit":65000,"EnergyUsed":1000}');
      return new Response("{}", { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const client = new TronClient({
      network: "mainnet",
      fullHost: "http://node",
      timeoutMs: 1000,
      rateLimitRetries: 0,
      usdtContract: address,
      fetch,
    });
    return { state, client };
  }
  afterEach(() => vi.useRealTimers());

  it("is shared for one block (3 s), in flight or done, then read again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { state, client } = node();
    const [a, b] = await Promise.all([
      client.getResourceOverview(address),
      client.getResourceOverview(address),
    ]);
    expect(a).toMatchObject({ trxSun: 1_000_000n, energyAvailable: 64_000n, bandwidthAvailable: 600n });
    expect(b).toEqual(a);
    expect(state.calls).toEqual(["/wallet/getaccount", "/wallet/getaccountresource"]);

    state.balance = 2_000_000;
    vi.advanceTimersByTime(2_999);
    expect((await client.getResourceOverview(address)).trxSun).toBe(1_000_000n);
    expect(state.calls).toHaveLength(2);

    vi.advanceTimersByTime(2); // past the 3 s: lru-cache keeps an entry until strictly after its ttl
    const fresh = await client.getResourceOverview(address);
    expect(fresh.trxSun).toBe(2_000_000n);
    expect(fresh.fetchedAt.getTime()).toBeGreaterThan(a.fetchedAt.getTime());
    expect(state.calls).toHaveLength(4);
  });

  it("keeps no failure, and never shares the uncached reads", async () => {
    const { state, client } = node();
    state.fail = true;
    await expect(client.getResourceOverview(address)).rejects.toMatchObject({ code: "provider_unavailable" });
    state.fail = false;
    expect((await client.getResourceOverview(address)).trxSun).toBe(1_000_000n);

    state.calls.length = 0;
    state.balance = 5_000_000;
    expect((await client.getAccount(address)).trxSun).toBe(5_000_000n);
    expect(state.calls).toEqual(["/wallet/getaccount"]);
    client.clearCache();
    expect((await client.getResourceOverview(address)).trxSun).toBe(5_000_000n);
  });

  it("a bad address is refused, not shared", async () => {
    const { state, client } = node();
    await expect(client.getResourceOverview("TNotAnAddress")).rejects.toThrow();
    expect(state.calls).toHaveLength(0);
  });
});
