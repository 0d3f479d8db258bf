import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "@/app/_components/i18n-provider";
import { clientMessages } from "@/lib/i18n/client-messages";
import { translator } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import { findOrCreateTelegramUser } from "@/lib/users";
import { getInviteSummary, inviteStartParam, type InviteSummary } from "@/lib/referrals";
import { updateSettings } from "@/lib/settings";
import { InviteView } from "./invite-view";

let tgId = 6_300_000_000 + Math.floor(Math.random() * 100_000_000);

function render(s: InviteSummary, locale: Locale) {
  return renderToStaticMarkup(
    <I18nProvider locale={locale} messages={clientMessages(locale)}>
      <InviteView s={s} t={translator(locale)} locale={locale} tz="UTC" />
    </I18nProvider>,
  );
}

describe("portal invite page", () => {
  it("shows the user's links, terms, invitees masked and earnings, in both languages", async () => {
    await updateSettings({ referral: { commissionBps: 250, windowDays: 90 } });
    try {
      const { user: me } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Mia" });
      for (const first_name of ["Zhang San", "Oliver"])
        await findOrCreateTelegramUser(
          { id: ++tgId, first_name },
          { startParam: inviteStartParam(me.referralCode) },
        );
      const s = await getInviteSummary(me.id);
      const en = render(s, "en");
      expect(en).toContain(`/r/${me.referralCode}`);
      expect(en).toContain(translator("en")("referral-intro", { rate: "2.5%" }));
      expect(en).toContain(translator("en")("referral-window", { days: "90" }));
      expect(en).toContain('data-testid="invite-count">2<');
      expect(en).toContain('data-testid="invite-earned">0 TRX<');
      expect(en).toContain("O•••");
      expect(en).toContain("Z•••");
      expect(en).not.toContain("Oliver");
      expect(en).not.toContain("Zhang");
      const zh = render(s, "zh");
      expect(zh).toContain("邀请好友");
      expect(zh).toContain(translator("zh")("referral-intro", { rate: "2.5%" }));
      expect(zh).toContain("复制");
    } finally {
      await updateSettings({ referral: { commissionBps: 0, windowDays: 0 } });
    }
  });

  it("with no invitees and commissions off it says so", async () => {
    const { user: me } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Noa" });
    const html = render(await getInviteSummary(me.id), "en");
    expect(html).toContain(translator("en")("referral-off"));
    expect(html).toContain(translator("en")("referral-none"));
  });
});
