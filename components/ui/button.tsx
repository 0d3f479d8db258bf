import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";

/**
 * Button looks. The portal's colours come from its theme tokens (Telegram's inside the Mini App); outside
 * the portal the same variables fall back to the brand palette.
 */
export const buttonVariants = cva(
  "inline-flex items-center justify-center gap-1.5 rounded-md disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--p-btn,var(--color-brand-600))]",
  {
    variants: {
      variant: {
        /** The one main action of a form. */
        primary: "bg-[var(--p-btn,var(--color-brand-600))] font-semibold text-[var(--p-btn-text,#fff)]",
        /** Secondary actions (cancel, retry, rename…). */
        outline: "border border-slate-300 hover:bg-slate-100",
        /** Destructive actions, usually behind a confirm dialog. */
        danger: "bg-rose-700 font-semibold text-white hover:bg-rose-800",
        /** The admin console's plain action. */
        dark: "bg-slate-800 font-medium text-white hover:bg-slate-900",
      },
      size: {
        /** 44 px touch target (portal). */
        md: "min-h-11 px-4",
        /** 44 px touch target, smaller text (portal secondary actions). */
        compact: "min-h-11 px-3 text-sm",
        /** Dense tables and forms (admin console). */
        sm: "min-h-9 px-3 py-1.5 text-sm",
      },
    },
    defaultVariants: { variant: "primary", size: "md" },
  },
);

type ButtonProps = ComponentProps<"button"> & VariantProps<typeof buttonVariants>;

export function Button({ className, variant, size, type = "button", ...props }: ButtonProps) {
  return <button type={type} className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}
