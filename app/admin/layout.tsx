import type { Metadata } from "next";

export const metadata: Metadata = {
  title: "Admin · TRON Energy Helper",
  robots: { index: false, follow: false },
};

/** The admin console (own sign-in, own sessions); pages live in (console) and sign-in. */
export default function AdminRootLayout({ children }: { children: React.ReactNode }) {
  return <div className="min-h-screen bg-slate-100">{children}</div>;
}
