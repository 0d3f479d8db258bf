import { LRUCache } from "lru-cache";
import { tron } from "@/lib/tron/client";
import type { AccountOverview } from "@/lib/tron/client";

/**
 * Account look-ups for the bot. The last good answer per address is kept briefly; when the chain
 * providers fail, that answer is shown marked as stale instead of an error.
 */
const cache = new LRUCache<string, AccountOverview>({ max: 5_000 });
const FRESH_MS = 5_000;

export type Looked = { ov: AccountOverview; stale: boolean };

export async function lookupAccount(address: string): Promise<Looked> {
  const hit = cache.get(address);
  if (hit && Date.now() - hit.fetchedAt.getTime() < FRESH_MS) return { ov: hit, stale: false };
  try {
    const ov = await tron().getAccountOverview(address);
    cache.set(address, ov);
    return { ov, stale: false };
  } catch (e) {
    if (hit) return { ov: hit, stale: true };
    throw e;
  }
}
