"use client";

import { useActionState } from "react";
import { signInAction } from "../actions";
import { idle } from "./action-state";

type Labels = { email: string; password: string; totp: string; totpNeeded: string; submit: string };

export function SignInForm({ labels }: { labels: Labels }) {
  const [state, action, pending] = useActionState(signInAction, idle);
  const needTotp = state.status === "totp_required";
  return (
    <form action={action} className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm">
        {labels.email}
        <input
          name="email"
          type="email"
          required
          autoComplete="username"
          className="rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        {labels.password}
        <input
          name="password"
          type="password"
          required
          autoComplete="current-password"
          className="rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      {needTotp && (
        <label className="flex flex-col gap-1 text-sm">
          {labels.totp}
          <span className="text-xs text-slate-500">{labels.totpNeeded}</span>
          <input
            name="totp"
            inputMode="numeric"
            pattern="\d{6}"
            autoComplete="one-time-code"
            required
            className="rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
      )}
      <button
        type="submit"
        disabled={pending}
        className="min-h-11 rounded-md bg-brand-600 px-4 py-2 font-semibold text-white disabled:opacity-50"
      >
        {labels.submit}
      </button>
      {state.status === "failed" && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
          {state.detail && <span className="block text-xs">{state.detail}</span>}
        </p>
      )}
    </form>
  );
}
