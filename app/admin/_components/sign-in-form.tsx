"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { signInAction } from "../actions";
import { idle } from "./action-state";

type Labels = { email: string; password: string; totp: string; totpNeeded: string; submit: string };

export function SignInForm({ labels }: { labels: Labels }) {
  const [state, action, pending] = useActionState(signInAction, idle);
  const needTotp = state.status === "totp_required";
  return (
    <form action={action} className="flex flex-col gap-3">
      <Field label={labels.email} labelClassName="font-normal">
        {(p) => (
          <Input
            {...p}
            size="sm"
            name="email"
            type="email"
            required
            autoComplete="username"
            className="px-3 py-2 text-base"
          />
        )}
      </Field>
      <Field label={labels.password} labelClassName="font-normal">
        {(p) => (
          <Input
            {...p}
            size="sm"
            name="password"
            type="password"
            required
            autoComplete="current-password"
            className="px-3 py-2 text-base"
          />
        )}
      </Field>
      {needTotp && (
        <Field label={labels.totp} help={labels.totpNeeded} labelClassName="font-normal">
          {(p) => (
            <Input
              {...p}
              size="sm"
              name="totp"
              inputMode="numeric"
              pattern="\d{6}"
              autoComplete="one-time-code"
              required
              className="px-3 py-2 text-base"
            />
          )}
        </Field>
      )}
      <Button type="submit" disabled={pending} className="py-2 disabled:opacity-50">
        {labels.submit}
      </Button>
      {state.status === "failed" && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
          {state.detail && <span className="block text-xs">{state.detail}</span>}
        </p>
      )}
    </form>
  );
}
