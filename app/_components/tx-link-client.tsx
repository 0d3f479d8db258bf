"use client";

import { ExternalLink } from "lucide-react";
import { shortTx } from "@/lib/format";
import { useT } from "./i18n-provider";

/** Client twin of TxLink: short hash linked to the explorer, or plain text where there is none. */
export function TxLinkClient({ txid, url }: { txid: string; url: string | null }) {
  const t = useT("portal");
  if (!url)
    return (
      <code className="font-mono text-sm" title={`${txid} — ${t("common-noExplorer")}`}>
        {shortTx(txid)}
      </code>
    );
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      title={t("common-txLink")}
      data-mini-link
      className="inline-flex min-h-11 items-center gap-1 font-mono text-sm text-(--p-link) underline underline-offset-2"
    >
      {shortTx(txid)}
      <ExternalLink className="size-3.5" aria-hidden />
    </a>
  );
}
