import Link from "next/link";
import { getRequestLocale } from "@/lib/i18n/server";

export default async function BatchNotFound() {
  const { t } = await getRequestLocale();
  return (
    <div className="space-y-3" data-testid="batch-not-found">
      <h1 className="text-2xl font-bold">{t("error-not_found")}</h1>
      <Link href="/batch" className="inline-flex min-h-11 items-center text-(--p-link) underline">
        {t("batch-back")}
      </Link>
    </div>
  );
}
