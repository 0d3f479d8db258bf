import { getInviteSummary } from "@/lib/referrals";
import { portalContext } from "../../_lib/context";
import { InviteView } from "./invite-view";

export const dynamic = "force-dynamic";

/** /account/invite: the signed-in user's invite links, terms, invitees (masked) and earnings. */
export default async function InvitePage() {
  const { user, t, locale, tz } = await portalContext();
  const summary = await getInviteSummary(user.id, 20);
  return <InviteView s={summary} t={t} locale={locale} tz={tz} />;
}
