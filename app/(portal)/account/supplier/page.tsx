import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { errorCatalogue } from "@/lib/format/errors";
import { type PermissionSetup, permissionSetup } from "@/lib/pool";
import { ownershipMessage, supplierDashboard } from "@/lib/suppliers";
import { portalContext } from "../../_lib/context";
import { SupplierView } from "./supplier-view";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  done: z.enum(["profile", "wallet", "payout", "caps"]).optional().catch(undefined),
  e: z.string().max(40).optional().catch(undefined),
  address: z.string().trim().max(100).optional().catch(undefined),
});

/** /account/supplier: the signed-in user's supplier profile, wallets, earnings and payouts. */
export default async function SupplierPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}) {
  const { user, t, locale, tz } = await portalContext();
  const q = querySchema.parse(await searchParams);
  const d = await supplierDashboard(user.id);
  let setup: PermissionSetup | null = null;
  let setupError: string | null = null;
  if (q.address && d.profile) {
    try {
      setup = await permissionSetup(q.address);
    } catch (e) {
      // e.g. not a TRON address, or an account the chain does not know yet
      setupError = isAppError(e) ? e.code : "internal";
    }
  }
  const error = q.e && q.e in errorCatalogue ? q.e : q.e ? "internal" : (setupError ?? undefined);
  return (
    <SupplierView
      d={d}
      t={t}
      locale={locale}
      tz={tz}
      done={q.done}
      error={error as keyof typeof errorCatalogue | undefined}
      setup={setup}
      message={setup ? ownershipMessage(user.id, setup.owner) : null}
    />
  );
}
