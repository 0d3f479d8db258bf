import { Toaster } from "@/components/ui/toast";

/** This page raises toasts; the outlet lives here rather than in every portal page. */
export default function ToastingLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      {children}
      <Toaster />
    </>
  );
}
