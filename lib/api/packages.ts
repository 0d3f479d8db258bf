import {
  buyPackage,
  getPackage,
  listPackages,
  type PackageUseView,
  type PackageView,
  packageOffers,
  packageUsesOf,
} from "@/lib/packages";
import { txUrl } from "@/lib/tron/explorer";
import { apiError } from "./handler";
import type { ApiCaller } from "./keys";
import type { BuyPackageBody, PackageJson } from "./schemas";

/** The reseller API's per-transfer packages (lib/packages), as JSON. */

export function packageToJson(p: PackageView): PackageJson {
  return {
    id: String(p.id),
    status: p.status,
    address: p.address,
    transfers: p.transfers,
    used: p.used,
    remaining: p.remaining,
    price_sun: p.priceSun.toString(),
    refund_percent: p.refundPercent,
    refunded_sun: p.refundedSun.toString(),
    supply_pending: p.pending,
    energy_available: p.energyAvailable === null ? null : Number(p.energyAvailable),
    ends_at: p.endsAt.toISOString(),
    created_at: p.createdAt.toISOString(),
  };
}

const useToJson = (u: PackageUseView) => ({
  txid: u.txid,
  block: u.blockNumber,
  energy_used: u.energyUsed === null ? null : Number(u.energyUsed),
  tx_url: txUrl(u.txid),
  counted_at: u.createdAt.toISOString(),
});

const idOf = (raw: string): number => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647)
    throw apiError("not_found", "Package not found.");
  return id;
};

export async function apiPackageOffers() {
  const o = await packageOffers();
  return {
    data: o.offers.map((x) => ({ transfers: x.transfers, price_sun: x.priceSun.toString() })),
    validity_days: o.validityDays,
    refund_percent: o.refundPercent,
  };
}

export async function buyApiPackage(input: {
  caller: ApiCaller;
  body: BuyPackageBody;
  idempotencyKey: string;
}): Promise<{ package: PackageJson; created: boolean }> {
  const r = await buyPackage({
    userId: input.caller.userId,
    address: input.body.address,
    transfers: input.body.transfers,
    source: "api",
    idempotencyKey: `api:${input.idempotencyKey}`,
  });
  return { package: packageToJson(r.package), created: r.created };
}

export async function listApiPackages(caller: ApiCaller) {
  return { data: (await listPackages(caller.userId, 100)).map(packageToJson) };
}

export async function getApiPackage(caller: ApiCaller, rawId: string): Promise<PackageJson> {
  const id = idOf(rawId);
  const p = await getPackage(caller.userId, id);
  return { ...packageToJson(p), uses: (await packageUsesOf(caller.userId, id)).map(useToJson) };
}
