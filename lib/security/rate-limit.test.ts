import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { SharedLimiter } from "./rate-limit";

/** The shared store: windows, Retry-After, several app instances, parallel hits. */

const hitOrCode = (l: SharedLimiter, key: string, limit: number) =>
  l.hit(key, limit).then(
    () => "ok",
    (e) => e.code as string,
  );

describe("shared rate limits (PostgreSQL table)", () => {
  it("fixed windows: the limit, then rate_limited with the seconds left", async () => {
    const l = new SharedLimiter("t-window", 60);
    await l.reset();
    expect((await l.hit("a", 2)).remaining).toBe(1);
    expect((await l.hit("a", 2)).remaining).toBe(0);
    const e = await l.hit("a", 2).catch((x) => x);
    expect(e.code).toBe("rate_limited");
    expect(e.details.retryAfter).toBeGreaterThanOrEqual(1);
    expect(e.details.retryAfter).toBeLessThanOrEqual(60);
    expect((await l.hit("b", 2)).remaining).toBe(1);
    // the window ends (as another instance, with no memory of the blocked key, would see it)
    const db = await getDb();
    await l.reset();
    await db.insert(rateLimits).values({ key: "t-window:a", points: 2, expire: new Date(Date.now() - 1000) });
    expect((await l.hit("a", 2)).remaining).toBe(1);
    const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, "t-window:a"));
    expect(row.points).toBe(1);
    expect(row.expire!.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it("two app instances count against one window (not twice the limit)", async () => {
    // Two limiter objects with the same name and nothing in common but the database, as two
    // processes would be.
    const one = new SharedLimiter("t-instances", 60);
    const two = new SharedLimiter("t-instances", 60);
    await one.reset();
    const results: string[] = [];
    for (let i = 0; i < 10; i++) {
      results.push(await hitOrCode(one, "ip:1.2.3.4", 5));
      results.push(await hitOrCode(two, "ip:1.2.3.4", 5));
    }
    expect(results.filter((r) => r === "ok")).toHaveLength(5);
    expect(results.filter((r) => r === "rate_limited")).toHaveLength(15);
  });

  it("parallel hits lose no update: exactly the limit passes", async () => {
    const l = new SharedLimiter("t-parallel", 60);
    await l.reset();
    const results = await Promise.all(Array.from({ length: 40 }, () => hitOrCode(l, "k", 10)));
    expect(results.filter((r) => r === "ok")).toHaveLength(10);
    expect(results.filter((r) => r === "rate_limited")).toHaveLength(30);
    expect(await l.used("k", 10)).toBe(40);
  });
});
