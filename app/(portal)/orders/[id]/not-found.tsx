import Link from "next/link";
import { getRequestLocale } from "@/lib/i18n/server";

export default async function OrderNotFound() {
  const { t } = await getRequestLocale();
  return (
    <div className="space-y-3" data-testid="order-not-found">
      <h1 className="text-2xl font-bold">{t("error-not_found")}</h1>
      <p>{t("orders-notFound")}</p>
      <Link href="/orders" className="inline-flex min-h-11 items-center text-(--p-link) underline">
        {t("orders-backToList")}
      </Link>
    </div>
  );
}
