import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
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
          <Input
            size="sm"
            name="q"
            defaultValue={q ?? ""}
            placeholder="id, Telegram id or @username"
            aria-label={t("admin-search")}
            className="w-72"
          />
          <Button type="submit" variant="dark" size="sm">
            {t("admin-search")}
          </Button>
        </form>
      </Card>
      <Card>
        <Table
          head={[
            "#",
            "Telegram",
            "username",
            "language",
            "status",
            "balance",
            t("admin-col-referredBy"),
            "created",
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
              <Td>
                {u.referredByUserId ? (
                  <Link href={`/admin/users/${u.referredByUserId}`} className="text-brand-700 underline">
                    #{u.referredByUserId}
                  </Link>
                ) : (
                  "—"
                )}
              </Td>
              <Td mono>{when(u.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
