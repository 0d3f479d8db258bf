import type { ReactNode } from "react";

const chip =
  "inline-flex min-h-11 items-center rounded-full border px-4 text-sm tabular-nums has-[:checked]:border-(--p-btn) has-[:checked]:bg-(--p-btn) has-[:checked]:text-(--p-btn-text) has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-(--p-btn) border-slate-300 cursor-pointer";

/** A radio button drawn as a pill (energy presets, durations). */
export function RadioChip({
  name,
  value,
  checked,
  onChange,
  children,
}: {
  name: string;
  value: string;
  checked: boolean;
  onChange: () => void;
  children: ReactNode;
}) {
  return (
    <label className={chip}>
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        onChange={onChange}
        className="sr-only"
      />
      {children}
    </label>
  );
}
