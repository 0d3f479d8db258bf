import { listWallets, MAX_WALLETS } from "@/lib/wallets";
import { portalContext } from "../_lib/context";
import { AddWalletForm, WalletCard } from "./wallet-ui";

export const dynamic = "force-dynamic";

export default async function WalletsPage() {
  const { user, t } = await portalContext();
  const wallets = await listWallets(user.id);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">{t("wallets-title")}</h1>
        <p className="text-sm text-slate-500 tabular-nums">
          {t("wallets-count", { n: wallets.length, max: MAX_WALLETS })}
        </p>
      </div>
      {wallets.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-600">
          {t("wallets-empty")}
        </p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2" aria-label={t("wallets-title")}>
          {wallets.map((w) => (
            <WalletCard
              key={w.id}
              w={{ id: w.id, address: w.address, label: w.label, isDefault: w.isDefault }}
            />
          ))}
        </ul>
      )}
      <section
        className="space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4"
        aria-labelledby="add-w"
      >
        <h2 id="add-w" className="text-lg font-semibold">
          {t("wallets-add")}
        </h2>
        <AddWalletForm disabled={wallets.length >= MAX_WALLETS} />
      </section>
    </div>
  );
}
