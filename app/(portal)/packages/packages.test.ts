import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n";
import { getBalance } from "@/lib/ledger";
import { freshReceiver, fundedUser } from "@/lib/orders/testing";
import { getPackage, listPackages } from "@/lib/packages";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { buyPackageFor } from "./logic";

/** The portal's packages page action: a real user, the devnet, the database. */

const kit = orderKitWithPoolOnce();
const en = translator("en");
const zh = translator("zh");
const form = (o: Record<string, string | number>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, String(v));
  return f;
};

describe("portal: transfer packages", () => {
  it("buys a package once per form token, charged once", async () => {
    const userId = await fundedUser(100_000_000n);
    const address = await freshReceiver(kit);
    const values = { address, transfers: "10", token: "tok-1" };
    const r = await buyPackageFor(userId, form(values), en);
    expect(r).toMatchObject({ status: "success", message: "Package bought." });
    const p = await getPackage(userId, (r as { packageId: number }).packageId);
    expect([p.address, p.transfers, p.remaining, p.source]).toEqual([address, 10, 10, "portal"]);
    expect((await buyPackageFor(userId, form(values), zh)).status).toBe("success");
    expect(await listPackages(userId)).toHaveLength(1);
    expect(await getBalance(userId)).toBe(70_000_000n);
  });

  it("bad input: a clear message, nothing bought, nothing charged", async () => {
    const userId = await fundedUser(40_000_000n);
    const address = await freshReceiver(kit);
    const cases: [Record<string, string>, string][] = [
      [{ address: "", transfers: "10", token: "a" }, en("address-empty")],
      [{ address, transfers: "abc", token: "b" }, en("packages-none-on-sale")],
      [{ address, transfers: "10", token: "" }, en("error-generic")],
    ];
    for (const [v, message] of cases)
      expect(await buyPackageFor(userId, form(v), en)).toMatchObject({ status: "failed", message });
    for (const v of [
      { address: "Tnope", transfers: "10", token: "c" },
      { address, transfers: "7", token: "d" },
      { address, transfers: "50", token: "e" },
    ]) {
      const r = await buyPackageFor(userId, form(v), zh);
      expect(r.status).toBe("failed");
      expect(r.message.length).toBeGreaterThan(0);
    }
    expect(await listPackages(userId)).toEqual([]);
    expect(await getBalance(userId)).toBe(40_000_000n);
  });
});
