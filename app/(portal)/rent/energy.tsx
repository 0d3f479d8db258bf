"use client";

import { useT } from "@/app/_components/i18n-provider";
import type { AddressCheck } from "@/app/api/portal/address/route";
import { Button } from "@/components/ui/button";
import { Field, FieldError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { formatInteger } from "@/lib/format";
import { RadioChip } from "./chip";
import type { RentSetup } from "./rent-form";

/** Optional: the USDT recipient, read live to suggest 65k (holds USDT) or 131k (holds none). */
export function RecipientField({
  value,
  onChange,
  error,
  check,
  suggestion,
  energy,
  suggestLabels,
  onUseSuggestion,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  check: AddressCheck | undefined;
  suggestion: number | null;
  energy: string;
  suggestLabels: RentSetup["suggestLabels"];
  onUseSuggestion: (n: number) => void;
}) {
  const t = useT("rent");
  const n = suggestion ? (suggestLabels[suggestion] ?? String(suggestion)) : "";
  return (
    <Field
      id="r-recipient"
      label={t("rent-recipient")}
      labelClassName="text-base font-semibold"
      help={t("rent-recipientHint")}
      invalid={Boolean(error)}
      describedBy="r-recipient-status"
    >
      {(p) => (
        <>
          <Input
            {...p}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="T…"
            className="font-mono"
          />
          <div id="r-recipient-status" aria-live="polite" className="min-h-5 text-sm">
            {error ? (
              <p className="text-(--p-danger)">{error}</p>
            ) : suggestion && check?.ok ? (
              <p className="flex flex-wrap items-center gap-2" data-testid="energy-suggestion">
                {check.holdsUsdt ? t("rent-suggest-holder", { n }) : t("rent-suggest-empty", { n })}
                {energy !== String(suggestion) && (
                  <Button variant="outline" size="compact" onClick={() => onUseSuggestion(suggestion)}>
                    {t("rent-suggest-use", { n })}
                  </Button>
                )}
              </p>
            ) : null}
          </div>
        </>
      )}
    </Field>
  );
}

/** Step 2: how much energy — a preset or a custom amount; when the pool is short, offer its maximum. */
export function EnergyPicker({
  presets,
  choice,
  onChoice,
  custom,
  onCustom,
  error,
  maxOffer,
  energy,
  onTakeMax,
}: {
  presets: RentSetup["presets"];
  choice: string;
  onChoice: (v: string) => void;
  custom: string;
  onCustom: (v: string) => void;
  error?: string;
  maxOffer?: string;
  energy: string;
  onTakeMax: (max: string) => void;
}) {
  const t = useT("rent");
  return (
    <fieldset className="space-y-2">
      <legend className="text-base font-semibold">{t("rent-energy")}</legend>
      <div className="flex flex-wrap gap-2">
        {presets.map((p) => (
          <RadioChip
            key={p.value}
            name="energyChoice"
            value={String(p.value)}
            checked={choice === String(p.value)}
            onChange={() => onChoice(String(p.value))}
          >
            {p.label}
          </RadioChip>
        ))}
        <RadioChip
          name="energyChoice"
          value="custom"
          checked={choice === "custom"}
          onChange={() => onChoice("custom")}
        >
          {t("rent-custom")}
        </RadioChip>
      </div>
      {choice === "custom" && (
        <Field
          id="r-energy"
          label={t("rent-customEnergy")}
          invalid={Boolean(error)}
          describedBy={error ? "r-energy-err" : undefined}
        >
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={custom}
              onChange={(e) => onCustom(e.target.value)}
              className="tabular-nums"
            />
          )}
        </Field>
      )}
      {error && <FieldError id="r-energy-err">{error}</FieldError>}
      {error && maxOffer && maxOffer !== energy && (
        <Button
          variant="outline"
          size="compact"
          className="font-medium"
          onClick={() => onTakeMax(maxOffer)}
          data-testid="use-max-energy"
        >
          {t("rent-useMax", { max: formatInteger(BigInt(maxOffer)) })}
        </Button>
      )}
    </fieldset>
  );
}
