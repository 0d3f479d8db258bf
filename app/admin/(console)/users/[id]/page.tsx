import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { getUserWallets } from "@/lib/admin/queries";
import { getDepositAddressOf, listDeposits, scannerStatus } from "@/lib/deposits";
import { isAppError } from "@/lib/errors";
import { listLedgerEntries } from "@/lib/ledger";
import { formatAmount } from "@/lib/money";
import { listOrders } from "@/lib/orders";
import { referralOfUser } from "@/lib/referrals";
import { getUserById } from "@/lib/users";
import {
  adjustBalanceFormAction,
  rescanDepositsFormAction,
  restartScannerFormAction,
  setUserStatusFormAction,
} from "../../../actions";
import { ActionForm, Field } from "../../../_components/action-form";
import { getAdminT } from "../../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, ReadOnlyNote, Stat, Table, Td } from "../../../_components/ui";

export const dynamic = "force-dynamic";

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireAdminPage("users.read");
  const { t, when } = await getAdminT();
  const { id } = await params;
  if (!/^\d{1,9}$/.test(id)) notFound();
  const userId = Number(id);
  const user = await getUserById(userId).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const [ledger, orders, deposits, wallets, depositAddress, scanner, referral] = await Promise.all([
    listLedgerEntries({ userId, limit: 50 }),
    listOrders({ userId, limit: 20 }),
    listDeposits({ userId, limit: 20 }),
    getUserWallets(userId),
    getDepositAddressOf(userId),
    scannerStatus(),
    referralOfUser(userId),
  ]);
  const role = ctx.admin.role;
  return (
    <>
      <h1 className="text-xl font-semibold">
        {t("admin-user-title", { id: String(user.id) })} {user.username ? `@${user.username}` : ""}
      </h1>
      <Card>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat
            label={t("admin-col-balance")}
            value={<span data-testid="user-balance">{trx(user.balanceSun)}</span>}
          />
          <Stat label={t("admin-col-status")} value={<span data-testid="user-status">{user.status}</span>} />
          <Stat label={t("admin-user-telegramId")} value={user.telegramId ?? "—"} />
          <Stat label={t("admin-col-language")} value={user.language} />
          <Stat label={t("admin-col-created")} value={when(user.createdAt)} />
          <Stat
            label={t("admin-user-referredBy")}
            testId="user-referred-by"
            value={
              referral.referrer ? (
                <Link href={`/admin/users/${referral.referrer.id}`} className="underline">
                  #{referral.referrer.id}{" "}
                  {referral.referrer.username
                    ? `@${referral.referrer.username}`
                    : (referral.referrer.name ?? "")}
                </Link>
              ) : (
                "—"
              )
            }
          />
          <Stat label={t("admin-user-invitees")} value={int(referral.invitees)} testId="user-invitees" />
          <Stat label={t("admin-user-referralEarned")} value={trx(referral.earnedSun)} />
        </div>
      </Card>
      <Card title={t("admin-actions")}>
        {!can(role, "users.ban") && <ReadOnlyNote text={t("admin-readOnly")} />}
        <div className="flex flex-col gap-3">
          {can(role, "users.adjust") && (
            <ActionForm
              action={adjustBalanceFormAction}
              hidden={{ userId, nonce: randomUUID() }}
              submit={t("admin-users-adjust")}
              testId="adjust-form"
            >
              <Field label={t("admin-users-amount")} name="amountTrx" required width="w-40" />
              <Field label={t("admin-reason")} name="reason" required width="w-72" />
            </ActionForm>
          )}
          {can(role, "users.ban") && (
            <ActionForm
              action={setUserStatusFormAction}
              hidden={{ userId, status: user.status === "banned" ? "active" : "banned" }}
              submit={user.status === "banned" ? t("admin-users-unban") : t("admin-users-ban")}
              danger={user.status !== "banned"}
            >
              <Field label={t("admin-reason")} name="reason" width="w-72" />
            </ActionForm>
          )}
        </div>
      </Card>
      <Card title={t("admin-users-ledger")}>
        <Table
          head={[
            "#",
            t("admin-col-time"),
            t("admin-col-type"),
            t("admin-col-amount"),
            t("admin-col-balanceAfter"),
            t("admin-col-reference"),
            t("admin-col-memo"),
          ]}
        >
          {ledger.map((e) => (
            <tr key={e.id}>
              <Td>{e.id}</Td>
              <Td mono>{when(e.createdAt)}</Td>
              <Td>{e.type}</Td>
              <Td>{formatAmount(e.amountSun, { decimals: 6, signed: true })} TRX</Td>
              <Td>{trx(e.balanceAfterSun)}</Td>
              <Td mono>{e.referenceType ? `${e.referenceType}:${e.referenceId}` : "—"}</Td>
              <Td>{e.memo ?? ""}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin-nav-orders")}>
        <Table
          head={[
            "#",
            t("admin-col-created"),
            t("admin-col-receiver"),
            t("admin-col-energy"),
            t("admin-col-price"),
            t("admin-col-status"),
          ]}
        >
          {orders.orders.map((o) => (
            <tr key={o.id}>
              <Td>
                <Link href={`/admin/orders/${o.id}`} className="underline">
                  {o.id}
                </Link>
              </Td>
              <Td mono>{when(o.createdAt)}</Td>
              <Td mono>{o.receiverAddress}</Td>
              <Td>{int(o.energy)}</Td>
              <Td>{trx(o.priceSun)}</Td>
              <Td>{o.status}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin-users-deposits")}>
        <div className="mb-3 flex flex-col gap-3 text-sm">
          <p>
            {depositAddress ? (
              <span className="font-mono" data-testid="user-deposit-address">
                {depositAddress.address}
              </span>
            ) : (
              "—"
            )}{" "}
            · {t("admin-deposits-scanner")}: block {scanner.cursor ?? "—"} / solidified{" "}
            {scanner.solidifiedHead ?? "—"}
            {scanner.problem && (
              <span role="alert" className="ml-2 text-red-700" data-testid="scanner-problem">
                {scanner.problem}
              </span>
            )}
          </p>
          {depositAddress && can(role, "deposits.rescan") && (
            <ActionForm
              action={rescanDepositsFormAction}
              hidden={{ userId }}
              submit={t("admin-deposits-rescan")}
              testId="rescan-form"
            >
              <Field label={t("admin-deposits-from")} name="fromBlock" required width="w-40" />
              <Field label={t("admin-deposits-to")} name="toBlock" required width="w-40" />
            </ActionForm>
          )}
          {scanner.problem && can(role, "deposits.scanner") && (
            <ActionForm action={restartScannerFormAction} submit={t("admin-deposits-restart")} danger>
              <Field label={t("admin-deposits-from")} name="fromBlock" required width="w-40" />
              <Field label={t("admin-reason")} name="reason" required width="w-72" />
            </ActionForm>
          )}
        </div>
        <Table
          head={[
            "#",
            t("admin-col-time"),
            t("admin-col-currency"),
            t("admin-col-amount"),
            t("admin-col-txid"),
            t("admin-col-status"),
            t("admin-col-confirmations"),
          ]}
        >
          {deposits.map((d) => (
            <tr key={d.id}>
              <Td>{d.id}</Td>
              <Td mono>{when(d.createdAt)}</Td>
              <Td>{d.currency}</Td>
              <Td>{formatAmount(d.amountBase, { decimals: 6 })}</Td>
              <Td mono>{d.txid.slice(0, 16)}…</Td>
              <Td>{d.status}</Td>
              <Td>
                {d.confirmations}/{d.requiredConfirmations}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin-users-wallets")}>
        <Table head={[t("admin-col-address"), t("admin-col-label"), t("admin-col-default")]}>
          {wallets.map((w) => (
            <tr key={w.id}>
              <Td mono>{w.address}</Td>
              <Td>{w.label ?? ""}</Td>
              <Td>{w.isDefault ? "✓" : ""}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
