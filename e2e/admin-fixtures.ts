/**
 * Test-runner side of the admin browser tests: admins with known passwords and a failed order,
 * written straight into the shared DATABASE_URL through lib/ (the same code the app runs). DEVNET ONLY keys.
 */
import { appSecrets, e2eConfig } from "./ports";

const devnetPort = String(e2eConfig().devnetPort);
appSecrets();
process.env.TRON_NETWORK = "devnet";
process.env.DEVNET_PORT = devnetPort;
// the app's TRON client (tron()) reads the e2e devnet, whatever node a settings file names
process.env.TRON_FULL_HOST = `http://127.0.0.1:${devnetPort}`;
process.env.TRONSCAN_API_URL = process.env.TRON_FULL_HOST;
process.env.LOG_LEVEL ??= "warn";
if (!process.env.DATABASE_URL) throw new Error("Admin browser tests need DATABASE_URL (real PostgreSQL).");

export const devnetUrl = `http://127.0.0.1:${devnetPort}`;
export const PASSWORD = "e2e admin password 123";

export async function makeAdmin(role: "owner" | "operator" | "viewer"): Promise<string> {
  const { createAdmin } = await import("@/lib/admin/auth");
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.example`;
  await createAdmin({ email, role, password: PASSWORD });
  return email;
}

/** A user whose order failed (price debited, not yet refunded). */
export async function failedOrder(): Promise<{ orderId: number; userId: number }> {
  const { randomUUID } = await import("node:crypto");
  const { eq } = await import("drizzle-orm");
  const { getDb } = await import("@/db");
  const { orders } = await import("@/db/schema");
  const testing = await import("@/lib/orders/testing");
  const events = await import("@/lib/events");
  const { createOrder } = await import("@/lib/orders");
  events.setEventSender(events.captureSender);
  // Orders are only taken when the pool can cover them: a devnet pool wallet (idempotent).
  await testing.importPool([1]);
  const userId = await testing.fundedUser(100_000_000n);
  const { order } = await createOrder({
    userId,
    receiver: await testing.freshReceiver({ ctl: testing.controlOf(devnetUrl) }),
    energy: 65_000,
    duration: "1h",
    source: "admin",
    idempotencyKey: randomUUID(),
  });
  const db = await getDb();
  await db
    .update(orders)
    .set({ status: "failed", failureReason: "e2e: chain refused" })
    .where(eq(orders.id, order.id));
  return { orderId: order.id, userId };
}

export async function devnetWallet(i: number): Promise<{ address: string; privateKey: string }> {
  const { devnetAccount } = await import("@/devnet/genesis");
  const a = devnetAccount(i);
  return { address: a.base58, privateKey: a.privateKey };
}
