import { PortalToaster } from "@/app/_components/toaster";

/** This page raises toasts; the outlet lives here rather than in every portal page (issue #7). */
export default function ToastingLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      {children}
      <PortalToaster />
    </>
  );
}
