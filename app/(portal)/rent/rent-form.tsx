"use client";

import { CircleAlert, CircleCheck, LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { useMainButton } from "@/app/_components/mini-app";
import type { AddressCheck } from "@/app/api/portal/address/route";
import type { PortalQuote } from "@/app/api/portal/quote/route";
import { formatInteger } from "@/lib/format";
import { createRentOrderAction } from "./actions";
import type { RentFormState } from "./logic";

export type RentSetup = {
  wallets: { id: number; address: string; label: string | null; isDefault: boolean }[];
  presets: { value: number; label: string }[];
  durations: { key: string; label: string }[];
  initial: { receiver: string; energy: string; duration: string };
  suggestLabels: Record<number, string>;
};

/** Debounced value (300 ms after the last change). */
function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

function useFetchJson<T>(url: string | null) {
  const [state, setState] = useState<{
    data: T | null;
    loading: boolean;
    failed: boolean;
    forUrl: string | null;
  }>({
    data: null,
    loading: false,
    failed: false,
    forUrl: null,
  });
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `nonce` is the retry trigger
  useEffect(() => {
    if (!url) {
      setState({ data: null, loading: false, failed: false, forUrl: null });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, failed: false }));
    fetch(url, { signal: ctl.signal, cache: "no-store" })
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) setState({ data: body as T, loading: false, failed: true, forUrl: url });
        else setState({ data: body as T, loading: false, failed: false, forUrl: url });
      })
      .catch((e) => {
        if ((e as Error).name !== "AbortError") setState((s) => ({ ...s, loading: false, failed: true }));
      });
    return () => ctl.abort();
  }, [url, nonce]);
  return { ...state, retry: () => setNonce((n) => n + 1) };
}

const inputCls =
  "block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 aria-[invalid=true]:border-rose-500 focus-visible:outline-2 focus-visible:outline-(--p-btn)";
