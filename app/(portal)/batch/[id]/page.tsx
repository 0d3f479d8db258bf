import Link from "next/link";
import { notFound } from "next/navigation";
import { type BatchDetail, getBatch } from "@/lib/batches";
import { isAppError } from "@/lib/errors";
import { portalContext } from "../../_lib/context";
import { parseOrderId } from "../../_lib/ids";
import { batchLive } from "../view";
import { BatchLiveView } from "./batch-live";

export const dynamic = "force-dynamic";

export default async function BatchViewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await portalContext();
  let batch: BatchDetail;
  try {
    batch = await getBatch({ batchId: parseOrderId(id), userId: ctx.user.id });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  return (
    <div className="space-y-4">
      <Link
        href="/batch"
        data-mini-hide
        className="inline-flex min-h-11 items-center text-sm text-(--p-link)"
      >
        ← {ctx.t("batch-back")}
      </Link>
      <h1 className="text-2xl font-bold tabular-nums">{ctx.t("batch-id", { id: String(batch.id) })}</h1>
      <BatchLiveView initial={batchLive(batch, ctx)} />
    </div>
  );
}
