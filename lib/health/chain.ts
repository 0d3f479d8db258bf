import { tron } from "@/lib/tron/client";
import { registerHealthCheck } from "./index";

/**
 * The `chain` health check: the TRON node answers, and its head block is recent. A node that
 * answers with an old head (stopped producing or syncing blocks) fails too: deliveries would never
 * confirm and deposits never arrive.
 */
const CHAIN_HEAD_MAX_AGE_MS = 60_000;

registerHealthCheck({
  name: "chain",
  timeoutMs: 3_000,
  run: async () => {
    const head = await tron().getNowBlock();
    const age = Date.now() - head.timestamp;
    if (age > CHAIN_HEAD_MAX_AGE_MS)
      throw new Error(
        `head block ${head.number} is ${Math.round(age / 1000)} s old: the node is not following the chain`,
      );
  },
});
