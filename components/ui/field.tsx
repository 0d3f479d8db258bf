import { cva, type VariantProps } from "class-variance-authority";
import { type ReactNode, useId } from "react";
import { cn } from "./cn";

/** What a field hands its control: the id its label points at, and the accessibility wiring. */
type FieldControlProps = {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

const fieldVariants = cva("flex flex-col", {
  variants: { size: { md: "gap-1", sm: "gap-1" } },
  defaultVariants: { size: "md" },
});
const labelVariants = cva("", {
  variants: { size: { md: "text-sm font-medium", sm: "text-xs text-slate-600" } },
  defaultVariants: { size: "md" },
});
const helpVariants = cva("text-slate-500", {
  variants: { size: { md: "text-sm", sm: "text-xs" } },
  defaultVariants: { size: "md" },
});

type FieldProps = VariantProps<typeof fieldVariants> & {
  label: ReactNode;
  /** The control's id; one is made up when omitted. */
  id?: string;
  /** Help shown between the label and the control, read out with it. */
  help?: ReactNode;
  /** The field's error: shown under the control, marks it invalid and is read out with it. */
  error?: ReactNode;
  /** More ids describing the control (a live status line of the caller's own). */
  describedBy?: string;
  /** Marks the control invalid when its error is shown elsewhere (in that status line). */
  invalid?: boolean;
  /** The label is for screen readers only. */
  hideLabel?: boolean;
  className?: string;
  labelClassName?: string;
  children: (control: FieldControlProps) => ReactNode;
};

/**
 * Label + control + help and error text, wired together: the label's `htmlFor`, the control's
 * `aria-invalid` and `aria-describedby` (help, then error). The control is rendered by `children`
 * with those props, so any input, select or textarea fits.
 */
export function Field({
  label,
  id,
  help,
  error,
  describedBy,
  invalid,
  hideLabel,
  size,
  className,
  labelClassName,
  children,
}: FieldProps) {
  const made = useId();
  const controlId = id ?? made;
  const helpId = help ? `${controlId}-help` : undefined;
  const errorId = error ? `${controlId}-err` : undefined;
  const described = [helpId, errorId, describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn(fieldVariants({ size }), className)}>
      <label
        htmlFor={controlId}
        className={cn(labelVariants({ size }), hideLabel && "sr-only", labelClassName)}
      >
        {label}
      </label>
      {help && (
        <p id={helpId} className={helpVariants({ size })}>
          {help}
        </p>
      )}
      {children({
        id: controlId,
        "aria-invalid": error || invalid ? true : undefined,
        "aria-describedby": described,
      })}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

/** An error line (role="alert"), in the portal's danger colour. */
export function FieldError({
  id,
  className,
  children,
}: {
  id?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <p id={id} role="alert" className={cn("text-sm text-[var(--p-danger,var(--color-rose-700))]", className)}>
      {children}
    </p>
  );
}
