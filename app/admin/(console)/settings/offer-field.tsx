"use client";

import { useState } from "react";
import { Field as UiField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Props = {
  label: string;
  /** The text field's name (transferOffers / packageOffers). */
  name: string;
  defaultValue: string;
  help?: string;
  /** The checkboxes' name: one per offer, its value the offer's key (what is written before "="). */
  tickName: string;
  /** "Sell below the floor". */
  tickLabel: string;
  /** Keys of the offers saved with the tick. */
  ticked: string[];
  /** Each saved offer's margin over the floor, by its text as the form shows it. */
  margins: Record<string, { text: string; below: boolean }>;
};

const items = (text: string) =>
  text
    .split(/[;\n]+/)
    .map((x) => x.trim().replace(/\s+/g, " "))
    .filter(Boolean);
const keyOf = (item: string) =>
  item
    .split("=")[0]
    .replace(/TRX|transfers?|,/gi, "")
    .trim();
const sameKey = (a: string, b: string) => a === b || (a !== "" && b !== "" && Number(a) === Number(b));

/**
 * A list of offers typed as text, with a "sell below the floor" tick for each offer as typed (so a
 * new offer can be ticked before it is first saved), and the margin over the floor of each saved
 * one. The server reads the ticks back by key (lib/admin/settings-form).
 */
export function OfferField({ label, name, defaultValue, help, tickName, tickLabel, ticked, margins }: Props) {
  const [text, setText] = useState(defaultValue);
  const offers = items(text);
  return (
    <div className="flex flex-col gap-1">
      <UiField label={label} help={help} size="sm" className={help ? "max-w-96" : undefined}>
        {(p) => (
          <Input
            {...p}
            size="sm"
            name={name}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            className="w-96"
          />
        )}
      </UiField>
      <ul className="flex flex-col gap-0.5 text-xs" data-testid={`${tickName}-list`}>
        {offers.map((item, i) => {
          const key = keyOf(item);
          const margin = margins[item];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the offers as typed, the same one possibly twice
            <li key={`${i}:${key}`} className="flex items-center gap-2">
              <label className="flex items-center gap-1">
                <input
                  type="checkbox"
                  name={tickName}
                  value={key}
                  defaultChecked={ticked.some((k) => sameKey(k, key))}
                />
                <span className="font-mono">{item}</span> — {tickLabel}
              </label>
              {margin && (
                <span className={margin.below ? "text-red-700" : "text-slate-500"}>{margin.text}</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
