import { describe, expect, it } from "vitest";
import { checkCycle } from "@/lib/watch";
import { freshReceiver, fundedUser } from "@/lib/orders/testing";
import { buyPackage, expirePackages, supplyChecked } from "@/lib/packages";
import { adminContext } from "@/test/admins";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { adminListPackages } from "./packages";

/** The console's package list: any role reads it with the margin, filtered by status; no session → refused. */

const kit = orderKitWithPoolOnce();

describe("console: per-transfer packages", () => {
  it("lists them with the supplies' cost and the margin, by status, for every role; refuses without a session", async () => {
    const userId = await fundedUser(100_000_000n);
    const mk = async () =>
      (
        await buyPackage({
          userId,
          address: await freshReceiver(kit),
          transfers: 10,
          source: "bot",
          idempotencyKey: `k-${Math.random()}`,
        })
      ).package;
    const a = await mk();
    const b = await mk();
    // a supplied: the first supply's recorded price is the package's cost so far
    const c = await checkCycle({ client: kit.client });
    const placed = await supplyChecked(c.checked, { client: kit.client });
    expect(placed.filter((o) => o.result === "ordered").map((o) => o.packageId)).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    const viewer = await adminContext("viewer");
    const all = await adminListPackages(viewer, {});
    const rowA = all.rows.find((r) => r.id === a.id)!;
    expect(rowA.supplies).toBe(1);
    expect(rowA.supplyCostSun).toBeGreaterThan(0n);
    expect(rowA.marginSun).toBe(rowA.priceSun - rowA.supplyCostSun);
    expect(all.totals.marginSun).toBe(all.rows.reduce((s, r) => s + r.marginSun, 0n));

    await expirePackages(new Date(Date.now() + 400 * 86_400_000));
    const expired = await adminListPackages(await adminContext("operator"), { status: "expired" });
    const rowB = expired.rows.find((r) => r.id === b.id)!;
    expect(rowB.refundedSun).toBeGreaterThan(0n);
    expect(rowB.marginSun).toBe(rowB.priceSun - rowB.refundedSun - rowB.supplyCostSun);
    expect(expired.rows.every((r) => r.status === "expired")).toBe(true);
    await expect(adminListPackages(viewer, { status: "bogus" })).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(adminListPackages(null, {})).rejects.toMatchObject({ code: "unauthorized" });
  });
});
