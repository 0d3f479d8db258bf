import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A bordered panel (the portal's card colour, white elsewhere). */
export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section
      className={cn("rounded-lg border border-slate-200 bg-[var(--p-card,#fff)] p-4", className)}
      {...props}
    />
  );
}

export function CardTitle({ className, ...props }: ComponentProps<"h2">) {
  return <h2 className={cn("font-semibold", className)} {...props} />;
}
