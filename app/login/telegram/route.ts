import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { failureCode, safeNext } from "../_next";

export const dynamic = "force-dynamic";

const FIELDS = ["id", "first_name", "last_name", "username", "photo_url", "auth_date", "hash"] as const;

// GET /login/telegram — the Telegram Login Widget's data-auth-url: verifies the signed profile on the
// server (lib/auth/telegram.ts) and signs in, or returns to /login with the reason.
export async function GET(req: Request) {
  const q = new URL(req.url).searchParams;
  const fields: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = q.get(f);
    if (v) fields[f] = v.slice(0, 2048);
  }
  const to = safeNext(q.get("next"));
  try {
    await signIn("telegram-widget", { ...fields, redirectTo: to });
  } catch (e) {
    if (e instanceof AuthError) {
      redirect(`/login?code=${failureCode((e as AuthError & { code?: string }).code)}`);
    }
    throw e;
  }
  redirect(to);
}
