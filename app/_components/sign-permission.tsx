"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { failureText, signAndSend, type WalletLabels, type WalletWindow } from "./tronlink";

type Labels = WalletLabels & {
  sign: string;
  /** "{txid}" is replaced. */
  sent: string;
};

/**
 * Signs the node-built AccountPermissionUpdate (lib/pool permissionSetup) in the owner's TronLink
 * and sends it: the console's Pool page and the portal's supplier page. The owner's key never
 * leaves their wallet; without TronLink the JSON beside this button is signed in any wallet that
 * takes a transaction JSON.
 */
export function SignPermission({
  transaction,
  owner,
  labels,
  size = "sm",
}: {
  transaction: unknown;
  /** The wallet that must sign: another account selected in TronLink is refused before signing. */
  owner?: string;
  labels: Labels;
  size?: "sm" | "compact";
}) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function sign() {
    setBusy(true);
    try {
      const r = await signAndSend(window as unknown as WalletWindow, { transaction, owner });
      setNote(r.ok ? labels.sent.replace("{txid}", r.txid) : failureText(r, labels, owner));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-1">
      <Button type="button" variant="dark" size={size} disabled={busy} onClick={sign} className="self-start">
        {busy ? "…" : labels.sign}
      </Button>
      {note && (
        <p className="text-sm text-slate-700" data-testid="sign-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
