import { inviteCodeSchema } from "@/lib/referrals";
import { INVITE_COOKIE, INVITE_COOKIE_MAX_AGE_S } from "@/lib/referrals/invite-cookie";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * GET /r/<code> — a user's portal invite link: keeps the code for the sign-in that creates the
 * visitor's account (lib/referrals/invite-cookie) and opens the sign-in page. A malformed code is
 * dropped (the visitor still lands on the sign-in page); an unknown one refers no one at sign-in.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ code: string }> }) {
  const code = inviteCodeSchema.safeParse((await params).code);
  const headers = new Headers({ location: "/login", "cache-control": "no-store" });
  if (code.success) {
    const secure = new URL(env.APP_URL).protocol === "https:" ? "; Secure" : "";
    headers.append(
      "set-cookie",
      `${INVITE_COOKIE}=${code.data}; Path=/; Max-Age=${INVITE_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure}`,
    );
  }
  return new Response(null, { status: 303, headers });
}
