import { afterAll, beforeAll, beforeEach } from "vitest";
import { importPool, type OrderKit, resetPoolForTests, startOrderKit } from "@/lib/orders/testing";

type KitOptions = Parameters<typeof startOrderKit>[0];

/**
 * The kit started before the suite (then `first` run), closed after it, `each` run before every
 * test; the kit as a proxy.
 */
function suiteKit(
  opts: KitOptions,
  each: (kit: OrderKit) => Promise<void>,
  first: (kit: OrderKit) => Promise<void> = async () => {},
): OrderKit {
  let kit: OrderKit | undefined;
  const started = (): OrderKit => {
    if (!kit) throw new Error("the order kit starts in beforeAll: use it inside hooks and tests");
    return kit;
  };
  beforeAll(async () => {
    kit = await startOrderKit(opts);
    await first(kit);
  });
  afterAll(async () => {
    await kit?.close();
  });
  beforeEach(() => each(started()));
  return new Proxy({} as OrderKit, { get: (_target, key) => started()[key as keyof OrderKit] });
}

/**
 * The hooks of a suite that drives orders on a devnet of its own, every test on a clean chain: the
 * kit starts before the suite and closes after it; before each test the devnet is reset, the TRON
 * client's cache cleared and the pool emptied (a suite's own `beforeEach` runs after this one).
 * Returns the kit, to use inside the tests.
 */
export function freshOrderKitPerTest(opts: KitOptions = { autoMine: true }): OrderKit {
  return suiteKit(opts, async (k) => {
    await k.ctl("reset");
    k.client.clearCache();
    await resetPoolForTests();
  });
}

/**
 * The hooks of a suite that shares one devnet across its tests: the kit starts before the suite and
 * closes after it; before each test the pool is emptied and the devnet's accounts `pool` imported
 * (orders are only taken when the pool can cover them). Returns the kit, to use inside the tests.
 */
export function orderKitWithPool(
  pool: number[] = [1, 2, 3],
  opts: KitOptions = { autoMine: true },
): OrderKit {
  return suiteKit(opts, async () => {
    await resetPoolForTests();
    await importPool(pool);
  });
}

/**
 * The hooks of a suite that shares one devnet and one pool across all its tests: before the suite
 * the kit starts, the pool is emptied and the devnet's accounts `pool` imported (orders are only
 * taken when the pool can cover them); the kit closes after it. Returns the kit, to use inside the
 * tests.
 */
export function orderKitWithPoolOnce(
  pool: number[] = [1, 2, 3],
  opts: KitOptions = { autoMine: true },
): OrderKit {
  return suiteKit(
    opts,
    async () => {},
    async () => {
      await resetPoolForTests();
      await importPool(pool);
    },
  );
}
