"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { shortAddress, timeLeft } from "@/lib/format";
import { useT } from "@/app/_components/i18n-provider";
import type { OrderCard, OrderLive } from "../_lib/views";

const LIVE = new Set(["paid", "delegating", "active", "reclaiming"]);

/** The last orders; the ones still moving refresh themselves (2 s while delivering, 30 s while active). */
export function RecentOrders({ initial }: { initial: OrderCard[] }) {
  const t = useT("portal");
  const [orders, setOrders] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const moving = orders.filter((o) => LIVE.has(o.status));
  const fast = moving.some((o) => o.status === "paid" || o.status === "delegating");
  const movingIds = moving.map((o) => o.id).join(",");
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` re-arms the poll after each fetch
  useEffect(() => {
    if (!movingIds) return;
    const ids = movingIds.split(",");
    const id = setTimeout(
      async () => {
        const fresh = await Promise.all(
          ids.map((id) =>
            fetch(`/api/portal/orders/${id}`, { cache: "no-store" })
              .then((r) => (r.ok ? (r.json() as Promise<OrderLive>) : null))
              .catch(() => null),
          ),
        );
        setOrders((cur) => cur.map((o) => fresh.find((f) => f?.id === o.id) ?? o));
        setRound((r) => r + 1);
      },
      fast ? 2000 : 30_000,
    );
    return () => clearTimeout(id);
  }, [movingIds, fast, round]);
  useEffect(() => {
    if (!orders.some((o) => o.status === "active")) return;
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, [orders]);
  return (
    <ul className="space-y-2" aria-live="polite" data-testid="recent-orders">
      {orders.map((o) => {
        const left =
          o.status === "active" && o.expiresAt ? timeLeft(new Date(o.expiresAt).getTime() - now, t) : null;
        return (
          <li key={o.id}>
            <Link
              href={`/orders/${o.id}`}
              className="flex min-h-11 flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-(--p-card) p-3 text-sm tabular-nums hover:border-slate-300"
            >
              <span className="min-w-0">
                <span className="font-semibold">#{o.id}</span> · {o.energy} ·{" "}
                <span className="font-mono">{shortAddress(o.receiver)}</span>
              </span>
              <span className="flex items-center gap-2">
                {left && <span className="text-xs text-slate-600">{left}</span>}
                <span
                  className="rounded-full bg-(--p-secondary) px-2 py-0.5 text-xs font-semibold"
                  data-status={o.status}
                >
                  {o.statusLabel}
                </span>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
