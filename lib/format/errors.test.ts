import { describe, expect, it } from "vitest";
import { localizeError } from "@/app/(portal)/_lib/errors";
import { adminFailure } from "@/app/admin/_components/errors";
import { businessError } from "@/lib/bot/errors";
import { tr } from "@/lib/bot/i18n";
import { AppError, errorCodes } from "@/lib/errors";
import { type MessageKey, translator } from "@/lib/i18n";
import { getCatalog } from "@/lib/i18n/catalog";
import { locales } from "@/lib/locale";
import { ADDRESS_REFUSALS } from "@/lib/tron/address";
import { addressReasonKey, errorCatalogue, errorKey, surfaces } from "./errors";

/** Dummy values for every variable a message may name, so a missing message is not mistaken for one. */
const VARS = { ref: "r1", min: "1", max: "2", energy: "3" };

/** The message's text on that surface: undefined when its catalogue (that surface's .ftl file) lacks it. */
function text(surface: (typeof surfaces)[number], locale: (typeof locales)[number], key: string) {
  if (getCatalog()[locale].entries.get(key)?.surface !== surface) return undefined;
  return translator(locale)(key as MessageKey, VARS);
}

describe("error catalogue", () => {
  it("a missing message is noticed on every surface", () => {
    for (const surface of surfaces) expect(text(surface, "en", "no-such.key")).toBeUndefined();
  });

  it("covers every ErrorCode", () => {
    expect(Object.keys(errorCatalogue).sort()).toEqual([...errorCodes].sort());
  });

  it("every code and variant has a message in every locale on every surface", () => {
    const missing: string[] = [];
    for (const code of errorCodes) {
      const variants = [null, ...Object.keys(errorCatalogue[code].variants ?? {})];
      for (const surface of surfaces)
        for (const variant of variants)
          for (const locale of locales) {
            const key = errorKey(surface, code, variant);
            const s = text(surface, locale, key);
            if (!s?.trim())
              missing.push(`${surface}/${locale}/${code}${variant ? `.${variant}` : ""}: ${key}`);
          }
    }
    for (const reason of ADDRESS_REFUSALS)
      for (const surface of surfaces)
        for (const locale of locales) {
          const key = addressReasonKey(surface, reason);
          if (!text(surface, locale, key)?.trim())
            missing.push(`${surface}/${locale}/address ${reason}: ${key}`);
        }
    expect(missing).toEqual([]);
  });

  it("zh and en say different things (no untranslated copy)", () => {
    for (const code of errorCodes)
      for (const surface of surfaces) {
        const key = errorKey(surface, code);
        expect(text(surface, "zh", key), `${surface} ${code}`).not.toBe(text(surface, "en", key));
      }
  });
});

describe("the surfaces read the catalogue", () => {
  it("bot: every code but internal has words; internal is rethrown for the reference message", () => {
    expect(businessError("zh", new AppError("busy", "busy"))).toBe(tr("zh", "err-busy"));
    expect(businessError("en", new AppError("rate_limited", "slow down"))).toBe(tr("en", "rate-limited"));
    expect(businessError("en", new AppError("unauthorized", "x"))).toContain("/start");
    expect(businessError("en", new AppError("internal", "boom"))).toBeNull();
    expect(businessError("en", new Error("boom"))).toBeNull();
    expect(
      businessError("en", new AppError("invalid_address", "bad", { details: { reason: "bad_checksum" } })),
    ).toBe(tr("en", "addr-bad-checksum"));
  });

  it("portal: a chain error says the network did not answer, in the user's language", () => {
    for (const locale of locales) {
      const t = translator(locale);
      expect(localizeError(new AppError("chain_error", "node said no"), t).message).toBe(
        t("error-provider_unavailable"),
      );
    }
  });

  it("portal: the API key limit is said in the user's language, with the limit", () => {
    const e = new AppError("invalid_state", "You can have at most 5 active keys; revoke one first.", {
      details: { reason: "key_limit", max: 5 },
    });
    expect(localizeError(e, translator("zh")).message).toBe("最多可有 5 个有效的 API 密钥，请先撤销一个。");
    expect(localizeError(e, translator("en")).message).toBe(
      "You can have at most 5 active API keys. Revoke one first.",
    );
  });

  it("admin: the catalogue's sentence in the console's language, the library's sentence as detail", () => {
    const zh = adminFailure(new AppError("not_found", "Admin not found."), "zh");
    expect(zh).toMatchObject({
      status: "failed",
      code: "not_found",
      message: "未找到。",
      detail: "Admin not found.",
    });
    const en = adminFailure(new AppError("not_found", "Not found."), "en");
    expect(en.message).toBe("Not found.");
    expect(en.detail).toBeUndefined();
    const internal = adminFailure(new Error("password=hunter2"), "en");
    expect(internal).toMatchObject({ code: "internal", message: translator("en")("admin-error-internal") });
    expect(JSON.stringify(internal)).not.toContain("hunter2");
  });
});
