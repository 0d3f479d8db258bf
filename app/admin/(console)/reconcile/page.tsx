import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { type DriftRow, listDrift } from "@/lib/reconcile";
import { reconcileNowFormAction } from "../../actions";
import { ActionForm } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { trx } from "@/lib/format";
import { Card, Table, Td, type When } from "../../_components/ui";

export const dynamic = "force-dynamic";

const KIND_TEXT: Record<DriftRow["kind"], string> = {
  orphan: "on chain, no order explains it",
  missing: "an order's delegation is not on chain",
  unreclaimed: "marked reclaimed, still on chain",
  lock_mismatch: "the chain's lock ends later than the orders'",
};

function reclaimState(f: DriftRow, when: When): string {
  if (f.kind !== "orphan" && f.kind !== "unreclaimed") return "—";
  if (f.reclaimedAt) return `undelegated ${trx(f.reclaimSun ?? 0n)}`;
  if (f.reclaimTxid) return "undelegate sent";
  if (f.reclaimError) return f.reclaimError;
  if (f.unlockedSun > 0n) return f.runs >= 2 ? "undelegating next run" : "undelegated if seen again";
  return `locked until ${when(f.chainLockEndsAt)}`;
}

function Rows({ rows, when }: { rows: DriftRow[]; when: When }) {
  return (
    <Table
      head={[
        "kind",
        "wallet",
        "receiver",
        "on chain",
        "orders expect",
        "lock ends (chain / orders)",
        "delegations",
        "seen",
        "reclaim",
      ]}
    >
      {rows.map((f) => (
        <tr key={f.id} data-testid="drift-row">
          <Td>
            <span className="font-semibold">{f.kind}</span>
            <span className="block text-xs text-slate-500">{KIND_TEXT[f.kind]}</span>
          </Td>
          <Td mono>
            <a href="/admin/pool" className="underline">
              {f.walletLabel ?? f.walletAddress}
            </a>
          </Td>
          <Td mono>{f.receiverAddress}</Td>
          <Td>{trx(f.chainSun)}</Td>
          <Td>{trx(f.expectedSun)}</Td>
          <Td mono>
            {when(f.chainLockEndsAt)} / {when(f.expectedLockEndsAt)}
          </Td>
          <Td mono>{f.delegationIds.length ? f.delegationIds.join(", ") : "—"}</Td>
          <Td mono>
            {when(f.firstSeenAt)} → {when(f.resolvedAt ?? f.lastSeenAt)} ({f.runs}×)
          </Td>
          <Td>{reclaimState(f, when)}</Td>
        </tr>
      ))}
    </Table>
  );
}

/** Chain reconciliation: what the chain and the database disagree on, per wallet and receiver. */
export default async function ReconcilePage() {
  const ctx = await requireAdminPage("pool.read");
  const { t, when } = await getAdminT();
  const { open, resolved, runs } = await listDrift();
  const last = runs[0];
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-reconcile")}</h1>
      <Card>
        <p className="text-sm text-slate-600" data-testid="reconcile-last-run">
          {last
            ? `Last check ${when(last.startedAt)}: ${last.wallets} wallets, ${last.receivers} receivers, ${last.open} open${
                last.error ? ` — ${last.error}` : ""
              }.`
            : "Not checked yet."}{" "}
          Checked every 5 minutes; stake no order explains is undelegated once its lock has ended and it was
          seen twice.
        </p>
        {can(ctx.admin.role, "pool.refresh") && (
          <div className="mt-2">
            <ActionForm
              action={reconcileNowFormAction}
              submit={t("admin-reconcile-run")}
              testId="reconcile-now"
            />
          </div>
        )}
      </Card>
      <Card title={`Open (${open.length})`} testId="drift-open">
        {open.length ? (
          <Rows when={when} rows={open} />
        ) : (
          <p className="text-sm text-slate-500">{t("admin-none")}</p>
        )}
      </Card>
      <Card title="Resolved lately" testId="drift-resolved">
        {resolved.length ? (
          <Rows when={when} rows={resolved} />
        ) : (
          <p className="text-sm text-slate-500">{t("admin-none")}</p>
        )}
      </Card>
    </>
  );
}
