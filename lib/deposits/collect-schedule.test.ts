import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { chainCursors } from "@/db/schema";
import { resetSettings, updateSettings } from "@/lib/settings";
import { COLLECT_MARKER, collectionDue } from "./index";

async function clearMarker() {
  const db = await getDb();
  await db.delete(chainCursors).where(eq(chainCursors.name, COLLECT_MARKER));
}

async function lastRunAt(at: Date) {
  const db = await getDb();
  await db.insert(chainCursors).values({ name: COLLECT_MARKER, blockNumber: 0, lastRunAt: at });
}

beforeEach(clearMarker);
afterEach(async () => {
  await clearMarker();
  await resetSettings(["collection"]);
});

describe("collection schedule", () => {
  it("is due when no collection ever ran", async () => {
    expect(await collectionDue()).toBe(true);
  });

  it("waits for settings.collection.intervalMinutes after the last run, then is due", async () => {
    await updateSettings({
      collection: { intervalMinutes: 30, trxThresholdSun: "10000000", usdtThresholdBase: "10000000" },
    });
    const last = new Date("2026-01-01T10:00:00Z");
    await lastRunAt(last);
    expect(await collectionDue({ now: new Date(last.getTime() + 29 * 60_000) })).toBe(false);
    expect(await collectionDue({ now: new Date(last.getTime() + 30 * 60_000 - 1) })).toBe(false);
    expect(await collectionDue({ now: new Date(last.getTime() + 30 * 60_000) })).toBe(true);
  });

  it("a requested run is due at once, whatever the interval", async () => {
    await lastRunAt(new Date());
    expect(await collectionDue()).toBe(false);
    expect(await collectionDue({ requested: true })).toBe(true);
  });
});
