import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { getSettings, invalidateSettings, resetSettings } from "./index";

describe("settings cache", () => {
  afterEach(() => resetSettings(["quoteTtlSeconds"]));

  it("a read that started before an invalidation does not fill the cache with what it read", async () => {
    await resetSettings(["quoteTtlSeconds"]);
    const inFlight = getSettings(); // a cache miss: reading the table now
    invalidateSettings(); // meanwhile a write elsewhere in this process invalidates
    expect((await inFlight).quoteTtlSeconds).toBe(300);
    // The stored value changes (as that write did); the next read must see it, not the old read.
    const db = await getDb();
    await db.execute(sql`insert into settings (key, value) values ('quoteTtlSeconds', '123'::jsonb)`);
    expect((await getSettings()).quoteTtlSeconds).toBe(123);
  });
});
