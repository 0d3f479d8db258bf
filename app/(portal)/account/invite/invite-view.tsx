import { CopyButton } from "@/app/_components/copy-button";
import { dateTime, int, percentOfBps, trx } from "@/lib/format";
import type { Translate } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import type { InviteSummary } from "@/lib/referrals";

/** The invite page's content from the user's invite summary (no data access: the page reads it). */
export function InviteView({
  s,
  t,
  locale,
  tz,
}: {
  s: InviteSummary;
  t: Translate;
  locale: Locale;
  tz: string;
}) {
  const links = [
    ...(s.botLink ? [{ label: t("referral-botLink"), url: s.botLink, id: "bot" }] : []),
    { label: t("referral-portalLink"), url: s.portalLink, id: "portal" },
  ];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("referral-title")}</h1>
      <section className="space-y-1 text-sm" data-testid="invite-terms">
        {s.rateBps > 0 ? (
          <>
            <p>{t("referral-intro", { rate: percentOfBps(s.rateBps) })}</p>
            {s.windowDays > 0 && <p>{t("referral-window", { days: int(s.windowDays) })}</p>}
          </>
        ) : (
          <p>{t("referral-off")}</p>
        )}
      </section>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4">
        {links.map((l) => (
          <div key={l.id} className="space-y-1">
            <p className="text-sm text-slate-500">{l.label}</p>
            <div className="flex flex-wrap items-center gap-2">
              <code className="break-all font-mono text-sm" data-testid={`invite-link-${l.id}`}>
                {l.url}
              </code>
              <CopyButton value={l.url} />
            </div>
          </div>
        ))}
      </section>
      <dl className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-(--p-card) p-4">
        <div>
          <dt className="text-sm text-slate-500">{t("referral-invitees")}</dt>
          <dd className="text-xl font-semibold tabular-nums" data-testid="invite-count">
            {int(s.invitees)}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-slate-500">{t("referral-earned")}</dt>
          <dd className="text-xl font-semibold tabular-nums" data-testid="invite-earned">
            {trx(s.earnedSun)}
          </dd>
        </div>
      </dl>
      {s.owedSun > 0n && (
        <p className="text-sm text-amber-800">{t("referral-owed", { amount: trx(s.owedSun) })}</p>
      )}
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("referral-recent")}</h2>
        {s.recent.length === 0 ? (
          <p className="text-sm text-slate-600">{t("referral-none")}</p>
        ) : (
          <table className="w-full text-sm" data-testid="invite-recent">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 font-normal">{t("referral-col-name")}</th>
                <th className="py-1 font-normal">{t("referral-col-joined")}</th>
                <th className="py-1 text-right font-normal">{t("referral-col-earned")}</th>
              </tr>
            </thead>
            <tbody>
              {s.recent.map((r, i) => (
                // masked names repeat; the list is in joining order
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own to show
                <tr key={i} className="border-t border-slate-100">
                  <td className="py-2">{r.name}</td>
                  <td className="py-2 tabular-nums">{dateTime(r.joinedAt, locale, tz)}</td>
                  <td className="py-2 text-right tabular-nums">{trx(r.earnedSun)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
