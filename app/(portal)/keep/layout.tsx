import { Toaster } from "@/components/ui/toast";
import { PageMessages } from "../_lib/page-messages";

/** The keep-energy page's client messages and its toast outlet. */
export default function KeepLayout({ children }: { children: React.ReactNode }) {
  return (
    <PageMessages scope="keep">
      {children}
      <Toaster />
    </PageMessages>
  );
}
