import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { listOutstandingDelegations } from "@/lib/admin/queries";
import { AppError } from "@/lib/errors";
import {
  listOwnerReclaims,
  listWallets,
  operatorAddress,
  type PermissionSetup,
  permissionSetup,
  walletCostSummary,
} from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { formatAmount } from "@/lib/money";
import { energyForSun } from "@/lib/tron/resources";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  importPermissionWalletFormAction,
  importWalletFormAction,
  refreshWalletFormAction,
  removeWalletFormAction,
  setWalletCapsFormAction,
  setWalletPriorityFormAction,
  setWalletStatusFormAction,
} from "../../actions";
import { SignPermission } from "@/app/_components/sign-permission";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, ReadOnlyNote, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

/** The permission to add and the node-built transaction for `address`, or why it cannot be shown. */
async function setupFor(address: string | undefined): Promise<PermissionSetup | { error: string } | null> {
  if (!address) return null;
  try {
    return await permissionSetup(address);
  } catch (e) {
    return { error: e instanceof AppError ? e.message : "The TRON node is not answering right now." };
  }
}

export default async function PoolPage({ searchParams }: { searchParams: Promise<{ permission?: string }> }) {
  const ctx = await requireAdminPage("pool.read");
  const { t, when } = await getAdminT();
  const role = ctx.admin.role;
  const sp = await searchParams;
  const asked = typeof sp.permission === "string" ? sp.permission.trim().slice(0, 100) : undefined;
  const [wallets, outstanding, weights, operator, costs, ownerReclaims, setup] = await Promise.all([
    listWallets(),
    listOutstandingDelegations(),
    tron()
      .getEnergyWeights()
      .catch(() => null),
    operatorAddress().catch(() => null),
    walletCostSummary(),
    listOwnerReclaims(),
    can(role, "pool.import") ? setupFor(asked) : null,
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
            "mode",
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
              <Td>
                {w.mode === "permission" ? (
                  <span data-testid="wallet-mode">
                    permission #{w.permissionId}
                    {w.permissionError && (
                      <span className="block max-w-64 text-red-700" data-testid="permission-error">
                        {w.permissionError}
                      </span>
                    )}
                    <span className="block text-xs text-slate-500" data-testid="wallet-costs">
                      today {int(costs.get(w.id)?.todayBandwidth ?? 0n)}/{int(w.dailyBandwidthCap)} B ·{" "}
                      {trx(costs.get(w.id)?.todayTrxSun ?? 0n)}/{trx(w.dailyTrxCapSun)}
                      <br />
                      30 d: {int(costs.get(w.id)?.txs ?? 0)} tx, {int(costs.get(w.id)?.monthBandwidth ?? 0n)}{" "}
                      B, {trx(costs.get(w.id)?.monthTrxSun ?? 0n)}
                    </span>
                  </span>
                ) : (
                  "key"
                )}
              </Td>
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
                      {w.mode === "permission" && (
                        <ActionForm
                          action={setWalletCapsFormAction}
                          hidden={{ walletId: w.id }}
                          submit={t("admin-pool-capsSave")}
                          testId="caps-form"
                        >
                          <Field
                            label={t("admin-pool-capBandwidth")}
                            name="dailyBandwidthCap"
                            defaultValue={String(w.dailyBandwidthCap)}
                            width="w-24"
                          />
                          <Field
                            label={t("admin-pool-capTrx")}
                            name="dailyTrxCap"
                            defaultValue={formatAmount(w.dailyTrxCapSun, { decimals: 6 })}
                            width="w-24"
                          />
                        </ActionForm>
                      )}
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
      <Card title={t("admin-pool-operator")}>
        <p className="text-sm" data-testid="operator-address">
          {operator
            ? t("admin-pool-operatorAddress", { address: operator })
            : t("admin-pool-operatorMissing")}
        </p>
      </Card>
      {can(role, "pool.import") && (
        <Card title={t("admin-pool-permissionSetup")}>
          <p className="text-sm text-slate-600">{t("admin-pool-permissionIntro")}</p>
          <form method="get" className="flex items-end gap-2" data-testid="permission-lookup">
            <Input
              size="sm"
              name="permission"
              defaultValue={asked ?? ""}
              placeholder="T…"
              aria-label={t("admin-pool-address")}
              className="w-96"
            />
            <Button type="submit" variant="dark" size="sm">
              {t("admin-pool-permissionShow")}
            </Button>
          </form>
          {setup && "error" in setup && (
            <p className="text-sm text-red-700" data-testid="permission-setup-error">
              {setup.error}
            </p>
          )}
          {setup && !("error" in setup) && (
            <div className="flex flex-col gap-2 text-sm" data-testid="permission-setup">
              {setup.granted ? (
                <p className="font-medium text-green-800">{t("admin-pool-permissionGranted")}</p>
              ) : (
                <>
                  <p>{t("admin-pool-permissionAdd", { name: setup.permission.name, owner: setup.owner })}</p>
                  <ul className="list-disc pl-5">
                    <li>
                      {t("admin-pool-permissionOps", {
                        ops: setup.permission.operationNames
                          .map((n, i) => `${n} (${setup.permission.operationIds[i]})`)
                          .join(", "),
                      })}
                    </li>
                    <li>
                      {t("admin-pool-permissionKey", {
                        operator: setup.permission.keys[0].address,
                        weight: String(setup.permission.keys[0].weight),
                        threshold: String(setup.permission.threshold),
                      })}
                    </li>
                    <li>
                      {setup.kept.length
                        ? t("admin-pool-permissionKept", {
                            kept: setup.kept.map((k) => `${k.name} #${k.id}`).join(", "),
                          })
                        : t("admin-pool-permissionKeptNone")}
                    </li>
                    <li>{t("admin-pool-permissionFee", { fee: trx(setup.feeSun) })}</li>
                    <li>{t("admin-pool-permissionCosts")}</li>
                  </ul>
                  <p>
                    {t("admin-pool-permissionTx", {
                      until: when(new Date(setup.transaction.raw_data.expiration)),
                    })}
                  </p>
                  <textarea
                    readOnly
                    rows={8}
                    className="w-full rounded border border-slate-300 p-2 font-mono text-xs"
                    data-testid="permission-tx"
                    value={JSON.stringify(setup.transaction, null, 2)}
                  />
                  <SignPermission
                    transaction={setup.transaction}
                    owner={setup.owner}
                    labels={{
                      sign: t("admin-pool-permissionSign"),
                      sent: t("admin-pool-permissionSent", { txid: "{txid}" }),
                      noWallet: t("admin-pool-permissionNoWallet"),
                      locked: t("admin-pool-permissionLocked"),
                      rejected: t("admin-pool-permissionRejected"),
                      wrongAccount: t("admin-pool-permissionWrongAccount", {
                        selected: "{selected}",
                        address: "{address}",
                      }),
                      failed: t("admin-pool-permissionFailed", { reason: "{reason}" }),
                    }}
                  />
                </>
              )}
              <ActionForm
                action={importPermissionWalletFormAction}
                submit={t("admin-pool-permissionImport")}
                hidden={{ address: setup.owner }}
                testId="import-permission-form"
              >
                <Field label={t("admin-pool-label")} name="label" />
                <Field label={t("admin-pool-priority")} name="priority" defaultValue={0} width="w-20" />
                <Field
                  label={t("admin-pool-capBandwidth")}
                  name="dailyBandwidthCap"
                  defaultValue={1500}
                  width="w-24"
                />
                <Field label={t("admin-pool-capTrx")} name="dailyTrxCap" defaultValue="5" width="w-24" />
              </ActionForm>
            </div>
          )}
        </Card>
      )}
      {ownerReclaims.length > 0 && (
        <Card title={t("admin-pool-ownerReclaims")}>
          <p className="text-sm text-slate-600">{t("admin-pool-ownerReclaimsIntro")}</p>
          <Table head={["delegation", "order", "wallet", "receiver", "TRX", "expires", "flagged"]}>
            {ownerReclaims.map((d) => (
              <tr key={d.id} data-testid="owner-reclaim-row">
                <Td>{d.id}</Td>
                <Td>
                  <a href={`/admin/orders/${d.orderId}`} className="underline">
                    {d.orderId}
                  </a>
                </Td>
                <Td mono>{d.address}</Td>
                <Td mono>{d.receiver}</Td>
                <Td>{trx(d.sun)}</Td>
                <Td mono>{when(d.expiresAt)}</Td>
                <Td mono>{when(d.flaggedAt)}</Td>
              </tr>
            ))}
          </Table>
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
