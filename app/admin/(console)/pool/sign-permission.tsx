"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

type Labels = { sign: string; sent: string; noWallet: string };
type InjectedTronWeb = {
  trx: {
    sign: (tx: unknown) => Promise<unknown>;
    sendRawTransaction: (
      tx: unknown,
    ) => Promise<{ result?: boolean; txid?: string; code?: string; message?: string }>;
  };
};

/**
 * Signs the node-built AccountPermissionUpdate in the owner's TronLink (window.tronLink /
 * window.tronWeb) and sends it. The owner's key never leaves their wallet; without TronLink the
 * JSON beside this button is signed in any wallet that takes a transaction JSON.
 */
export function SignPermission({ transaction, labels }: { transaction: unknown; labels: Labels }) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function sign() {
    const w = window as unknown as {
      tronLink?: { request?: (a: { method: string }) => Promise<unknown>; tronWeb?: InjectedTronWeb };
      tronWeb?: InjectedTronWeb;
    };
    setBusy(true);
    try {
      await w.tronLink?.request?.({ method: "tron_requestAccounts" });
      const tw = w.tronLink?.tronWeb ?? w.tronWeb;
      if (!tw) {
        setNote(labels.noWallet);
        return;
      }
      const signed = await tw.trx.sign(transaction);
      const r = await tw.trx.sendRawTransaction(signed);
      setNote(r.result ? labels.sent.replace("{txid}", String(r.txid ?? "")) : String(r.message ?? r.code));
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-1">
      <Button type="button" variant="dark" size="sm" disabled={busy} onClick={sign} className="self-start">
        {busy ? "…" : labels.sign}
      </Button>
      {note && (
        <p className="text-sm text-slate-700" data-testid="sign-note">
          {note}
        </p>
      )}
    </div>
  );
}
