"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { useT } from "./i18n-provider";

/** Copies `value`; the label turns into "Copied ✓" for two seconds. */
export function CopyButton({ value, className = "" }: { value: string; className?: string }) {
  const t = useT("portal");
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
        } catch {
          const ta = document.createElement("textarea");
          ta.value = value;
          document.body.appendChild(ta);
          ta.select();
          document.execCommand("copy");
          ta.remove();
        }
        setDone(true);
        setTimeout(() => setDone(false), 2000);
      }}
      className={`inline-flex min-h-11 items-center gap-1 rounded-md border border-slate-300 bg-(--p-card) px-3 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-(--p-btn) ${className}`}
    >
      {done ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      <span aria-live="polite">{done ? t("common-copied") : t("common-copy")}</span>
    </button>
  );
}
