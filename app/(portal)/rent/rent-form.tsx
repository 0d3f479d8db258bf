"use client";

import Link from "next/link";
import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import useSWR, { type SWRConfiguration } from "swr";
import { useDebounce } from "use-debounce";
import { useT } from "@/app/_components/i18n-provider";
import { useMainButton } from "@/app/_components/mini-app";
import type { AddressCheck } from "@/app/api/portal/address/route";
import type { PortalQuote } from "@/app/api/portal/quote/route";
import { createRentOrderAction } from "./actions";
import { PayBar } from "./confirm";
import { DurationPicker } from "./duration";
import { EnergyPicker, RecipientField } from "./energy";
import type { RentFormState } from "./logic";
import { QuotePanel } from "./quote";
import { ReceiverPicker } from "./receiver";

export type RentSetup = {
  wallets: { id: number; address: string; label: string | null; isDefault: boolean }[];
  presets: { value: number; label: string }[];
  durations: { key: string; label: string }[];
  initial: { receiver: string; energy: string; duration: string };
  suggestLabels: Record<number, string>;
};

type QuoteError = { error?: { message: string; fields?: Record<string, string>; maxEnergy?: string } };

/** A refused request: its JSON body (the API's error) travels with it. */
class FetchError extends Error {
  constructor(readonly body: unknown) {
    super("request refused");
  }
}

async function fetchJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { cache: "no-store" });
  const body = await r.json();
  if (!r.ok) throw new FetchError(body);
  return body as T;
}

/** Each check runs once per value typed (no refetch on focus, no automatic retries: the user retries). */
const once: SWRConfiguration = {
  revalidateOnFocus: false,
  revalidateOnReconnect: false,
  shouldRetryOnError: false,
};
/** Re-pricing keeps the previous figures on screen (dimmed) until the new ones arrive. */
const keepFigures: SWRConfiguration = { ...once, keepPreviousData: true };
const DEBOUNCE_MS = 300;

const addressUrl = (role: "receiver" | "recipient", address: string) =>
  address ? `/api/portal/address?role=${role}&address=${encodeURIComponent(address)}` : null;

/**
 * The rent form: receiver → (USDT recipient) → energy → duration → live quote → pay. This component
 * holds the state and the checks; each step is its own component.
 */
