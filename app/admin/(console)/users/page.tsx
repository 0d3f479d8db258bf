import Link from "next/link";
import { requireAdminPage } from "@/lib/admin/guard";
import { searchUsers } from "@/lib/admin/queries";
import { getAdminT } from "../../_components/i18n";
import { trx } from "@/lib/format";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requireAdminPage("users.read");
  const { t, when } = await getAdminT();
  const { q } = await searchParams;
  const rows = await searchUsers(typeof q === "string" ? q : undefined);
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-users")}</h1>
      <Card>
        <form method="get" className="flex items-end gap-2">
          <input
            name="q"
            defaultValue={q ?? ""}
            placeholder={t("admin-users-searchPlaceholder")}
            className="w-72 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white">
            {t("admin-search")}
          </button>
        </form>
      </Card>
      <Card>
        <Table
          head={[
            "#",
            t("admin-col-telegram"),
            t("admin-col-username"),
            t("admin-col-language"),
            t("admin-col-status"),
            t("admin-col-balance"),
            t("admin-col-created"),
          ]}
        >
          {rows.map((u) => (
            <tr key={u.id}>
              <Td>
                <Link href={`/admin/users/${u.id}`} className="text-brand-700 underline">
                  {u.id}
                </Link>
              </Td>
              <Td mono>{u.telegramId ?? "—"}</Td>
              <Td>{u.username ? `@${u.username}` : (u.firstName ?? "—")}</Td>
              <Td>{u.language}</Td>
              <Td>{u.status}</Td>
              <Td>{trx(u.balanceSun)}</Td>
              <Td mono>{when(u.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
