import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { type DriftRow, listDrift } from "@/lib/reconcile";
import { reconcileNowFormAction } from "../../actions";
import { ActionForm } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { formatInteger, trx } from "@/lib/format";
import type { Translate } from "@/lib/i18n";
import { Card, Table, Td, type When } from "../../_components/ui";

export const dynamic = "force-dynamic";

function reclaimState(f: DriftRow, when: When, t: Translate): string {
  if (f.kind !== "orphan" && f.kind !== "unreclaimed") return "—";
  if (f.reclaimedAt) return t("admin-reconcile-undelegated", { amount: trx(f.reclaimSun ?? 0n) });
  if (f.reclaimTxid) return t("admin-reconcile-undelegateSent");
  if (f.reclaimError) return f.reclaimError;
  if (f.unlockedSun > 0n)
    return t(f.runs >= 2 ? "admin-reconcile-undelegatingNext" : "admin-reconcile-undelegatedIfSeen");
  return t("admin-reconcile-lockedUntil", { time: when(f.chainLockEndsAt) });
}

function Rows({ rows, when, t }: { rows: DriftRow[]; when: When; t: Translate }) {
  return (
    <Table
      head={[
        t("admin-reconcile-col-kind"),
        t("admin-reconcile-col-wallet"),
        t("admin-reconcile-col-receiver"),
        t("admin-reconcile-col-chain"),
        t("admin-reconcile-col-expected"),
        t("admin-reconcile-col-lockEnds"),
        t("admin-reconcile-col-delegations"),
        t("admin-reconcile-col-seen"),
        t("admin-reconcile-col-reclaim"),
      ]}
    >
      {rows.map((f) => (
        <tr key={f.id} data-testid="drift-row">
          <Td>
            <span className="font-semibold">{f.kind}</span>
            <span className="block text-xs text-slate-500">{t(`admin-reconcile-kind-${f.kind}`)}</span>
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
          <Td>{reclaimState(f, when, t)}</Td>
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
            ? t(last.error ? "admin-reconcile-lastRunError" : "admin-reconcile-lastRun", {
                time: when(last.startedAt),
                wallets: formatInteger(last.wallets),
                receivers: formatInteger(last.receivers),
                open: formatInteger(last.open),
                error: last.error ?? "",
              })
            : t("admin-reconcile-never")}{" "}
          {t("admin-reconcile-schedule")}
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
      <Card title={t("admin-reconcile-open", { n: formatInteger(open.length) })} testId="drift-open">
        {open.length ? (
          <Rows when={when} rows={open} t={t} />
        ) : (
          <p className="text-sm text-slate-500">{t("admin-none")}</p>
        )}
      </Card>
      {last && last.ownersOwn.length > 0 && (
        <Card title={t("admin-reconcile-ownersOwn")} testId="drift-owners-own">
          <p className="mb-2 text-xs text-slate-500">{t("admin-reconcile-ownersOwnNote")}</p>
          <ul className="space-y-1 text-sm">
            {last.ownersOwn.map((o) => (
              <li key={`${o.walletId}:${o.receiver}`} className="font-mono">
                {o.address} → {o.receiver}: {trx(BigInt(o.sun))}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={t("admin-reconcile-resolved")} testId="drift-resolved">
        {resolved.length ? (
          <Rows when={when} rows={resolved} t={t} />
        ) : (
          <p className="text-sm text-slate-500">{t("admin-none")}</p>
        )}
      </Card>
    </>
  );
}
