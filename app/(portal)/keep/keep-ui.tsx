"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { changeKeepAction, createKeepAction } from "./actions";
import type { KeepFormState } from "./logic";

const newToken = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** The new-subscription form: field errors under their fields, typed values kept. */
export function NewKeepForm({ maxDays, defaultEnergy }: { maxDays: number; defaultEnergy: number }) {
  const t = useT("keep");
  const [state, action, pending] = useActionState<KeepFormState, FormData>(createKeepAction, {
    status: "idle",
  });
  const [token, setToken] = useState(newToken);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") {
      toast.success(state.message);
      form.current?.reset();
      setToken(newToken());
    } else if (state.status === "failed") toast.error(state.message);
  }, [state]);
  const fields = state.status === "invalid_data" ? state.fields : {};
  const values = state.status === "invalid_data" || state.status === "failed" ? (state.values ?? {}) : {};
  return (
    <form ref={form} action={action} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="keep-form">
      <input type="hidden" name="token" value={token} />
      <div className="sm:col-span-2">
        <Field id="k-address" label={t("keep-address")} error={fields.address}>
          {(p) => (
            <Input
              {...p}
              name="address"
              autoComplete="off"
              spellCheck={false}
              placeholder="T…"
              className="font-mono"
              defaultValue={values.address ?? ""}
              key={`a-${values.address ?? ""}`}
            />
          )}
        </Field>
      </div>
      <Field id="k-energy" label={t("keep-energy")} error={fields.energy}>
        {(p) => (
          <Input
            {...p}
            name="energy"
            inputMode="numeric"
            defaultValue={values.energy ?? String(defaultEnergy)}
            key={`e-${values.energy ?? ""}`}
          />
        )}
      </Field>
      <Field id="k-days" label={t("keep-days", { max: maxDays })} error={fields.days}>
        {(p) => (
          <Input
            {...p}
            name="days"
            inputMode="numeric"
            defaultValue={values.days ?? "7"}
            key={`d-${values.days ?? ""}`}
          />
        )}
      </Field>
      <Field id="k-budget" label={t("keep-budget")} error={fields.budget}>
        {(p) => (
          <Input
            {...p}
            name="budget"
            inputMode="decimal"
            defaultValue={values.budget ?? "50"}
            key={`b-${values.budget ?? ""}`}
          />
        )}
      </Field>
      <div className="flex items-end">
        <Button type="submit" disabled={pending}>
          {t("keep-start")}
        </Button>
      </div>
    </form>
  );
}

/** Pause / resume / cancel (cancel asks first). */
export function KeepActions({ id, status }: { id: number; status: string }) {
  const t = useT("keep");
  const [pending, start] = useTransition();
  const run = (action: "pause" | "resume" | "cancel") =>
    new Promise<void>((done) =>
      start(async () => {
        const f = new FormData();
        f.set("subscriptionId", String(id));
        f.set("action", action);
        const r = await changeKeepAction(f);
        if (r.status === "success") toast.success(r.message);
        else if (r.status === "failed") toast.error(r.message);
        done();
      }),
    );
  const live = status === "active" || status === "paused" || status === "exhausted";
  return (
    <div className="flex flex-wrap gap-2">
      {status === "active" && (
        <Button variant="outline" size="compact" disabled={pending} onClick={() => run("pause")}>
          {t("keep-pause")}
        </Button>
      )}
      {status === "paused" && (
        <Button variant="outline" size="compact" disabled={pending} onClick={() => run("resume")}>
          {t("keep-resume")}
        </Button>
      )}
      {live && (
        <ConfirmDialog
          trigger={
            <Button variant="outline" size="compact" disabled={pending} className="text-(--p-danger)">
              {t("keep-cancel")}
            </Button>
          }
          title={t("keep-cancel-title", { id })}
          description={t("keep-cancel-body")}
          confirmLabel={t("keep-cancel")}
          cancelLabel={t("common-cancel")}
          danger
          onConfirm={() => run("cancel")}
        />
      )}
    </div>
  );
}
