/**
 * `npm run engine`: the local Inngest engine alone, for any app served by the Inngest SDK.
 *
 *   ENGINE_PORT            port to listen on (default 8288, where the SDK's dev mode looks)
 *   ENGINE_HOST            interface (default 127.0.0.1)
 *   ENGINE_APP_URL         serve URL(s) of the app(s) to sync, comma-separated
 *                          (default http://127.0.0.1:$PORT/api/inngest, PORT defaulting to 3000)
 *   INNGEST_SIGNING_KEY    sign every call (the app then verifies signatures); unset = dev mode
 *   INNGEST_EVENT_KEY      require this key on the event API
 *   ENGINE_STATE_FILE      keep the engine's state in this JSON file across restarts
 *   ENGINE_CHECKPOINTING   0 = one step per call (the SDK's classic protocol); default 1
 *   ENGINE_RETRY_DELAY_MS  fixed delay before a retry instead of Inngest's 15 s … 2 h table
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { isSigningKey } from "./protocol";
import { startEngine } from "./server";

const port = Number(process.env.ENGINE_PORT ?? 8288);
const host = process.env.ENGINE_HOST ?? "127.0.0.1";
const appUrls = (process.env.ENGINE_APP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/api/inngest`)
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const signingKey = process.env.INNGEST_SIGNING_KEY || undefined;
const eventKey = process.env.INNGEST_EVENT_KEY || undefined;
const stateFile = process.env.ENGINE_STATE_FILE || undefined;
const retryDelay = process.env.ENGINE_RETRY_DELAY_MS ? Number(process.env.ENGINE_RETRY_DELAY_MS) : undefined;

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`ENGINE_PORT must be a port number, got "${process.env.ENGINE_PORT}"`);
  process.exit(2);
}
if (signingKey && !isSigningKey(signingKey)) {
  console.error("INNGEST_SIGNING_KEY must look like signkey-<env>-<hex> (the form the Inngest SDK accepts).");
  process.exit(2);
}
if (retryDelay !== undefined && !(retryDelay >= 0)) {
  console.error(
    `ENGINE_RETRY_DELAY_MS must be a number of milliseconds, got "${process.env.ENGINE_RETRY_DELAY_MS}"`,
  );
  process.exit(2);
}
for (const u of appUrls) {
  try {
    new URL(u);
  } catch {
    console.error(`ENGINE_APP_URL: "${u}" is not a URL`);
    process.exit(2);
  }
}
if (stateFile) mkdirSync(dirname(stateFile), { recursive: true });

const running = await startEngine({
  port,
  host,
  appUrls,
  signingKey,
  eventKey,
  stateFile,
  checkpointing: process.env.ENGINE_CHECKPOINTING !== "0",
  ...(retryDelay !== undefined ? { retryDelayMs: () => retryDelay } : {}),
}).catch((e: NodeJS.ErrnoException) => {
  console.error(
    e.code === "EADDRINUSE"
      ? `Port ${port} is in use (another engine or Inngest dev server?). Set ENGINE_PORT.`
      : e.message,
  );
  process.exit(1);
});

console.log(`[engine] local Inngest engine on ${running.url} (run list: ${running.url}/)`);
console.log(
  `[engine] syncing ${appUrls.join(", ")}; calls ${signingKey ? "signed with INNGEST_SIGNING_KEY" : "unsigned (dev mode)"}`,
);
if (stateFile) console.log(`[engine] state kept in ${stateFile}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  running.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
