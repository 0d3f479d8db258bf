import { FluentBundle, FluentResource } from "@fluent/bundle";

/**
 * The Fluent formatting every surface shares: the server's translator, the bot and the client
 * components (app/_components/i18n-provider) all format through `formatMessage`. Bundles use
 * `useIsolating: false` (or Telegram and the web show invisible isolation marks around every
 * variable). Variables arrive pre-formatted by lib/format (money, counts, times); numbers are turned
 * into strings here so Fluent never formats a number itself.
 */
export type Vars = Record<string, string | number | bigint>;

export function newBundle(locale: string): FluentBundle {
  return new FluentBundle(locale, { useIsolating: false });
}

/** Adds Fluent source to a bundle; returns the ids it could not add (already there). */
export function addSource(bundle: FluentBundle, source: string, allowOverrides = false): Error[] {
  return bundle.addResource(new FluentResource(source), { allowOverrides });
}

/** The text of message `id`, or undefined when the bundle has no such message (or it has no value). */
export function formatMessage(bundle: FluentBundle, id: string, vars?: Vars): string | undefined {
  const msg = bundle.getMessage(id);
  if (!msg?.value) return undefined;
  const args: Record<string, string> | undefined = vars
    ? Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]))
    : undefined;
  // A missing variable shows as {$name} rather than throwing.
  const errors: Error[] = [];
  return bundle.formatPattern(msg.value, args, errors);
}
