import "server-only";
import { cookies } from "next/headers";
import { inviteCodeSchema, inviteStartParam } from "./codes";

/**
 * The portal's invite link `/r/<code>` keeps the code in this cookie (30 days, this site only, not
 * readable by scripts) until the visitor signs in; every portal sign-in that may create the account
 * (Login Widget, Mini App, development sign-in) hands it to the first-contact path as the same
 * `ref_<code>` the bot's deep link carries. Referral happens only there, on the account's creation.
 */
export const INVITE_COOKIE = "invite";
export const INVITE_COOKIE_MAX_AGE_S = 30 * 86_400;

/** `ref_<code>` from this request's invite cookie, or null (none, malformed, or outside a request). */
export async function invitedStartParam(): Promise<string | null> {
  let raw: string | undefined;
  try {
    raw = (await cookies()).get(INVITE_COOKIE)?.value;
  } catch {
    return null; // not inside a request
  }
  const code = inviteCodeSchema.safeParse(raw);
  return code.success ? inviteStartParam(code.data) : null;
}
