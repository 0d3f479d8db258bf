import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { financeRange, pageRange } from "@/lib/admin/finance";
import { requireAdminPage } from "@/lib/admin/guard";
import { int, percentOfBps, trx } from "@/lib/format";
import { referralReport } from "@/lib/referrals";
import { getSettings } from "@/lib/settings";
import { getAdminT } from "../../_components/i18n";
import { Card, Stat, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

/** Referral cost: commissions credited and taken back by day, top referrers, the settings in force. */
export default async function ReferralsPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  await requireAdminPage("finance.read");
  const { t } = await getAdminT();
  const sp = await searchParams;
  const { range, error: rangeError } = pageRange(sp);
  const [{ referral }, report] = await Promise.all([getSettings(), referralReport(financeRange(range))]);
  const rate = referral.commissionBps > 0 ? percentOfBps(referral.commissionBps) : t("admin-referrals-off");
  const period =
    referral.windowDays > 0
      ? t("admin-referrals-days", { days: int(referral.windowDays) })
      : t("admin-referrals-noLimit");
  const name = (r: { userId: number; name: string | null; username: string | null }) =>
    r.username ? `@${r.username}` : (r.name ?? `#${r.userId}`);
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-referrals")}</h1>
      <Card>
        <p className="mb-3 text-sm" data-testid="referral-terms">
          {t("admin-referrals-terms", { rate, period })}{" "}
          <Link href="/admin/settings" className="text-brand-700 underline">
            {t("admin-nav-settings")}
          </Link>
        </p>
        <form method="get" className="flex flex-wrap items-end gap-2 text-xs">
          <Field label={t("admin-orders-from")} size="sm">
            {(p) => <Input {...p} size="sm" type="date" name="from" defaultValue={range.from} />}
          </Field>
          <Field label={t("admin-orders-to")} size="sm">
            {(p) => <Input {...p} size="sm" type="date" name="to" defaultValue={range.to} />}
          </Field>
          <Button type="submit" variant="dark" size="sm">
            {t("admin-search")}
          </Button>
        </form>
        {rangeError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {rangeError}
          </p>
        )}
      </Card>
      <Card>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat label={t("admin-referrals-credited")} value={trx(report.totals.commissionSun)} />
          <Stat label={t("admin-referrals-reversed")} value={trx(report.totals.reversedSun)} />
          <Stat
            label={t("admin-referrals-net")}
            value={<span data-testid="referral-net">{trx(report.totals.netSun)}</span>}
          />
          <Stat label={t("admin-referrals-owed")} value={trx(report.totals.owedSun)} />
          <Stat label={t("admin-referrals-referred")} value={int(report.totals.referred)} />
        </div>
      </Card>
      <Card title={t("admin-referrals-top")} testId="referral-top">
        {report.top.length === 0 ? (
          <p className="text-sm text-slate-600">{t("admin-referrals-none")}</p>
        ) : (
          <Table
            head={[
              t("admin-referrals-col-referrer"),
              t("admin-referrals-col-invitees"),
              t("admin-referrals-col-orders"),
              t("admin-referrals-net"),
              t("admin-referrals-owed"),
            ]}
          >
            {report.top.map((r) => (
              <tr key={r.userId}>
                <Td>
                  <Link href={`/admin/users/${r.userId}`} className="text-brand-700 underline">
                    {name(r)}
                  </Link>
                </Td>
                <Td>{int(r.invitees)}</Td>
                <Td>{int(r.orders)}</Td>
                <Td>{trx(r.netSun)}</Td>
                <Td>{trx(r.owedSun)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t("admin-referrals-byDay")}>
        <Table
          head={[
            t("admin-referrals-col-day"),
            t("admin-referrals-credited"),
            t("admin-referrals-reversed"),
            t("admin-referrals-net"),
          ]}
        >
          {report.days
            .filter((d) => d.commissionSun !== 0n || d.reversedSun !== 0n)
            .reverse()
            .map((d) => (
              <tr key={d.day}>
                <Td mono>{d.day}</Td>
                <Td>{trx(d.commissionSun)}</Td>
                <Td>{trx(d.reversedSun)}</Td>
                <Td>{trx(d.netSun)}</Td>
              </tr>
            ))}
        </Table>
      </Card>
    </>
  );
}
