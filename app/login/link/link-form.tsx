"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { useT } from "@/app/_components/i18n-provider";
import type { ScopeKey } from "@/lib/i18n/scopes";
import { type LinkSignInState, signInWithLink } from "../actions";
import { Button, buttonVariants } from "@/components/ui/button";

/**
 * The one-time link consumer. The token is used by a POST (a server action), never by the GET that
 * link previews fetch; the form submits itself once the page is open, with a visible button as fallback.
 * A browser already signed in as someone else is asked first, never switched silently.
 */
export function LinkSignInForm({ token }: { token: string }) {
  const t = useT("login");
  const [state, action, pending] = useActionState<LinkSignInState, FormData>(signInWithLink, {
    status: "idle",
  });
  const form = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);
  useEffect(() => {
    if (submitted.current) return;
    submitted.current = true;
    form.current?.requestSubmit();
  }, []);
  if (state.status === "other_account")
    return (
      <form
        action={action}
        role="alert"
        className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950"
      >
        <p className="text-sm">{t("login-switch-prompt", { current: state.current })}</p>
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="switch" value="1" />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {t("login-switch-confirm")}
          </Button>
          <Link href="/dashboard" className={buttonVariants({ variant: "outline", className: "text-sm" })}>
            {t("login-switch-stay", { current: state.current })}
          </Link>
        </div>
      </form>
    );
  if (state.status === "failed")
    return (
      <div role="alert" className="space-y-2 rounded-lg border border-rose-200 bg-rose-50 p-4 text-rose-950">
        <h2 className="font-semibold">{t("login-link-failedTitle")}</h2>
        <p data-testid="link-failure" data-reason={state.reason} className="text-sm">
          {t(`login-error-${state.reason}` as ScopeKey<"login">)}
        </p>
      </div>
    );
  return (
    <form ref={form} action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("login-link-signingIn") : t("login-link-continue")}
      </Button>
    </form>
  );
}
