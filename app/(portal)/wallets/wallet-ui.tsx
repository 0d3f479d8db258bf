"use client";

import { Pencil, Star, Trash2, Zap } from "lucide-react";
import Link from "next/link";
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { useT } from "@/app/_components/i18n-provider";
import { useMiniApp } from "@/app/_components/mini-app";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { shortAddress } from "@/lib/format";
import { addWalletAction, removeWalletAction, renameWalletAction, setDefaultWalletAction } from "./actions";
import type { WalletFormState } from "./logic";

type WalletView = { id: number; address: string; label: string | null; isDefault: boolean };

/** Add form: field errors inline under the field, typed values kept. */
export function AddWalletForm({ disabled }: { disabled?: boolean }) {
  const t = useT("wallets");
  const [state, action, pending] = useActionState<WalletFormState, FormData>(addWalletAction, {
    status: "idle",
  });
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") {
      toast.success(state.message);
      form.current?.reset();
    } else if (state.status === "failed") toast.error(state.message);
  }, [state]);
  const fields = state.status === "invalid_data" ? state.fields : {};
  const values = state.status === "invalid_data" || state.status === "failed" ? (state.values ?? {}) : {};
  return (
    <form ref={form} action={action} noValidate className="space-y-3" data-testid="add-wallet-form">
      <Field id="w-address" label={t("wallets-address")} error={fields.address}>
        {(p) => (
          <Input
            {...p}
            name="address"
            required
            autoComplete="off"
            spellCheck={false}
            defaultValue={values.address ?? ""}
            key={`a-${values.address ?? ""}`}
            placeholder="T…"
            className="font-mono"
          />
        )}
      </Field>
      <Field id="w-label" label={t("wallets-label")} error={fields.label}>
        {(p) => (
          <Input
            {...p}
            name="label"
            maxLength={64}
            defaultValue={values.label ?? ""}
            key={`l-${values.label ?? ""}`}
            placeholder={t("wallets-labelPlaceholder")}
          />
        )}
      </Field>
      <Button type="submit" disabled={pending || disabled}>
        {t("wallets-add")}
      </Button>
    </form>
  );
}

function RenameForm({ w, onDone }: { w: WalletView; onDone: () => void }) {
  const t = useT("wallets");
  const [state, action, pending] = useActionState<WalletFormState, FormData>(renameWalletAction, {
    status: "idle",
  });
  useEffect(() => {
    if (state.status === "success") {
      toast.success(state.message);
      onDone();
    } else if (state.status === "failed") toast.error(state.message);
  }, [state, onDone]);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const err = state.status === "invalid_data" ? state.fields.label : undefined;
  const value = state.status === "invalid_data" ? state.values.label : (w.label ?? "");
  return (
    <form action={action} className="flex flex-wrap items-start gap-2">
      <input type="hidden" name="walletId" value={w.id} />
      <Field
        id={`rn-${w.id}`}
        label={t("wallets-label")}
        hideLabel
        error={err}
        className="min-w-0 flex-1 gap-0"
      >
        {(p) => (
          <Input
            {...p}
            name="label"
            defaultValue={value}
            maxLength={64}
            ref={input}
            onKeyDown={(e) => e.key === "Escape" && onDone()}
          />
        )}
      </Field>
      <Button type="submit" disabled={pending}>
        {t("common-save")}
      </Button>
      <Button variant="outline" size="compact" onClick={onDone}>
        {t("common-cancel")}
      </Button>
    </form>
  );
}

function RemoveButton({ w }: { w: WalletView }) {
  const t = useT("wallets");
  const { webApp } = useMiniApp();
  const [pending, start] = useTransition();
  const question = t("wallets-removeConfirm", { address: shortAddress(w.address) });
  // The dialog stays open (its button busy) until the wallet is removed.
  const doRemove = () => new Promise<void>((done) => start(() => remove().finally(done)));
  const remove = async () => {
    const fd = new FormData();
    fd.set("walletId", String(w.id));
    const r = await removeWalletAction(fd);
    if (r.status !== "success") {
      toast.error(r.status === "failed" ? r.message : t("error-generic"));
      return;
    }
    const removed = r.removed;
    toast.success(r.message, {
      action: removed
        ? {
            label: t("common-undo"),
            onClick: async () => {
              const f = new FormData();
              f.set("address", removed.address);
              f.set("label", removed.label ?? "");
              const back = await addWalletAction({ status: "idle" }, f);
              if (back.status === "success" && w.isDefault && back.walletId) {
                const d = new FormData();
                d.set("walletId", String(back.walletId));
                await setDefaultWalletAction(d);
              }
            },
          }
        : undefined,
    });
  };
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="compact" disabled={pending} className="text-(--p-danger)">
          <Trash2 className="size-4" aria-hidden />
          {t("wallets-remove")}
        </Button>
      }
      title={question}
      description={<span className="font-mono text-xs break-all">{w.address}</span>}
      confirmLabel={t("wallets-remove")}
      cancelLabel={t("common-cancel")}
      danger
      onConfirm={doRemove}
      nativeConfirm={webApp ? (q, done) => webApp.showConfirm(q, done) : undefined}
    />
  );
}

export function WalletCard({ w }: { w: WalletView }) {
  const t = useT("wallets");
  const [renaming, setRenaming] = useState(false);
  const [pending, start] = useTransition();
  return (
    <li className="space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4" data-testid="wallet-card">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{w.label || shortAddress(w.address)}</span>
        {w.isDefault && (
          <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700">
            {t("wallets-default")}
          </span>
        )}
      </div>
      <div className="flex min-w-0 items-center gap-2">
        <code className="min-w-0 flex-1 truncate font-mono text-sm" title={w.address}>
          <span className="sm:hidden">{shortAddress(w.address)}</span>
          <span className="hidden sm:inline">{w.address}</span>
        </code>
        <CopyButton value={w.address} />
      </div>
      {renaming ? (
        <RenameForm w={w} onDone={() => setRenaming(false)} />
      ) : (
        <div className="flex flex-wrap gap-2">
          <Link
            href={`/rent?receiver=${w.address}`}
            className={buttonVariants({ variant: "outline", size: "compact" })}
          >
            <Zap className="size-4" aria-hidden />
            {t("wallets-rentFor")}
          </Link>
          <button
            type="button"
            className={buttonVariants({ variant: "outline", size: "compact" })}
            onClick={() => setRenaming(true)}
          >
            <Pencil className="size-4" aria-hidden />
            {t("wallets-rename")}
          </button>
          {!w.isDefault && (
            <button
              type="button"
              disabled={pending}
              className={buttonVariants({ variant: "outline", size: "compact" })}
              onClick={() =>
                start(async () => {
                  const fd = new FormData();
                  fd.set("walletId", String(w.id));
                  const r = await setDefaultWalletAction(fd);
                  if (r.status === "success") toast.success(r.message);
                  else toast.error(r.status === "failed" ? r.message : t("error-generic"));
                })
              }
            >
              <Star className="size-4" aria-hidden />
              {t("wallets-setDefault")}
            </button>
          )}
          <RemoveButton w={w} />
        </div>
      )}
    </li>
  );
}
