"use client";

import { useT } from "@/app/_components/i18n-provider";
import { FieldError } from "@/components/ui/field";
import { RadioChip } from "./chip";
import type { RentSetup } from "./rent-form";

/** Step 3: how long. */
export function DurationPicker({
  durations,
  value,
  onChange,
  error,
}: {
  durations: RentSetup["durations"];
  value: string;
  onChange: (key: string) => void;
  error?: string;
}) {
  const t = useT("rent");
  return (
    <fieldset className="space-y-2">
      <legend className="text-base font-semibold">{t("rent-duration")}</legend>
      <div className="flex flex-wrap gap-2">
        {durations.map((d) => (
          <RadioChip
            key={d.key}
            name="durationChoice"
            value={d.key}
            checked={value === d.key}
            onChange={() => onChange(d.key)}
          >
            {d.label}
          </RadioChip>
        ))}
      </div>
      {error && <FieldError>{error}</FieldError>}
    </fieldset>
  );
}
