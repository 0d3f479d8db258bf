import { parseOrderId } from "@/app/(portal)/_lib/ids";
import { batchLive } from "@/app/(portal)/batch/view";
import { getBatch } from "@/lib/batches";
import { portalRoute } from "../../_respond";

export const dynamic = "force-dynamic";

// GET /api/portal/batches/:id — the signed-in user's batch with each line's order status (the batch
// page polls it); another user's id → 404 like a missing one.
export const GET = portalRoute<{ id: string }>(async (ctx, _req, { id }) => {
  const batch = await getBatch({ batchId: parseOrderId(id), userId: ctx.user.id });
  return batchLive(batch, ctx);
});
