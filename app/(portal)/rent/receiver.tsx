"use client";

import { CircleAlert, CircleCheck, LoaderCircle } from "lucide-react";
import { useT } from "@/app/_components/i18n-provider";
import type { AddressCheck } from "@/app/api/portal/address/route";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { RentSetup } from "./rent-form";

type ReceiverStatus = {
  error?: string;
  notActivated: boolean;
  checking: boolean;
  check: AddressCheck | undefined;
};

/** Step 1: the address that receives the energy — a saved wallet, or one pasted and checked as typed. */
export function ReceiverPicker({
  wallets,
  choice,
  onChoice,
  pasted,
  onPasted,
  status,
}: {
  wallets: RentSetup["wallets"];
  choice: string;
  onChoice: (v: string) => void;
  pasted: string;
  onPasted: (v: string) => void;
  status: ReceiverStatus;
}) {
  const t = useT("rent");
  return (
    <fieldset className="space-y-3">
      <legend className="text-base font-semibold">{t("rent-receiver")}</legend>
      <p className="text-sm text-slate-500">{t("rent-receiverHint")}</p>
      {wallets.length > 0 && (
        <Field id="r-wallet" label={t("rent-savedWallets")}>
          {(p) => (
            <Select {...p} value={choice} onChange={(e) => onChoice(e.target.value)}>
              {wallets.map((w) => (
                <option key={w.id} value={String(w.id)}>
                  {`${w.label ? `${w.label} · ` : ""}${w.address.slice(0, 6)}…${w.address.slice(-4)}`}
                </option>
              ))}
              <option value="paste">{t("rent-orPaste")}</option>
            </Select>
          )}
        </Field>
      )}
      {choice === "paste" && (
        <Field
          id="r-address"
          label={wallets.length ? t("rent-orPaste") : t("wallets-address")}
          invalid={Boolean(status.error)}
          describedBy="r-address-status"
        >
          {(p) => (
            <Input
              {...p}
              value={pasted}
              onChange={(e) => onPasted(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              placeholder="T…"
              className="font-mono"
            />
          )}
        </Field>
      )}
      <div id="r-address-status" aria-live="polite" className="min-h-5 text-sm">
        <ReceiverStatusLine status={status} />
      </div>
    </fieldset>
  );
}

function ReceiverStatusLine({ status }: { status: ReceiverStatus }) {
  const t = useT("rent");
  const rc = status.check;
  if (status.error)
    return (
      <p className="flex items-center gap-1 text-(--p-danger)" data-testid="receiver-error">
        <CircleAlert className="size-4 shrink-0" aria-hidden />
        {status.error}
      </p>
    );
  if (status.notActivated)
    return (
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">
        <p className="font-semibold">{t("rent-notActivatedTitle")}</p>
        <p>{t("error-not_activated")}</p>
      </div>
    );
  if (status.checking)
    return (
      <p className="flex items-center gap-1 text-slate-500">
        <LoaderCircle className="size-4 animate-spin" aria-hidden />
        {t("address-checking")}
      </p>
    );
  if (rc?.ok)
    return (
      <p className="flex flex-wrap items-center gap-1 text-emerald-800">
        <CircleCheck className="size-4" aria-hidden />
        {t("address-valid")}
        {rc.energy && <span className="text-slate-600">· {t("rent-receiverEnergy", { n: rc.energy })}</span>}
      </p>
    );
  return null;
}
