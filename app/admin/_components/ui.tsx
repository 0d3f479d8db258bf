import { dateTime } from "@/lib/format";
import type { Locale } from "@/lib/locale";

/**
 * Amounts and counts in the console come straight from lib/format (`trx`, `int`); times too, in the
 * one style every surface shows, bound here to the console's locale (admins have no zone setting:
 * UTC+8 for zh, UTC for en, the offset always shown). A missing time reads "—".
 */
export type When = (d: Date | null | undefined) => string;
export const whenIn =
  (locale: Locale): When =>
  (d) =>
    d ? dateTime(d, locale) : "—";

export function Card({
  title,
  children,
  testId,
}: {
  title?: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      {title && <h2 className="mb-3 text-sm font-semibold text-slate-700">{title}</h2>}
      {children}
    </section>
  );
}

export function Stat({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="flex flex-col" data-testid={testId}>
      <span className="text-xs text-slate-500">{label}</span>
      <span className="font-mono text-sm font-semibold">{value}</span>
    </div>
  );
}

export function Table({ head, children }: { head: React.ReactNode[]; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            {head.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed header row
              <th key={i} className="px-2 py-1 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, mono }: { children: React.ReactNode; mono?: boolean }) {
  return <td className={`px-2 py-1 align-top ${mono ? "font-mono text-xs" : ""}`}>{children}</td>;
}

export function ReadOnlyNote({ text }: { text: string }) {
  return <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">{text}</p>;
}
