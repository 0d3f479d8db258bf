"use client";

import { useActionState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { type DevSignInState, devSignIn } from "./actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function DevSignInForm() {
  const t = useT("login");
  const [state, action, pending] = useActionState<DevSignInState, FormData>(devSignIn, { status: "idle" });
  return (
    <form action={action} className="space-y-3">
      <Field label={t("login-dev-name")}>
        {(p) => <Input {...p} name="name" defaultValue="Dev User" maxLength={32} required />}
      </Field>
      {state.status === "failed" && (
        <p role="alert" className="text-sm text-rose-700">
          {state.message}
        </p>
      )}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("login-link-signingIn") : t("login-dev-submit")}
      </Button>
    </form>
  );
}
