import { getAdminT } from "../../_components/i18n";

export default async function ForbiddenPage() {
  const { t } = await getAdminT();
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="forbidden">
      {t("admin-forbidden")}
    </p>
  );
}
