"use client";

import { useActionState, useRef } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field as UiField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { type ActionState, idle } from "./action-state";

type Props = {
  action: (state: ActionState, fd: FormData) => Promise<ActionState>;
  children?: React.ReactNode;
  submit: string;
  /** Hidden inputs (ids) the action needs. */
  hidden?: Record<string, string | number>;
  danger?: boolean;
  /** Ask first, in the confirm dialog (its confirm button repeats `submit`). */
  confirm?: { question: string; cancel: string };
  className?: string;
  testId?: string;
};

/** A form bound to an admin server action: pending state, inline errors, success message. */
export function ActionForm({ action, children, submit, hidden, danger, confirm, className, testId }: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  const form = useRef<HTMLFormElement>(null);
  const button = (
    <Button
      type={confirm ? "button" : "submit"}
      disabled={pending}
      variant={danger ? "danger" : "dark"}
      size="sm"
      className="disabled:opacity-50"
    >
      {pending ? "…" : submit}
    </Button>
  );
  return (
    <form
      ref={form}
      action={formAction}
      className={className ?? "flex flex-wrap items-end gap-2"}
      data-testid={testId}
    >
      {hidden &&
        Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={String(v)} />)}
      {children}
      {confirm ? (
        <ConfirmDialog
          trigger={button}
          title={confirm.question}
          confirmLabel={submit}
          cancelLabel={confirm.cancel}
          danger={danger}
          onConfirm={() => form.current?.requestSubmit()}
        />
      ) : (
        button
      )}
      {state.status === "failed" && (
        <p role="alert" className="w-full text-sm text-red-700">
          {state.message}
          {state.detail && <span className="block text-xs">{state.detail}</span>}
          {state.fields &&
            Object.entries(state.fields).map(([k, v]) => (
              <span key={k} className="block text-xs">
                {k}: {v}
              </span>
            ))}
        </p>
      )}
      {state.status === "success" && (
        <p role="status" className="w-full text-sm text-green-700">
          {state.message}
        </p>
      )}
    </form>
  );
}

/** A labelled console input (dense); `help` and the bounds hint sit between label and input. */
export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  required,
  placeholder,
  help,
  inputMode,
  width = "w-48",
}: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string | number;
  required?: boolean;
  placeholder?: string;
  help?: React.ReactNode;
  inputMode?: React.HTMLAttributes<HTMLInputElement>["inputMode"];
  width?: string;
}) {
  return (
    <UiField label={label} help={help} size="sm" className={help ? "max-w-72" : undefined}>
      {(p) => (
        <Input
          {...p}
          size="sm"
          name={name}
          type={type}
          defaultValue={defaultValue}
          required={required}
          placeholder={placeholder}
          inputMode={inputMode}
          autoComplete="off"
          className={width}
        />
      )}
    </UiField>
  );
}
