import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { dateTime } from "@/lib/format";
import { listCallbackDeliveries } from "@/lib/api/callbacks";
import { listApiKeys } from "@/lib/api/keys";
import { translator } from "@/lib/i18n";
import { scopeTexts } from "@/lib/i18n/client-messages";
import { portalContext } from "../../_lib/context";
import { CreateKeyForm, RevokeKeyButton } from "./key-ui";

export const dynamic = "force-dynamic";

/** Account → API keys: create (shown once), list with last use, revoke; callback deliveries with attempts. */
export default async function ApiKeysPage() {
  const { user, locale, tz } = await portalContext();
  const a = translator(locale);
  const copy = scopeTexts(locale, "apiKeys");
  const when = (d: Date) => dateTime(d, locale, tz);
  const [keys, deliveries] = await Promise.all([
    listApiKeys({ userId: user.id }),
    listCallbackDeliveries({ userId: user.id, limit: 50 }),
  ]);
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-2xl font-bold">{a("apiKeys-title")}</h1>
        <p className="text-slate-600">{a("apiKeys-intro")}</p>
        <Link href="/docs/api" className="text-brand-700 underline">
          {a("apiKeys-docsLink")}
        </Link>
        <CreateKeyForm copy={copy} />
      </section>

      <section className="space-y-3" aria-labelledby="keys-h">
        <h2 id="keys-h" className="sr-only">
          {a("apiKeys-title")}
        </h2>
        {keys.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-600">
            {a("apiKeys-empty")}
          </p>
        ) : (
          <Table data-testid="api-keys">
            <TableHeader>
              <TableRow>
                <TableHead className="font-normal">{a("apiKeys-name")}</TableHead>
                <TableHead className="font-normal">{a("apiKeys-prefix")}</TableHead>
                <TableHead className="font-normal">{a("apiKeys-createdAt")}</TableHead>
                <TableHead className="font-normal">{a("apiKeys-lastUsed")}</TableHead>
                <TableHead className="font-normal">{a("apiKeys-limit")}</TableHead>
                <TableHead className="font-normal">{a("apiKeys-status")}</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((k) => (
                <TableRow key={k.id} className="border-t border-slate-200">
                  <TableCell>{k.name}</TableCell>
                  <TableCell className="font-mono">{k.prefix}_…</TableCell>
                  <TableCell>{when(k.createdAt)}</TableCell>
                  <TableCell>{k.lastUsedAt ? when(k.lastUsedAt) : a("apiKeys-never")}</TableCell>
                  <TableCell className="tabular-nums">
                    {a("apiKeys-limitValue", { n: k.rateLimitPerMinute })}
                  </TableCell>
                  <TableCell>
                    {k.revokedAt ? a("apiKeys-revoked", { at: when(k.revokedAt) }) : a("apiKeys-active")}
                  </TableCell>
                  <TableCell>{!k.revokedAt && <RevokeKeyButton keyId={k.id} copy={copy} />}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section className="space-y-3" aria-labelledby="deliveries-h">
        <h2 id="deliveries-h" className="text-lg font-semibold">
          {a("deliveries-title")}
        </h2>
        <p className="text-sm text-slate-600">{a("deliveries-intro")}</p>
        {deliveries.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-600">
            {a("deliveries-empty")}
          </p>
        ) : (
          <ul className="space-y-2" data-testid="deliveries">
            {deliveries.map((d) => (
              <li key={d.id} className="rounded-lg border border-slate-200 bg-(--p-card) p-3 text-sm">
                <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                  <Link href={`/orders/${d.orderId}`} className="font-medium underline">
                    {a("deliveries-order")} #{d.orderId}
                  </Link>
                  <span>
                    {a("deliveries-event")}: {d.orderStatus}
                  </span>
                  <span
                    className={
                      d.status === "delivered"
                        ? "text-emerald-700"
                        : d.status === "failed"
                          ? "text-rose-700"
                          : "text-amber-700"
                    }
                  >
                    {a(`deliveries-${d.status}`)}
                  </span>
                  <span className="break-all text-slate-500">{d.url}</span>
                </div>
                {d.attemptLog.length > 0 && (
                  <ol
                    className="mt-2 space-y-0.5 text-xs text-slate-600"
                    aria-label={a("deliveries-attempts")}
                  >
                    {d.attemptLog.map((x) => (
                      <li key={x.id}>
                        {a("deliveries-attempt", {
                          n: x.attempt,
                          when: when(x.createdAt),
                          result: x.error ?? a("deliveries-ok"),
                          ms: x.durationMs,
                        })}
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
