"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { cloneElement, type ReactElement, type ReactNode, useState } from "react";
import { Button } from "./button";

type ConfirmDialogProps = {
  /** The button that asks; it opens the dialog. */
  trigger: ReactElement<{ onClick?: () => void }>;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  /** Runs on confirm; the dialog closes once it has settled. */
  onConfirm: () => void | Promise<void>;
  /** Confirm destroys or disables something (red button). */
  danger?: boolean;
  /**
   * A platform's own confirmation (Telegram's `showConfirm` inside the Mini App) used instead of the
   * dialog when given.
   */
  nativeConfirm?: (question: string, done: (ok: boolean) => void) => void;
};

/**
 * The one way to confirm an action: an accessible alert dialog (focus trapped, Escape cancels, focus
 * back on the trigger), or the platform's own confirmation when there is one.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  cancelLabel,
  onConfirm,
  danger,
  nativeConfirm,
}: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  if (nativeConfirm && typeof title === "string")
    return cloneElement(trigger, {
      onClick: () =>
        nativeConfirm(title, (ok) => {
          if (ok) void onConfirm();
        }),
    });
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(92vw,24rem)] -translate-x-1/2 -translate-y-1/2 space-y-4 rounded-lg bg-white p-5 text-slate-900 shadow-xl">
          <AlertDialog.Title className="font-semibold">{title}</AlertDialog.Title>
          {description ? (
            <AlertDialog.Description className="text-sm break-words text-slate-600">
              {description}
            </AlertDialog.Description>
          ) : (
            <AlertDialog.Description className="sr-only">{title}</AlertDialog.Description>
          )}
          <div className="flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="outline" size="compact">
                {cancelLabel}
              </Button>
            </AlertDialog.Cancel>
            <Button variant={danger ? "danger" : "primary"} disabled={busy} onClick={confirm}>
              {confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
