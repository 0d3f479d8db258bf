"use client";

import { useActionState, useTransition } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/app/_components/copy-button";
import type { ScopeKey } from "@/lib/i18n/scopes";
import { createKeyAction, type KeyFormState, revokeKeyAction } from "./actions";

type Copy = Partial<Record<ScopeKey<"apiKeys">, string>>;

const inputCls =
  "block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 aria-[invalid=true]:border-rose-500 focus-visible:outline-2 focus-visible:outline-(--p-btn)";
const btnPrimary =
  "inline-flex min-h-11 items-center justify-center gap-1.5 rounded-md bg-(--p-btn) px-4 font-semibold text-(--p-btn-text) disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-(--p-btn)";

/** Create form; on success shows the key and the callback secret once, with copy buttons. */
export function CreateKeyForm({ copy }: { copy: Copy }) {
  const [state, action, pending] = useActionState<KeyFormState, FormData>(createKeyAction, {
    status: "idle",
  });
  const fields = state.status === "invalid_data" ? state.fields : {};
  return (
    <div className="space-y-3">
      <form
        action={action}
        noValidate
        className="flex flex-wrap items-end gap-2"
        data-testid="create-key-form"
      >
        <div className="min-w-56 flex-1 space-y-1">
          <label htmlFor="key-name" className="text-sm font-medium">
            {copy["apiKeys-name"]}
          </label>
          <input
            id="key-name"
            name="name"
            maxLength={60}
            required
            placeholder={copy["apiKeys-namePlaceholder"]}
            aria-invalid={fields.name ? true : undefined}
            aria-describedby={fields.name ? "key-name-err" : undefined}
            className={inputCls}
          />
          {fields.name && (
            <p id="key-name-err" className="text-sm text-rose-600">
              {fields.name}
            </p>
          )}
        </div>
        <button type="submit" disabled={pending} className={btnPrimary}>
          {pending ? copy["apiKeys-creating"] : copy["apiKeys-create"]}
        </button>
      </form>
      {state.status === "failed" && (
        <p role="alert" className="text-sm text-rose-600">
          {state.message}
        </p>
      )}
      {state.status === "success" && (
        <div
          role="status"
          className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3"
          data-testid="new-key"
        >
          <p className="text-sm font-medium">{copy["apiKeys-created"]}</p>
          {(
            [
              ["apiKeys-key", state.key],
              ["apiKeys-secret", state.secret],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="space-y-1">
              <p className="text-xs text-slate-600">{copy[label]}</p>
              <div className="flex items-center gap-2">
                <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-sm">
                  {value}
                </code>
                <CopyButton value={value} />
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export function RevokeKeyButton({ keyId, copy }: { keyId: number; copy: Copy }) {
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      className="inline-flex min-h-11 items-center rounded-md border border-rose-300 px-3 text-sm text-rose-700 hover:bg-rose-50 disabled:opacity-60"
      onClick={() => {
        if (!window.confirm(copy["apiKeys-revokeConfirm"])) return;
        const f = new FormData();
        f.set("keyId", String(keyId));
        start(async () => {
          const r = await revokeKeyAction(f);
          if (r.ok) toast.success(r.message);
          else toast.error(r.message);
        });
      }}
    >
      {copy["apiKeys-revoke"]}
    </button>
  );
}
