import { tronConfigFromEnv } from "./config";
import { TronClient } from "./tron-client";

let singleton: TronClient | null = null;

/** The app-wide client built from env. */
export function getTronClient(): TronClient {
  if (!singleton) singleton = new TronClient(tronConfigFromEnv());
  return singleton;
}

/** Tests: forget the singleton (after changing env). */
export function resetTronClient(): void {
  singleton = null;
}
