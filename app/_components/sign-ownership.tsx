"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { failureText, signOwnership, type WalletLabels, type WalletWindow } from "./tronlink";

type Labels = WalletLabels & { sign: string; signed: string; field: string };

/**
 * The signature field of a wallet's proof of ownership, with a button that asks TronLink to sign
 * `message` (signMessageV2) with `address` and fills the field in. Without TronLink the signature
 * is pasted by hand; the server verifies it either way.
 */
export function SignOwnership({
  address,
  message,
  labels,
  inputClassName,
}: {
  address: string;
  message: string;
  labels: Labels;
  inputClassName?: string;
}) {
  const [signature, setSignature] = useState("");
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function sign() {
    setBusy(true);
    try {
      const r = await signOwnership(window as unknown as WalletWindow, { address, message });
      if (r.ok) {
        setSignature(r.signature);
        setNote({ ok: true, text: labels.signed });
      } else setNote({ ok: false, text: failureText(r, labels, address) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="grid gap-2">
      <div>
        <Button type="button" variant="dark" size="compact" disabled={busy} onClick={sign}>
          {busy ? "…" : labels.sign}
        </Button>
      </div>
      {note && (
        <p
          className={`text-sm ${note.ok ? "text-green-800" : "text-red-700"}`}
          role={note.ok ? "status" : "alert"}
          data-testid="sign-message-note"
        >
          {note.text}
        </p>
      )}
      <input
        className={inputClassName}
        name="signature"
        placeholder="0x…"
        autoComplete="off"
        value={signature}
        onChange={(e) => setSignature(e.target.value)}
        aria-label={labels.field}
      />
    </div>
  );
}
