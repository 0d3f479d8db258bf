import { PortalToaster } from "@/app/_components/toaster";

/** This page raises toasts; the outlet lives here rather than in every portal page. */
export default function ToastingLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      {children}
      <PortalToaster />
    </>
  );
}
