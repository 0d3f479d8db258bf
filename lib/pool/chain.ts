import { getTronClient, type TronClient } from "@/lib/tron/client";

/**
 * The TronClient the order engine and pool use. Normally the env singleton; tests and the demo
 * point it at their own in-process devnet.
 */
let override: TronClient | null = null;

export function tron(): TronClient {
  return override ?? getTronClient();
}

export function setTronClientForTests(client: TronClient | null): void {
  override = client;
}

/** The chain's clock (head block time, ms); falls back to the wall clock when the node is down. */
export async function chainNow(): Promise<number> {
  try {
    return (await tron().getNowBlock()).timestamp;
  } catch {
    return Date.now();
  }
}
