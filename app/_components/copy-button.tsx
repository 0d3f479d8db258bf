"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useT } from "./i18n-provider";

/** Copies `value`; the label turns into "Copied ✓" for two seconds. */
export function CopyButton({ value, className = "" }: { value: string; className?: string }) {
  const t = useT("portal");
  const [done, setDone] = useState(false);
  return (
    <Button
      variant="outline"
      size="compact"
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
      className={cn("gap-1 bg-(--p-card)", className)}
    >
      {done ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      <span aria-live="polite">{done ? t("common-copied") : t("common-copy")}</span>
    </Button>
  );
}
