import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A table that scrolls sideways on narrow screens instead of overflowing the page. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table className={cn("w-full text-left text-sm", className)} {...props} />
    </div>
  );
}

export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("text-slate-500", className)} {...props} />;
}

export function TableBody(props: ComponentProps<"tbody">) {
  return <tbody {...props} />;
}

export function TableRow(props: ComponentProps<"tr">) {
  return <tr {...props} />;
}

const cellVariants = cva("", {
  variants: {
    /** md: the portal's roomy rows; sm: the console's dense ones. */
    size: { md: "px-3 py-2", sm: "px-2 py-1" },
    /** Right-aligned (amounts). */
    end: { true: "text-right", false: "" },
  },
  defaultVariants: { size: "md", end: false },
});
type CellVariants = VariantProps<typeof cellVariants>;

export function TableHead({ className, size, end, ...props }: ComponentProps<"th"> & CellVariants) {
  return <th scope="col" className={cn(cellVariants({ size, end }), "font-medium", className)} {...props} />;
}

export function TableCell({ className, size, end, ...props }: ComponentProps<"td"> & CellVariants) {
  return <td className={cn(cellVariants({ size, end }), className)} {...props} />;
}
