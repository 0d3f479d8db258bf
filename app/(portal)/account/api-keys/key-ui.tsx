"use client";

import { useActionState, useTransition } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { useT } from "@/app/_components/i18n-provider";
import { useMiniApp } from "@/app/_components/mini-app";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import type { ScopeKey } from "@/lib/i18n/scopes";
import { createKeyAction, type KeyFormState, revokeKeyAction } from "./actions";

type Copy = Partial<Record<ScopeKey<"apiKeys">, string>>;

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
        <Field id="key-name" label={copy["apiKeys-name"]} error={fields.name} className="min-w-56 flex-1">
          {(p) => (
            <Input {...p} name="name" maxLength={60} required placeholder={copy["apiKeys-namePlaceholder"]} />
          )}
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? copy["apiKeys-creating"] : copy["apiKeys-create"]}
        </Button>
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
  const t = useT("portal");
  const { webApp } = useMiniApp();
  const [pending, start] = useTransition();
  const revoke = async () => {
    const f = new FormData();
    f.set("keyId", String(keyId));
    const r = await revokeKeyAction(f);
    if (r.ok) toast.success(r.message);
    else toast.error(r.message);
  };
  return (
    <ConfirmDialog
      trigger={
        <Button
          variant="outline"
          size="compact"
          disabled={pending}
          className="border-rose-300 text-rose-700 hover:bg-rose-50"
        >
          {copy["apiKeys-revoke"]}
        </Button>
      }
      title={copy["apiKeys-revokeConfirm"] ?? ""}
      confirmLabel={copy["apiKeys-revoke"]}
      cancelLabel={t("common-cancel")}
      danger
      onConfirm={() => new Promise<void>((done) => start(() => revoke().finally(done)))}
      nativeConfirm={webApp ? (q, done) => webApp.showConfirm(q, done) : undefined}
    />
  );
}
