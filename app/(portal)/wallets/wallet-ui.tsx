"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { Pencil, Star, Trash2, Zap } from "lucide-react";
import Link from "next/link";
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/app/_components/copy-button";
import { shortAddress } from "@/lib/format";
import { useT } from "@/app/_components/i18n-provider";
import { useMiniApp } from "@/app/_components/mini-app";
import { addWalletAction, removeWalletAction, renameWalletAction, setDefaultWalletAction } from "./actions";
import type { WalletFormState } from "./logic";

export type WalletView = { id: number; address: string; label: string | null; isDefault: boolean };

const inputCls =
  "block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 aria-[invalid=true]:border-rose-500 focus-visible:outline-2 focus-visible:outline-(--p-btn)";
const btnPrimary =
  "inline-flex min-h-11 items-center justify-center gap-1.5 rounded-md bg-(--p-btn) px-4 font-semibold text-(--p-btn-text) disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-(--p-btn)";
const btnGhost =
  "inline-flex min-h-11 items-center justify-center gap-1.5 rounded-md border border-slate-300 px-3 text-sm hover:bg-slate-100 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-(--p-btn)";

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
      <div className="space-y-1">
        <label htmlFor="w-address" className="text-sm font-medium">
          {t("wallets-address")}
        </label>
        <input
          id="w-address"
          name="address"
          required
          autoComplete="off"
          spellCheck={false}
          defaultValue={values.address ?? ""}
          key={`a-${values.address ?? ""}`}
          aria-invalid={fields.address ? true : undefined}
          aria-describedby={fields.address ? "w-address-err" : undefined}
          placeholder="T…"
          className={`${inputCls} font-mono`}
        />
        {fields.address && (
          <p id="w-address-err" role="alert" className="text-sm text-(--p-danger)">
            {fields.address}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <label htmlFor="w-label" className="text-sm font-medium">
          {t("wallets-label")}
        </label>
        <input
          id="w-label"
          name="label"
          maxLength={64}
          defaultValue={values.label ?? ""}
          key={`l-${values.label ?? ""}`}
          placeholder={t("wallets-labelPlaceholder")}
          aria-invalid={fields.label ? true : undefined}
          aria-describedby={fields.label ? "w-label-err" : undefined}
          className={inputCls}
        />
        {fields.label && (
          <p id="w-label-err" role="alert" className="text-sm text-(--p-danger)">
            {fields.label}
          </p>
        )}
      </div>
      <button type="submit" disabled={pending || disabled} className={btnPrimary}>
        {t("wallets-add")}
      </button>
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
      <div className="min-w-0 flex-1">
        <label htmlFor={`rn-${w.id}`} className="sr-only">
          {t("wallets-label")}
        </label>
        <input
          id={`rn-${w.id}`}
          name="label"
          defaultValue={value}
          maxLength={64}
          ref={input}
          aria-invalid={err ? true : undefined}
          className={inputCls}
          onKeyDown={(e) => e.key === "Escape" && onDone()}
        />
        {err && (
          <p role="alert" className="text-sm text-(--p-danger)">
            {err}
          </p>
        )}
      </div>
      <button type="submit" disabled={pending} className={btnPrimary}>
        {t("common-save")}
      </button>
      <button type="button" onClick={onDone} className={btnGhost}>
        {t("common-cancel")}
      </button>
    </form>
  );
}

function RemoveButton({ w }: { w: WalletView }) {
  const t = useT("wallets");
  const { webApp } = useMiniApp();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const question = t("wallets-removeConfirm", { address: shortAddress(w.address) });
  const doRemove = () =>
    start(async () => {
      const fd = new FormData();
      fd.set("walletId", String(w.id));
      const r = await removeWalletAction(fd);
      setOpen(false);
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
    });
  if (webApp)
    return (
      <button
        type="button"
        disabled={pending}
        className={`${btnGhost} text-(--p-danger)`}
        onClick={() => webApp.showConfirm(question, (ok) => ok && doRemove())}
      >
        <Trash2 className="size-4" aria-hidden />
        {t("wallets-remove")}
      </button>
    );
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger asChild>
        <button type="button" className={`${btnGhost} text-(--p-danger)`}>
          <Trash2 className="size-4" aria-hidden />
          {t("wallets-remove")}
        </button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(92vw,24rem)] -translate-x-1/2 -translate-y-1/2 space-y-4 rounded-lg bg-white p-5 text-slate-900 shadow-xl">
          <AlertDialog.Title className="font-semibold">{question}</AlertDialog.Title>
          <AlertDialog.Description className="font-mono text-xs break-all text-slate-600">
            {w.address}
          </AlertDialog.Description>
          <div className="flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <button type="button" className={btnGhost}>
                {t("common-cancel")}
              </button>
            </AlertDialog.Cancel>
            <button
              type="button"
              disabled={pending}
              onClick={doRemove}
              className="inline-flex min-h-11 items-center rounded-md bg-rose-700 px-4 font-semibold text-white disabled:opacity-60"
            >
              {t("wallets-remove")}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
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
          <Link href={`/rent?receiver=${w.address}`} className={btnGhost}>
            <Zap className="size-4" aria-hidden />
            {t("wallets-rentFor")}
          </Link>
          <button type="button" className={btnGhost} onClick={() => setRenaming(true)}>
            <Pencil className="size-4" aria-hidden />
            {t("wallets-rename")}
          </button>
          {!w.isDefault && (
            <button
              type="button"
              disabled={pending}
              className={btnGhost}
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