export function RentForm({ setup }: { setup: RentSetup }) {
  const t = useT("rent");
  const [state, action, pending] = useActionState<RentFormState, FormData>(createRentOrderAction, {
    status: "idle",
  });
  const formRef = useRef<HTMLFormElement>(null);
  const [idemKey] = useState(() =>
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID()
      : `${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );

  // Receiver: a saved wallet (the default one first) or a pasted address.
  const defaultWallet = setup.wallets.find((w) => w.isDefault) ?? setup.wallets[0];
  const initialSaved = setup.initial.receiver
    ? setup.wallets.find((w) => w.address === setup.initial.receiver)
    : defaultWallet;
  const [walletChoice, setWalletChoice] = useState<string>(initialSaved ? String(initialSaved.id) : "paste");
  const [pasted, setPasted] = useState(initialSaved ? "" : setup.initial.receiver);
  const receiver =
    walletChoice === "paste"
      ? pasted.trim()
      : (setup.wallets.find((w) => String(w.id) === walletChoice)?.address ?? "");

  const [recipient, setRecipient] = useState("");
  const presetValues = useMemo(() => setup.presets.map((p) => String(p.value)), [setup.presets]);
  const initialEnergy = setup.initial.energy || presetValues[0] || "65000";
  const [energyChoice, setEnergyChoice] = useState(
    presetValues.includes(initialEnergy) ? initialEnergy : "custom",
  );
  const [customEnergy, setCustomEnergy] = useState(presetValues.includes(initialEnergy) ? "" : initialEnergy);
  const [energyTouched, setEnergyTouched] = useState(Boolean(setup.initial.energy));
  const energy = energyChoice === "custom" ? customEnergy.trim() : energyChoice;
  const [duration, setDuration] = useState(setup.initial.duration || setup.durations[0]?.key || "1h");
  /** The user picks an amount (a preset, a custom one, a suggestion or the pool's maximum). */
  const chooseEnergy = (value: string) => {
    setEnergyTouched(true);
    if (value === "custom" || presetValues.includes(value)) setEnergyChoice(value);
    else {
      setEnergyChoice("custom");
      setCustomEnergy(value);
    }
  };

  // Receiver: validated as you type (format/checksum), then live activation + energy.
  const [dReceiver] = useDebounce(receiver, DEBOUNCE_MS);
  const receiverCheck = useSWR(addressUrl("receiver", dReceiver), fetchJson<AddressCheck>, once);
  // USDT recipient: 65k when it holds USDT, 131k when it holds none.
  const [dRecipient] = useDebounce(recipient.trim(), DEBOUNCE_MS);
  const recipientCheck = useSWR(addressUrl("recipient", dRecipient), fetchJson<AddressCheck>, once);
  const rcp = recipientCheck.data;
  const suggestion = rcp?.ok && rcp.suggestion ? rcp.suggestion : null;
  useEffect(() => {
    if (!suggestion || energyTouched) return;
    if (presetValues.includes(String(suggestion))) setEnergyChoice(String(suggestion));
    else {
      setEnergyChoice("custom");
      setCustomEnergy(String(suggestion));
    }
  }, [suggestion, energyTouched, presetValues]);

  // Live quote, re-priced 300 ms after the last change.
  const [dEnergy] = useDebounce(energy, DEBOUNCE_MS);
  const [dDuration] = useDebounce(duration, DEBOUNCE_MS);
  const quote = useSWR(
    dEnergy && dDuration
      ? `/api/portal/quote?energy=${encodeURIComponent(dEnergy)}&duration=${encodeURIComponent(dDuration)}`
      : null,
    fetchJson<PortalQuote>,
    keepFigures,
  );
  const refused = quote.error
    ? quote.error instanceof FetchError
      ? (quote.error.body as QuoteError)
      : {}
    : null;
  const q = refused ? null : (quote.data ?? null);
  const quoteError = refused ? (refused.error?.message ?? t("rent-quoteFailed")) : null;
  const stale = quote.isValidating || dEnergy !== energy || dDuration !== duration;
  // A held quote refused at payment (expired, or no longer ours): show the fresh one to confirm.
  const refreshQuote = quote.mutate;
  useEffect(() => {
    if (state.status === "failed" && state.code.startsWith("quote_")) void refreshQuote();
  }, [state, refreshQuote]);

  const serverFields = state.status === "invalid_data" ? state.fields : {};
  const rc = receiverCheck.data;
  const receiverError =
    receiver && rc && !rc.ok && dReceiver === receiver ? rc.message : serverFields.receiver;
  const notActivated = Boolean(rc?.ok && rc.live && rc.activated === false && rc.address === dReceiver);
  const recipientError = recipient.trim() && rcp && !rcp.ok ? rcp.message : undefined;
  const energyError = refused ? refused.error?.fields?.energy : serverFields.energy;
  // The pool cannot cover the amount: offer the largest one it can.
  const maxOffer = refused
    ? refused.error?.maxEnergy
    : state.status === "invalid_data"
      ? state.maxEnergy
      : undefined;

  let blocker: string | null = null;
  if (!receiver || receiverError || notActivated || energyError || recipientError)
    blocker = t("rent-fixErrors");
  else if (q?.maintenance) blocker = t("rent-maintenance");
  else if (q?.shortfall) blocker = t("rent-needTopUp", { amount: q.shortfall });
  const canPay = !blocker && Boolean(q) && !stale && !pending;
  const payLabel = q ? t("rent-pay", { amount: q.price }) : t("common-loading");

  const usesMainButton = useMainButton({
    text: pending ? t("rent-paying") : payLabel,
    enabled: canPay,
    busy: pending,
    onClick: () => formRef.current?.requestSubmit(),
  });

  return (
    <form ref={formRef} action={action} noValidate className="space-y-6" data-testid="rent-form">
      <input type="hidden" name="idempotencyKey" value={idemKey} />
      <input type="hidden" name="receiver" value={receiver} />
      <input type="hidden" name="energy" value={energy} />
      <input type="hidden" name="duration" value={duration} />
      {/* the held quote the pay button confirms: charged at exactly its price while it holds */}
      <input type="hidden" name="quote" value={q && !stale ? (q.quoteToken ?? "") : ""} />

      {state.status === "failed" && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900"
        >
          {state.message}
          {state.code === "insufficient_balance" && (
            <>
              {" "}
              <Link href="/topup" className="font-semibold underline">
                {t("nav-topup")}
              </Link>
            </>
          )}
        </p>
      )}

      <ReceiverPicker
        wallets={setup.wallets}
        choice={walletChoice}
        onChoice={setWalletChoice}
        pasted={pasted}
        onPasted={setPasted}
        status={{
          error: receiverError,
          notActivated,
          checking: Boolean(receiver) && (receiverCheck.isValidating || dReceiver !== receiver),
          check: rc,
        }}
      />
      <RecipientField
        value={recipient}
        onChange={setRecipient}
        error={recipientError}
        check={rcp}
        suggestion={suggestion}
        energy={energy}
        suggestLabels={setup.suggestLabels}
        onUseSuggestion={(n) => chooseEnergy(String(n))}
      />
      <EnergyPicker
        presets={setup.presets}
        choice={energyChoice}
        onChoice={chooseEnergy}
        custom={customEnergy}
        onCustom={(v) => {
          setEnergyTouched(true);
          setCustomEnergy(v);
        }}
        error={energyError}
        maxOffer={maxOffer}
        energy={energy}
        onTakeMax={chooseEnergy}
      />
      <DurationPicker
        durations={setup.durations}
        value={duration}
        onChange={setDuration}
        error={serverFields.duration}
      />
      <QuotePanel
        quote={q}
        error={quoteError && !energyError ? quoteError : null}
        stale={stale}
        onRetry={() => void quote.mutate()}
      />
      <PayBar
        total={q?.price ?? null}
        label={payLabel}
        canPay={canPay}
        pending={pending}
        blocker={blocker}
        topUpBlocker={
          Boolean(q?.shortfall) && blocker === t("rent-needTopUp", { amount: q?.shortfall ?? "" })
        }
        hiddenInMiniApp={usesMainButton}
      />
    </form>
  );
}
