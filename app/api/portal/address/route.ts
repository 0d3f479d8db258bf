import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formatInteger, formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { tron } from "@/lib/tron/client";
import { suggestUsdtEnergy } from "@/lib/tron/resources";
import { addressReasonMessage } from "@/app/(portal)/_lib/errors";
import { ADDRESS_LOOKUPS_PER_MINUTE, addressLookupLimiter } from "@/lib/security/limits";
import { portalRoute } from "../_respond";

export const dynamic = "force-dynamic";

const query = z.object({
  address: z.string().max(200),
  role: z.enum(["receiver", "recipient"]).default("receiver"),
});

export type AddressCheck =
  | { ok: false; message: string }
  | {
      ok: true;
      address: string;
      live: boolean;
      activated?: boolean;
      energy?: string;
      trx?: string;
      /** recipient only: energy to suggest (65k holder / 131k empty) */
      suggestion?: number;
      holdsUsdt?: boolean;
    };

// GET /api/portal/address?address=&role=receiver|recipient — validates an address as the user types
// (format + checksum, reason in their language), then reads it live (60 reads a minute per user): activation and energy for a
// receiver, USDT holdings → 65k/131k suggestion for a USDT recipient. Chain trouble → valid, not live.
export const GET = portalRoute(async (ctx, req): Promise<AddressCheck> => {
  const p = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!p.success) throw new AppError("bad_request", "Invalid request.");
  let address: string;
  try {
    address = parseAddress(p.data.address);
  } catch (e) {
    const reason = e instanceof AppError ? e.details?.reason : undefined;
    return { ok: false, message: addressReasonMessage(ctx.t, reason) };
  }
  // Each live read spends provider quota: limited per user, in the store every instance shares.
  await addressLookupLimiter.hit(`user:${ctx.user.id}`, ADDRESS_LOOKUPS_PER_MINUTE);
  try {
    const o = await tron().getAccountOverview(address);
    if (p.data.role === "recipient") {
      const s = await getSettings();
      const suggestion = suggestUsdtEnergy({
        recipientUsdtBase: o.usdtBase,
        holderEnergy: BigInt(s.usdtEnergyHolder),
        emptyEnergy: BigInt(s.usdtEnergyEmpty),
      });
      return { ok: true, address, live: true, holdsUsdt: o.usdtBase > 0n, suggestion: Number(suggestion) };
    }
    return {
      ok: true,
      address,
      live: true,
      activated: o.activated,
      energy: ctx.t("energy-amount", { n: formatInteger(o.energyAvailable) }),
      trx: formatTrx(o.trxSun),
    };
  } catch {
    return { ok: true, address, live: false };
  }
});
