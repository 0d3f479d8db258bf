import { tron } from "@/lib/tron/client";

/** The chain's clock (head block time, ms); falls back to the wall clock when the node is down. */
export async function chainNow(): Promise<number> {
  try {
    return (await tron().getNowBlock()).timestamp;
  } catch {
    return Date.now();
  }
}
