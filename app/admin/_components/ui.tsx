import { Card as UiCard, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import {
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Table as UiTable,
} from "@/components/ui/table";
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

/** A console panel: the shared card with the console's shadow and small heading. */
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
    <UiCard className="bg-white shadow-sm" data-testid={testId}>
      {title && <CardTitle className="mb-3 text-sm text-slate-700">{title}</CardTitle>}
      {children}
    </UiCard>
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

/** A dense console table with a fixed header row. */
export function Table({ head, children }: { head: React.ReactNode[]; children: React.ReactNode }) {
  return (
    <UiTable>
      <TableHeader className="border-b border-slate-200 text-xs">
        <TableRow>
          {head.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed header row
            <TableHead key={i} size="sm">
              {h}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody className="divide-y divide-slate-100">{children}</TableBody>
    </UiTable>
  );
}

export function Td({ children, mono }: { children: React.ReactNode; mono?: boolean }) {
  return (
    <TableCell size="sm" className={cn("align-top", mono && "font-mono text-xs")}>
      {children}
    </TableCell>
  );
}

export function ReadOnlyNote({ text }: { text: string }) {
  return <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800">{text}</p>;
}