const chip =
  "inline-flex min-h-11 items-center rounded-full border px-4 text-sm tabular-nums has-[:checked]:border-(--p-btn) has-[:checked]:bg-(--p-btn) has-[:checked]:text-(--p-btn-text) has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-(--p-btn) border-slate-300 cursor-pointer";

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

  const defaultWallet = setup.wallets.find((w) => w.isDefault) ?? setup.wallets[0];
  const initialSaved = setup.initial.receiver
    ? setup.wallets.find((w) => w.address === setup.initial.receiver)
    : defaultWallet;
  const [walletChoice, setWalletChoice] = useState<string>(
    initialSaved ? String(initialSaved.id) : setup.wallets.length ? "paste" : "paste",
  );
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

  // Receiver: validated as you type (format/checksum), then live activation + energy.
  const dReceiver = useDebounced(receiver);
  const receiverCheck = useFetchJson<AddressCheck>(
    dReceiver ? `/api/portal/address?role=receiver&address=${encodeURIComponent(dReceiver)}` : null,
  );
  // USDT recipient: 65k when it holds USDT, 131k when it holds none.
  const dRecipient = useDebounced(recipient.trim());
  const recipientCheck = useFetchJson<AddressCheck>(
    dRecipient ? `/api/portal/address?role=recipient&address=${encodeURIComponent(dRecipient)}` : null,
  );
  const suggestion =
    recipientCheck.data && recipientCheck.data.ok && recipientCheck.data.suggestion
      ? recipientCheck.data.suggestion
      : null;
  useEffect(() => {
    if (!suggestion || energyTouched) return;
    if (presetValues.includes(String(suggestion))) setEnergyChoice(String(suggestion));
    else {
      setEnergyChoice("custom");
      setCustomEnergy(String(suggestion));
    }
  }, [suggestion, energyTouched, presetValues]);

  // Live quote, re-priced 300 ms after the last change; old figures stay (dimmed) meanwhile.
  const dEnergy = useDebounced(energy);
  const dDuration = useDebounced(duration);
  const quote = useFetchJson<
    PortalQuote & { error?: { message: string; fields?: Record<string, string>; maxEnergy?: string } }
  >(
    dEnergy && dDuration
      ? `/api/portal/quote?energy=${encodeURIComponent(dEnergy)}&duration=${encodeURIComponent(dDuration)}`
      : null,
  );
  const q = quote.data && !quote.failed ? (quote.data as PortalQuote) : null;
  const quoteError = quote.failed ? (quote.data?.error?.message ?? t("rent-quoteFailed")) : null;
  const stale = quote.loading || dEnergy !== energy || dDuration !== duration;

  const serverFields = state.status === "invalid_data" ? state.fields : {};
  const rc = receiverCheck.data;
  const receiverError =
    receiver && rc && !rc.ok && receiverCheck.forUrl?.includes(encodeURIComponent(receiver))
      ? rc.message
      : serverFields.receiver;
  const notActivated = rc && rc.ok && rc.live && rc.activated === false && rc.address === dReceiver;
  const recipientError =
    recipient.trim() && recipientCheck.data && !recipientCheck.data.ok
      ? recipientCheck.data.message
      : undefined;
  const energyError = quote.failed ? quote.data?.error?.fields?.energy : serverFields.energy;
  // The pool cannot cover the amount: offer the largest one it can.
  const maxOffer = quote.failed
    ? quote.data?.error?.maxEnergy
    : state.status === "invalid_data"
      ? state.maxEnergy
      : undefined;
  const takeMax = (max: string) => {
    setEnergyTouched(true);
    if (presetValues.includes(max)) setEnergyChoice(max);
    else {
      setEnergyChoice("custom");
      setCustomEnergy(max);
    }
  };

  let blocker: string | null = null;
  if (!receiver || receiverError || notActivated || energyError || recipientError)
    blocker = t("rent-fixErrors");
  else if (q?.maintenance) blocker = t("rent-maintenance");
  else if (q?.shortfall) blocker = t("rent-needTopUp", { amount: q.shortfall });
  else if (!q || stale) blocker = null;
  const canPay = !blocker && Boolean(q) && !stale && !pending;
  const payLabel = q ? t("rent-pay", { amount: q.price }) : t("common-loading");

  const usesMainButton = useMainButton({
    text: pending ? t("rent-paying") : payLabel,
    enabled: canPay,
    busy: pending,
    onClick: () => formRef.current?.requestSubmit(),
  });

  const failedMessage = state.status === "failed" ? state.message : null;

  const sortedWallets = setup.wallets;

  return (
    <form ref={formRef} action={action} noValidate className="space-y-6" data-testid="rent-form">
      <input type="hidden" name="idempotencyKey" value={idemKey} />
      <input type="hidden" name="receiver" value={receiver} />
      <input type="hidden" name="energy" value={energy} />
      <input type="hidden" name="duration" value={duration} />

      {failedMessage && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900"
        >
          {failedMessage}
          {state.status === "failed" && state.code === "insufficient_balance" && (
            <>
              {" "}
              <Link href="/topup" className="font-semibold underline">
                {t("nav-topup")}
              </Link>
            </>
          )}
        </p>
      )}

      <fieldset className="space-y-3">
        <legend className="text-base font-semibold">{t("rent-receiver")}</legend>
        <p className="text-sm text-slate-500">{t("rent-receiverHint")}</p>
        {sortedWallets.length > 0 && (
          <div className="space-y-1">
            <label htmlFor="r-wallet" className="text-sm font-medium">
              {t("rent-savedWallets")}
            </label>
            <select
              id="r-wallet"
              value={walletChoice}
              onChange={(e) => setWalletChoice(e.target.value)}
              className={inputCls}
            >
              {sortedWallets.map((w) => (
                <option key={w.id} value={String(w.id)}>
                  {(w.label ? `${w.label} · ` : "") + `${w.address.slice(0, 6)}…${w.address.slice(-4)}`}
                </option>
              ))}
              <option value="paste">{t("rent-orPaste")}</option>
            </select>
          </div>
        )}
        {walletChoice === "paste" && (
          <div className="space-y-1">
            <label htmlFor="r-address" className="text-sm font-medium">
              {sortedWallets.length ? t("rent-orPaste") : t("wallets-address")}
            </label>
            <input
              id="r-address"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              placeholder="T…"
              aria-invalid={receiverError ? true : undefined}
              aria-describedby="r-address-status"
              className={`${inputCls} font-mono`}
            />
          </div>
        )}
        <div id="r-address-status" aria-live="polite" className="min-h-5 text-sm">
          {receiverError ? (
            <p className="flex items-center gap-1 text-(--p-danger)" data-testid="receiver-error">
              <CircleAlert className="size-4 shrink-0" aria-hidden />
              {receiverError}
            </p>
          ) : notActivated ? (
            <div
              role="alert"
              className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950"
            >
              <p className="font-semibold">{t("rent-notActivatedTitle")}</p>
              <p>{t("error-not_activated")}</p>
            </div>
          ) : receiver && (receiverCheck.loading || dReceiver !== receiver) ? (
            <p className="flex items-center gap-1 text-slate-500">
              <LoaderCircle className="size-4 animate-spin" aria-hidden />
              {t("address-checking")}
            </p>
          ) : rc?.ok ? (
            <p className="flex flex-wrap items-center gap-1 text-emerald-800">
              <CircleCheck className="size-4" aria-hidden />
              {t("address-valid")}
              {rc.energy && (
                <span className="text-slate-600">· {t("rent-receiverEnergy", { n: rc.energy })}</span>
              )}
            </p>
          ) : null}
        </div>
      </fieldset>

      <div className="space-y-1">
        <label htmlFor="r-recipient" className="text-base font-semibold">
          {t("rent-recipient")}
        </label>
        <p id="r-recipient-hint" className="text-sm text-slate-500">
          {t("rent-recipientHint")}
        </p>
        <input
          id="r-recipient"
          value={recipient}
          onChange={(e) => setRecipient(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="T…"
          aria-invalid={recipientError ? true : undefined}
          aria-describedby="r-recipient-hint r-recipient-status"
          className={`${inputCls} font-mono`}
        />
        <div id="r-recipient-status" aria-live="polite" className="min-h-5 text-sm">
          {recipientError ? (
            <p className="text-(--p-danger)">{recipientError}</p>
          ) : suggestion && recipientCheck.data?.ok ? (
            <p className="flex flex-wrap items-center gap-2" data-testid="energy-suggestion">
              {recipientCheck.data.holdsUsdt
                ? t("rent-suggest-holder", { n: setup.suggestLabels[suggestion] ?? String(suggestion) })
                : t("rent-suggest-empty", { n: setup.suggestLabels[suggestion] ?? String(suggestion) })}
              {energy !== String(suggestion) && (
                <button
                  type="button"
                  className="min-h-11 rounded-md border border-slate-300 px-3"
                  onClick={() => {
                    setEnergyTouched(true);
                    if (presetValues.includes(String(suggestion))) setEnergyChoice(String(suggestion));
                    else {
                      setEnergyChoice("custom");
                      setCustomEnergy(String(suggestion));
                    }
                  }}
                >
                  {t("rent-suggest-use", { n: setup.suggestLabels[suggestion] ?? String(suggestion) })}
                </button>
              )}
            </p>
          ) : null}
        </div>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-base font-semibold">{t("rent-energy")}</legend>
        <div className="flex flex-wrap gap-2">
          {setup.presets.map((p) => (
            <label key={p.value} className={chip}>
              <input
                type="radio"
                name="energyChoice"
                value={String(p.value)}
                checked={energyChoice === String(p.value)}
                onChange={() => {
                  setEnergyTouched(true);
                  setEnergyChoice(String(p.value));
                }}
                className="sr-only"
              />
              {p.label}
            </label>
          ))}
          <label className={chip}>
            <input
              type="radio"
              name="energyChoice"
              value="custom"
              checked={energyChoice === "custom"}
              onChange={() => {
                setEnergyTouched(true);
                setEnergyChoice("custom");
              }}
              className="sr-only"
            />
            {t("rent-custom")}
          </label>
        </div>
        {energyChoice === "custom" && (
          <div className="space-y-1">
            <label htmlFor="r-energy" className="text-sm font-medium">
              {t("rent-customEnergy")}
            </label>
            <input
              id="r-energy"
              inputMode="numeric"
              value={customEnergy}
              onChange={(e) => {
                setEnergyTouched(true);
                setCustomEnergy(e.target.value);
              }}
              aria-invalid={energyError ? true : undefined}
              aria-describedby={energyError ? "r-energy-err" : undefined}
              className={`${inputCls} tabular-nums`}
            />
          </div>
        )}
        {energyError && (
          <p id="r-energy-err" role="alert" className="text-sm text-(--p-danger)">
            {energyError}
          </p>
        )}
        {energyError && maxOffer && maxOffer !== energy && (
          <button
            type="button"
            onClick={() => takeMax(maxOffer)}
            data-testid="use-max-energy"
            className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium"
          >
            {t("rent-useMax", { max: formatInteger(BigInt(maxOffer)) })}
          </button>
        )}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-base font-semibold">{t("rent-duration")}</legend>
        <div className="flex flex-wrap gap-2">
          {setup.durations.map((d) => (
            <label key={d.key} className={chip}>
              <input
                type="radio"
                name="durationChoice"
                value={d.key}
                checked={duration === d.key}
                onChange={() => setDuration(d.key)}
                className="sr-only"
              />
              {d.label}
            </label>
          ))}
        </div>
        {serverFields.duration && <p className="text-sm text-(--p-danger)">{serverFields.duration}</p>}
      </fieldset>

      <section
        aria-labelledby="r-quote"
        aria-busy={stale}
        data-testid="quote-panel"
        className="space-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-4"
      >
        <h2 id="r-quote" className="font-semibold">
          {t("rent-quote")}
        </h2>
        {quoteError && !energyError ? (
          <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-(--p-danger)">
            {quoteError}
            <button
              type="button"
              onClick={quote.retry}
              className="min-h-11 rounded-md border border-slate-300 px-3 text-slate-900"
            >
              {t("common-retry")}
            </button>
          </div>
        ) : q ? (
          <dl
            className={`grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm tabular-nums transition-opacity ${stale ? "opacity-50" : ""}`}
          >
            <dt className="text-slate-500">{t("rent-price")}</dt>
            <dd className="text-right text-lg font-bold" data-testid="quote-price">
              {q.price}
            </dd>
            <dt className="text-slate-500">{t("rent-unitPrice")}</dt>
            <dd className="text-right">{q.unitPrice}</dd>
            {q.fee && (
              <>
                <dt className="text-slate-500">{t("rent-fee")}</dt>
                <dd className="text-right">{q.fee}</dd>
              </>
            )}
            <dt className="text-slate-500">{t("rent-burn")}</dt>
            <dd className="text-right text-rose-700 line-through decoration-1">{q.burn}</dd>
            <dt className="col-span-2 font-medium text-emerald-800">
              {t("rent-saving", { amount: q.saving, percent: q.savingPercent })}
            </dt>
            <dt className="text-slate-500">{t("dash-balance")}</dt>
            <dd className="text-right">{q.balance}</dd>
            {q.balanceAfter && (
              <>
                <dt className="text-slate-500">{t("rent-balanceAfter")}</dt>
                <dd className="text-right">{q.balanceAfter}</dd>
              </>
            )}
          </dl>
        ) : (
          <p className="text-sm text-slate-500">{t("common-loading")}</p>
        )}
      </section>

      <div
        data-mini-hide={usesMainButton ? "" : undefined}
        className="fixed inset-x-0 bottom-14 z-20 border-t border-slate-200 bg-white px-3 py-2 md:static md:border-0 md:bg-transparent md:p-0"
      >
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-3">
          <div className="min-w-0 text-sm tabular-nums md:hidden">
            <div className="text-slate-500">{t("rent-total")}</div>
            <div className="font-bold">{q ? q.price : "—"}</div>
          </div>
          <div className="flex flex-col items-end gap-1 md:items-start">
            <button
              type="submit"
              disabled={!canPay}
              aria-describedby={blocker ? "r-blocker" : undefined}
              data-testid="pay-button"
              className="inline-flex min-h-11 items-center justify-center gap-2 rounded-md bg-(--p-btn) px-5 font-semibold text-(--p-btn-text) disabled:opacity-50"
            >
              {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
              {pending ? t("rent-paying") : payLabel}
            </button>
            {blocker && (
              <p
                id="r-blocker"
                className="text-right text-xs text-slate-600 md:text-left"
                data-testid="pay-blocker"
              >
                {q?.shortfall && blocker === t("rent-needTopUp", { amount: q.shortfall }) ? (
                  <Link href="/topup" className="underline">
                    {blocker}
                  </Link>
                ) : (
                  blocker
                )}
              </p>
            )}
          </div>
        </div>
      </div>
    </form>
  );
}
