import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { listOutstandingDelegations } from "@/lib/admin/queries";
import { listWallets } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { formatAmount } from "@/lib/money";
import { energyForSun } from "@/lib/tron/resources";
import {
  importWalletFormAction,
  refreshWalletFormAction,
  removeWalletFormAction,
  setWalletPriorityFormAction,
  setWalletStatusFormAction,
} from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, ReadOnlyNote, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function PoolPage() {
  const ctx = await requireAdminPage("pool.read");
  const { t, when } = await getAdminT();
  const role = ctx.admin.role;
  const [wallets, outstanding, weights] = await Promise.all([
    listWallets(),
    listOutstandingDelegations(),
    tron()
      .getEnergyWeights()
      .catch(() => null),
  ]);
  // TotalEnergyLimit / TotalEnergyWeight with two decimals (9.47 on the default devnet, not 9).
  const perTrx = weights
    ? formatAmount((weights.totalEnergyLimit * 100n) / weights.totalEnergyWeight, {
        decimals: 2,
        minDecimals: 2,
      })
    : null;
  const openBy = new Map<number, number>();
  for (const d of outstanding) openBy.set(d.walletId, (openBy.get(d.walletId) ?? 0) + 1);
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-pool")}</h1>
      <p className="text-sm text-slate-600" data-testid="energy-per-trx">
        {t("admin-pool-energyPerTrx", { n: perTrx ?? t("admin-pool-nodeDown") })}
      </p>
      {!can(role, "pool.update") && <ReadOnlyNote text={t("admin-readOnly")} />}
      <Card>
        <Table
          head={[
            "#",
            "address",
            "label",
            "status",
            "priority",
            "TRX",
            "staked",
            "delegated",
            "delegatable",
            "energy now",
            "bandwidth",
            "open",
            "refreshed",
            "",
          ]}
        >
          {wallets.map((w) => (
            <tr key={w.id} data-testid="wallet-row">
              <Td>{w.id}</Td>
              <Td mono>{w.address}</Td>
              <Td>{w.label ?? "—"}</Td>
              <Td>{w.status}</Td>
              <Td>{w.priority}</Td>
              <Td>{trx(w.trxSun)}</Td>
              <Td>{trx(w.stakedEnergySun)}</Td>
              <Td>{trx(w.delegatedEnergySun)}</Td>
              <Td>{trx(w.freeSun)}</Td>
              <Td>{weights ? int(energyForSun(w.freeSun, weights)) : "—"}</Td>
              <Td>{int(w.bandwidthAvailable)}</Td>
              <Td>{openBy.get(w.id) ?? 0}</Td>
              <Td mono>
                {when(w.refreshedAt)}
                {w.lastError && <span className="block text-red-700">{w.lastError}</span>}
              </Td>
              <Td>
                <div className="flex flex-col gap-1">
                  {can(role, "pool.update") && (
                    <>
                      <ActionForm
                        action={setWalletStatusFormAction}
                        hidden={{ walletId: w.id, status: w.status === "enabled" ? "disabled" : "enabled" }}
                        submit={w.status === "enabled" ? t("admin-pool-disable") : t("admin-pool-enable")}
                      />
                      <ActionForm
                        action={setWalletPriorityFormAction}
                        hidden={{ walletId: w.id }}
                        submit={t("admin-save")}
                      >
                        <Field
                          label={t("admin-pool-priority")}
                          name="priority"
                          defaultValue={w.priority}
                          width="w-20"
                        />
                      </ActionForm>
                    </>
                  )}
                  {can(role, "pool.refresh") && (
                    <ActionForm
                      action={refreshWalletFormAction}
                      hidden={{ walletId: w.id }}
                      submit={t("admin-pool-refresh")}
                    />
                  )}
                  {can(role, "pool.remove") && !openBy.get(w.id) && (
                    <ActionForm
                      action={removeWalletFormAction}
                      hidden={{ walletId: w.id }}
                      submit={t("admin-pool-remove")}
                      danger
                      confirm={{ question: t("admin-pool-removeConfirm"), cancel: t("admin-confirm-cancel") }}
                    />
                  )}
                </div>
              </Td>
            </tr>
          ))}
        </Table>
        {wallets.length === 0 && <p className="text-sm text-slate-500">{t("admin-none")}</p>}
      </Card>
      {can(role, "pool.import") && (
        <Card title={t("admin-pool-import")}>
          <ActionForm action={importWalletFormAction} submit={t("admin-pool-import")} testId="import-form">
            <Field label={t("admin-pool-address")} name="address" required width="w-80" />
            <Field label={t("admin-pool-key")} name="privateKey" type="password" required width="w-80" />
            <Field label={t("admin-pool-label")} name="label" />
            <Field label={t("admin-pool-priority")} name="priority" defaultValue={0} width="w-20" />
          </ActionForm>
        </Card>
      )}
      <Card title={t("admin-pool-outstanding")}>
        <Table head={["delegation", "order", "wallet", "TRX", "energy", "status", "expires"]}>
          {outstanding.map((d) => (
            <tr key={d.id}>
              <Td>{d.id}</Td>
              <Td>
                <a href={`/admin/orders/${d.orderId}`} className="underline">
                  {d.orderId}
                </a>
              </Td>
              <Td>{d.walletId}</Td>
              <Td>{trx(d.sun)}</Td>
              <Td>{int(d.energy)}</Td>
              <Td>{d.status}</Td>
              <Td mono>{when(d.expiresAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
