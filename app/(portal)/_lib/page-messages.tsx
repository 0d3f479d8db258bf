import { I18nProvider } from "@/app/_components/i18n-provider";
import { type ClientMessageScope, clientMessages, portalContext } from "./context";

/** Adds a page's own client messages (its scope, see CLIENT_MESSAGE_SCOPES) to the portal's. */
export async function PageMessages({
  scope,
  children,
}: {
  scope: Exclude<ClientMessageScope, "portal">;
  children: React.ReactNode;
}) {
  const { locale } = await portalContext();
  return (
    <I18nProvider locale={locale} messages={clientMessages(locale, scope)}>
      {children}
    </I18nProvider>
  );
}
