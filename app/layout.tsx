import type { Metadata, Viewport } from "next";
import { getRequestLocale } from "@/lib/i18n/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getRequestLocale();
  return { title: t("app-name"), description: t("app-tagline") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#c8102e" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale } = await getRequestLocale();
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
