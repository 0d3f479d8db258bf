import { Toaster } from "@/components/ui/toast";
import { PageMessages } from "../_lib/page-messages";

/**
 * This page raises toasts; the outlet lives here rather than in every portal page. Its
 * client components read the wallets' messages.
 */
export default function WalletsLayout({ children }: { children: React.ReactNode }) {
  return (
    <PageMessages scope="wallets">
      {children}
      <Toaster />
    </PageMessages>
  );
}
