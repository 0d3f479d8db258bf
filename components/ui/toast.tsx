"use client";

import { Toaster as Sonner, toast } from "sonner";

/** Raise a toast: `toast.success("Saved")`, `toast.error(message)`, with an optional `action` (undo). */
export { toast };

/**
 * The toast outlet. Render it only on pages that raise toasts, so sonner's script and styles stay out of
 * every other page's first load.
 */
export function Toaster() {
  return <Sonner position="top-center" richColors closeButton />;
}
