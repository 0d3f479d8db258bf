"use client";

import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useActionState, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { batchFormAction } from "./actions";
import type { BatchFormState } from "./logic";

export type BatchSetup = {
  durations: { key: string; label: string }[];
  maxLines: number;
};

const newKey = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** The largest file read into the list (the server reads at most 64,000 characters of it). */
const MAX_FILE_BYTES = 64_000;

/**
 * Batch order: paste (or load from a CSV file) `address, energy, duration` lines, with one energy
 * and duration for lines that leave them out → Preview (per-line quote and errors, the total
 * against the balance) → Confirm. Editing anything after a preview asks for a new one.
 */
export function BatchForm({ setup }: { setup: BatchSetup }) {
  const t = useT("batch");
  const [state, action, pending] = useActionState<BatchFormState, FormData>(batchFormAction, {
    status: "idle",
  });
  const [list, setList] = useState("");
  const [energy, setEnergy] = useState("");
  const [duration, setDuration] = useState(setup.durations[0]?.key ?? "");
  const [idemKey, setIdemKey] = useState(newKey);
  const [fileError, setFileError] = useState<string | null>(null);

  const preview = state.status === "preview" ? state : null;
  const fresh =
    preview !== null &&
    preview.list === list.replace(/\r\n?/g, "\n") &&
    preview.energy === energy.trim() &&
    preview.duration === duration;

  async function onFile(file: File | undefined) {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileError(t("batch-too-long"));
      return;
    }
    setList(await file.text());
    setIdemKey(newKey());
  }

  return (
    <form action={action} className="space-y-4" data-testid="batch-form">
      <input
        type="hidden"
        name="idempotencyKey"
        value={preview && fresh ? preview.idempotencyKey : idemKey}
      />
      <Field label={t("batch-list")} help={t("batch-list-help", { max: String(setup.maxLines) })}>
        {(p) => (
          <textarea
            {...p}
            name="list"
            rows={8}
            value={list}
            onChange={(e) => {
              setList(e.target.value);
              setIdemKey(newKey());
            }}
            spellCheck={false}
            placeholder={"TXyz…, 65000, 1h\nTAbc…, 131k, 1d"}
            className="block w-full rounded-md border border-slate-300 bg-white p-3 font-mono text-sm"
            data-testid="batch-list"
          />
        )}
      </Field>
      <Field label={t("batch-file")} error={fileError ?? undefined}>
        {(p) => (
          <input
            {...p}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            onChange={(e) => onFile(e.target.files?.[0])}
            className="text-sm"
            data-testid="batch-file"
          />
        )}
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("batch-default-energy")}>
          {(p) => (
            <Input
              {...p}
              name="energy"
              inputMode="numeric"
              value={energy}
              onChange={(e) => setEnergy(e.target.value)}
              placeholder="65000"
              data-testid="batch-energy"
            />
          )}
        </Field>
        <Field label={t("batch-default-duration")}>
          {(p) => (
            <Select
              {...p}
              name="duration"
              value={duration}
              onChange={(e) => setDuration(e.target.value)}
              data-testid="batch-duration"
            >
              {setup.durations.map((d) => (
                <option key={d.key} value={d.key}>
                  {d.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Button
        type="submit"
        name="intent"
        value="preview"
        variant={fresh ? "outline" : "primary"}
        disabled={pending}
        data-testid="batch-preview"
      >
        {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
        {t("batch-preview")}
      </Button>

      {state.status === "failed" && (
        <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-rose-900">
          {state.message}
        </p>
      )}

      {preview && (
        <section className="space-y-3" aria-live="polite" data-testid="batch-review">
          <h2 className="text-lg font-semibold">{t("batch-review")}</h2>
          <ol className="space-y-2">
            {preview.preview.lines.map((l) => (
              <li
                key={l.lineNo}
                data-testid="batch-review-line"
                data-status={l.status}
                className={`rounded-lg border p-3 text-sm tabular-nums ${
                  l.error ? "border-rose-200 bg-rose-50" : "border-slate-200 bg-(--p-card)"
                }`}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="min-w-0 font-mono break-all">
                    {l.lineNo}. {l.receiver || "—"}
                  </span>
                  <span className="font-medium">{l.price ?? l.statusLabel}</span>
                </div>
                <div className="text-slate-600">
                  {l.energy || "—"} · {l.duration || "—"}
                </div>
                {l.error && <p className="text-rose-800">{l.error}</p>}
              </li>
            ))}
          </ol>
          <div className="space-y-1 rounded-lg border border-slate-200 bg-(--p-card) p-3 tabular-nums">
            <p className="font-semibold" data-testid="batch-total">
              {t("batch-total", {
                count: String(preview.preview.validCount),
                energy: preview.preview.totalEnergy,
                price: preview.preview.total,
              })}
            </p>
            <p className="text-sm text-slate-600">
              {t("batch-balance", { balance: preview.preview.balance })}
            </p>
            {preview.preview.invalidCount > 0 && (
              <p className="text-sm text-rose-800">
                {t("batch-invalid-count", { count: String(preview.preview.invalidCount) })}
              </p>
            )}
            {preview.preview.short && (
              <p className="text-sm text-amber-800">
                {t("batch-short")}{" "}
                <Link href="/topup" className="underline">
                  {t("batch-topup")}
                </Link>
              </p>
            )}
          </div>
          {!fresh ? (
            <p className="text-sm text-amber-800">{t("batch-changed")}</p>
          ) : preview.preview.validCount === 0 ? (
            <p className="text-sm text-rose-800">{t("batch-none-valid")}</p>
          ) : (
            <Button
              type="submit"
              name="intent"
              value="confirm"
              disabled={pending}
              data-testid="batch-confirm"
            >
              {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
              {t("batch-confirm", {
                count: String(preview.preview.validCount),
                price: preview.preview.total,
              })}
            </Button>
          )}
        </section>
      )}
    </form>
  );
}
