import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Text inputs and selects share one look; `aria-invalid` turns the border red. */
const controlVariants = cva(
  "rounded-md border border-slate-300 bg-white text-slate-900 aria-[invalid=true]:border-rose-500 focus-visible:outline-2 focus-visible:outline-[var(--p-btn,var(--color-brand-600))] disabled:bg-slate-50 disabled:text-slate-500",
  {
    variants: {
      size: {
        /** Full width, 44 px high (portal, sign-in). */
        md: "block min-h-11 w-full px-3 text-base",
        /** Dense (admin console); width set by the caller. */
        sm: "px-2 py-1.5 text-sm",
      },
    },
    defaultVariants: { size: "md" },
  },
);

type ControlSize = VariantProps<typeof controlVariants>["size"];

export function Input({
  className,
  size,
  ...props
}: Omit<ComponentProps<"input">, "size"> & { size?: ControlSize }) {
  return <input className={cn(controlVariants({ size }), className)} {...props} />;
}

export function Select({
  className,
  size,
  ...props
}: Omit<ComponentProps<"select">, "size"> & { size?: ControlSize }) {
  return <select className={cn(controlVariants({ size }), className)} {...props} />;
}
