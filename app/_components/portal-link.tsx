import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import type { Translate } from "@/lib/i18n";

/** For public pages: "Open the portal" when signed in, else "Sign in". */
export async function PortalLink({ t }: { t: Translate }) {
  const user = await getSessionUser();
  const signedIn = user !== null && user.status !== "banned";
  return (
    <Link
      href={signedIn ? "/dashboard" : "/login"}
      className="inline-flex min-h-11 items-center rounded-md bg-brand-600 px-3 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-700"
    >
      {signedIn ? t("nav-openPortal") : t("nav-signIn")}
    </Link>
  );
}
