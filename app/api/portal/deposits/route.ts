import { listDeposits } from "@/lib/deposits";
import { formatTrx } from "@/lib/money";
import { depositRow } from "@/app/(portal)/_lib/views";
import { portalRoute } from "../_respond";

export const dynamic = "force-dynamic";

// GET /api/portal/deposits — the signed-in user's deposits (confirmations counting up to credited)
// and balance, for the top-up page's polling.
export const GET = portalRoute(async (ctx) => {
  const rows = await listDeposits({ userId: ctx.user.id, limit: 20 });
  return { balance: formatTrx(ctx.user.balanceSun), deposits: rows.map((d) => depositRow(d, ctx)) };
});
