import { I18nProvider } from "@/app/_components/i18n-provider";
import { clientMessages } from "@/lib/i18n/client-messages";
import type { ClientMessageScope } from "@/lib/i18n/scopes";
import { portalContext } from "./context";

/** Adds a page's own client messages (its scope, see lib/i18n/scopes) to the portal's. */
export async function PageMessages({
  scope,
  children,
}: {
  scope: Exclude<ClientMessageScope, "portal" | "login" | "apiKeys">;
  children: React.ReactNode;
}) {
  const { locale } = await portalContext();
  return (
    <I18nProvider locale={locale} messages={clientMessages(locale, scope)}>
      {children}
    </I18nProvider>
  );
}
