import { durationLabel } from "@/lib/i18n";
import { formatInteger } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { listWallets } from "@/lib/wallets";
import { portalContext } from "../_lib/context";
import { RentForm } from "./rent-form";

export const dynamic = "force-dynamic";

export default async function RentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const str = (k: string, re: RegExp) =>
    typeof sp[k] === "string" && re.test(sp[k] as string) ? (sp[k] as string) : "";
  const { user, t } = await portalContext();
  const [wallets, settings] = await Promise.all([listWallets(user.id), getSettings()]);
  const durations = settings.durations.filter((d) => d.enabled);
  const suggestLabels: Record<number, string> = {};
  for (const n of [settings.usdtEnergyHolder, settings.usdtEnergyEmpty])
    suggestLabels[n] = t("energy-amount", { n: formatInteger(n) });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("rent-title")}</h1>
      {settings.maintenance.enabled && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          ⚠️ {settings.maintenance.message || t("rent-maintenance")}
        </p>
      )}
      <RentForm
        setup={{
          wallets: wallets.map((w) => ({
            id: w.id,
            address: w.address,
            label: w.label,
            isDefault: w.isDefault,
          })),
          presets: settings.presets.map((p) => ({
            value: p,
            label: t("energy-amount", { n: formatInteger(p) }),
          })),
          durations: durations.map((d) => ({ key: d.key, label: durationLabel(t, d.key) })),
          initial: {
            receiver: str("receiver", /^T[1-9A-HJ-NP-Za-km-z]{33}$/),
            energy: str("energy", /^\d{1,9}$/),
            duration: str("duration", /^\d{1,3}[hd]$/),
          },
          suggestLabels,
        }}
      />
    </div>
  );
}
