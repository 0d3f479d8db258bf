import Link from "next/link";
import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { int, percentOfBps, shortAddress, trx } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { listPayouts, listSuppliers } from "@/lib/suppliers";
import { txUrl } from "@/lib/tron/explorer";
import { decideSupplierPayoutFormAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, ReadOnlyNote, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

/** Third-party suppliers: who supplies, on what terms, what they earned; the payout queue and history. */
export default async function SuppliersPage() {
  const ctx = await requireAdminPage("finance.read");
  const { t } = await getAdminT();
  const [{ suppliers: terms }, suppliers, queue, recent] = await Promise.all([
    getSettings(),
    listSuppliers(),
    listPayouts({ status: ["pending"], limit: 200 }),
    listPayouts({ limit: 50 }),
  ]);
  const mayDecide = can(ctx.admin.role, "suppliers.payouts");
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-suppliers")}</h1>
      <Card>
        <p className="text-sm" data-testid="supplier-terms">
          {t("admin-suppliers-terms", {
            rule: terms.selection,
            commission: percentOfBps(terms.commissionBps),
            auto: trx(terms.payoutAutoMaxSun),
          })}{" "}
          <Link href="/admin/settings" className="text-brand-700 underline">
            {t("admin-nav-settings")}
          </Link>
        </p>
      </Card>
      <Card title={t("admin-suppliers-list")} testId="supplier-list">
        {suppliers.length === 0 ? (
          <p className="text-sm text-slate-600">{t("admin-suppliers-none")}</p>
        ) : (
          <Table
            head={[
              t("admin-suppliers-col-user"),
              t("admin-suppliers-col-available"),
              t("admin-suppliers-col-min"),
              t("admin-suppliers-col-wallets"),
              t("admin-suppliers-col-earned"),
              t("admin-suppliers-col-feesRepaid"),
              t("admin-suppliers-col-balance"),
              t("admin-suppliers-col-payout"),
            ]}
          >
            {suppliers.map((s) => (
              <tr key={s.user_id}>
                <Td>
                  <Link href={`/admin/users/${s.user_id}`} className="text-brand-700 underline">
                    {s.username ? `@${s.username}` : (s.first_name ?? `#${s.user_id}`)}
                  </Link>
                </Td>
                <Td>{s.available ? t("admin-suppliers-on") : t("admin-suppliers-off")}</Td>
                <Td>{int(BigInt(s.min_price))}</Td>
                <Td>{int(BigInt(s.wallets))}</Td>
                <Td>{trx(BigInt(s.earned_sun))}</Td>
                <Td>{trx(BigInt(s.fees_repaid_sun))}</Td>
                <Td>{trx(BigInt(s.balance_sun))}</Td>
                <Td mono>{s.payout_address ? shortAddress(s.payout_address) : "—"}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t("admin-suppliers-queue")} testId="supplier-payout-queue">
        {!mayDecide && <ReadOnlyNote text={t("admin-readOnly")} />}
        {queue.length === 0 ? (
          <p className="text-sm text-slate-600">{t("admin-suppliers-queueEmpty")}</p>
        ) : (
          <Table
            head={[
              "#",
              t("admin-suppliers-col-user"),
              t("admin-suppliers-col-amount"),
              t("admin-suppliers-col-to"),
              t("admin-suppliers-col-decide"),
            ]}
          >
            {queue.map((p) => (
              <tr key={p.id}>
                <Td>{p.id}</Td>
                <Td>
                  <Link href={`/admin/users/${p.supplierUserId}`} className="text-brand-700 underline">
                    #{p.supplierUserId}
                  </Link>
                </Td>
                <Td>{trx(p.amountSun)}</Td>
                <Td mono>{p.toAddress}</Td>
                <Td>
                  {mayDecide && (
                    <div className="flex flex-wrap gap-2">
                      <ActionForm
                        action={decideSupplierPayoutFormAction}
                        hidden={{ payoutId: p.id, decision: "approve" }}
                        submit={t("admin-suppliers-approve")}
                        confirm={{
                          question: t("admin-suppliers-approveConfirm", { amount: trx(p.amountSun) }),
                          cancel: t("admin-confirm-cancel"),
                        }}
                      />
                      <ActionForm
                        action={decideSupplierPayoutFormAction}
                        hidden={{ payoutId: p.id, decision: "reject" }}
                        submit={t("admin-suppliers-reject")}
                        danger
                      >
                        <Field label={t("admin-suppliers-reason")} name="reason" width="w-48" />
                      </ActionForm>
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t("admin-suppliers-payouts")}>
        <Table
          head={[
            "#",
            t("admin-suppliers-col-user"),
            t("admin-suppliers-col-amount"),
            t("admin-suppliers-col-status"),
            t("admin-suppliers-col-tx"),
          ]}
        >
          {recent.map((p) => {
            const url = p.txid ? txUrl(p.txid) : null;
            return (
              <tr key={p.id}>
                <Td>{p.id}</Td>
                <Td>#{p.supplierUserId}</Td>
                <Td>{trx(p.amountSun)}</Td>
                <Td>{p.status}</Td>
                <Td mono>
                  {p.txid ? (
                    url ? (
                      <a href={url} className="text-brand-700 underline" rel="noreferrer" target="_blank">
                        {p.txid.slice(0, 12)}…
                      </a>
                    ) : (
                      `${p.txid.slice(0, 12)}…`
                    )
                  ) : (
                    "—"
                  )}
                </Td>
              </tr>
            );
          })}
        </Table>
      </Card>
    </>
  );
}
