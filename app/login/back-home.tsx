import Link from "next/link";
import type { Translate } from "@/lib/i18n";

/** The sign-in pages' way out: back to the home page. */
export function BackHomeLink({ t }: { t: Translate }) {
  return (
    <Link href="/" className="inline-flex min-h-11 items-center text-sm text-(--p-link) underline">
      {t("login-backHome")}
    </Link>
  );
}
