import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formatTrx } from "@/lib/money";
import { quoteDeliverable } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { portalRoute } from "../_respond";

export const dynamic = "force-dynamic";

const query = z.object({ energy: z.string().max(40), duration: z.string().max(10) });

export type PortalQuote = {
  energy: string;
  duration: string;
  price: string;
  priceSun: string;
  unitPrice: string;
  fee: string | null;
  burn: string;
  saving: string;
  savingPercent: number;
  /** The volume discount taken off, or null. */
  discount: string | null;
  discountPercent: number;
  /** How much the pool's utilisation raises the price, in whole percent (0: none). */
  demandPercent: number;
  /** The burn price was read from the chain now. */
  burnLive: boolean;
  /** The held quote the pay button confirms, and until when it holds (ISO). */
  quoteToken: string | null;
  expiresAt: string | null;
  balance: string;
  balanceAfter: string | null;
  shortfall: string | null;
  maintenance: boolean;
};

// GET /api/portal/quote?energy=&duration= — the live quote for the rent form (same figures as the
// bot's quote), with the user's balance and, when short, how much to top up.
export const GET = portalRoute(async (ctx, req): Promise<PortalQuote> => {
  const p = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!p.success) throw new AppError("bad_request", "Invalid quote request.");
  const settings = await getSettings();
  const q = await quoteDeliverable(
    { energy: p.data.energy, duration: p.data.duration, userId: ctx.user.id },
    settings,
  );
  const balance = ctx.user.balanceSun;
  return {
    energy: q.energy.toString(),
    duration: q.durationKey,
    price: formatTrx(q.priceSun),
    priceSun: q.priceSun.toString(),
    unitPrice: ctx.t("landing-prices-unitValue", { sun: q.unitPriceSun.toString() }),
    fee: q.feeSun > 0n ? formatTrx(q.feeSun) : null,
    burn: formatTrx(q.burnSun),
    saving: formatTrx(q.savingSun),
    savingPercent: q.savingPercent,
    discount: q.discountSun > 0n ? formatTrx(q.discountSun) : null,
    discountPercent: q.volumeDiscountPercent,
    demandPercent: Math.max(0, Math.floor((q.multiplierBps - 10_000) / 100)),
    burnLive: q.burnPriceLive,
    quoteToken: q.token ?? null,
    expiresAt: q.expiresAt?.toISOString() ?? null,
    balance: formatTrx(balance),
    balanceAfter: balance >= q.priceSun ? formatTrx(balance - q.priceSun) : null,
    shortfall: balance < q.priceSun ? formatTrx(q.priceSun - balance) : null,
    maintenance: settings.maintenance.enabled,
  };
});
