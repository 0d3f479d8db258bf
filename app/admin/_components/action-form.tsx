"use client";

import { useActionState } from "react";
import { type ActionState, idle } from "./action-state";

type Props = {
  action: (state: ActionState, fd: FormData) => Promise<ActionState>;
  children?: React.ReactNode;
  submit: string;
  /** Hidden inputs (ids) the action needs. */
  hidden?: Record<string, string | number>;
  danger?: boolean;
  confirm?: string;
  className?: string;
  testId?: string;
};

/** A form bound to an admin server action: pending state, inline errors, success message. */
export function ActionForm({ action, children, submit, hidden, danger, confirm, className, testId }: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form
      action={formAction}
      className={className ?? "flex flex-wrap items-end gap-2"}
      data-testid={testId}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
    >
      {hidden &&
        Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={String(v)} />)}
      {children}
      <button
        type="submit"
        disabled={pending}
        className={`min-h-9 rounded-md px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 ${
          danger ? "bg-red-600 hover:bg-red-700" : "bg-slate-800 hover:bg-slate-900"
        }`}
      >
        {pending ? "…" : submit}
      </button>
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

export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  required,
  placeholder,
  width = "w-48",
}: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string | number;
  required?: boolean;
  placeholder?: string;
  width?: string;
}) {
  return (
    <label className="flex flex-col gap-1 text-xs text-slate-600">
      {label}
      <input
        name={name}
        type={type}
        defaultValue={defaultValue}
        required={required}
        placeholder={placeholder}
        autoComplete="off"
        className={`${width} rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900`}
      />
    </label>
  );
}
