import { Toaster } from "sonner";

/**
 * The toast outlet, rendered only by the pages that raise toasts (wallets, API keys), so sonner's
 * script and styles are not in every portal page's first load.
 */
export function PortalToaster() {
  return <Toaster position="top-center" richColors closeButton />;
}
