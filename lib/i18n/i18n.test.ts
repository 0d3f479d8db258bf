import { describe, expect, it } from "vitest";
import { durationLabel, resolveLocale, translator } from "./index";
import { en, zh } from "./messages";

describe("i18n", () => {
  it("zh and en have exactly the same keys, none empty", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const v of [...Object.values(en), ...Object.values(zh)]) expect(v.trim()).not.toBe("");
  });

  it("uses the same placeholders in both languages", () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(ph(zh[k])).toEqual(ph(en[k]));
  });

  it("chooses Chinese first for zh* browsers, unless a choice was made", () => {
    expect(resolveLocale(undefined, "zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(resolveLocale(undefined, "zh-TW")).toBe("zh");
    expect(resolveLocale(undefined, "en-US,en;q=0.9,zh;q=0.8")).toBe("en");
    expect(resolveLocale(undefined, "fr-FR,zh;q=0.5")).toBe("zh");
    expect(resolveLocale(undefined, undefined)).toBe("en");
    expect(resolveLocale("en", "zh-CN")).toBe("en");
    expect(resolveLocale("xx", "zh-CN")).toBe("zh");
  });

  it("Chinese copy uses full-width punctuation after Chinese text (余额：, not 余额: )", () => {
    const ascii = /\p{Script=Han}[:;,!?]/u;
    for (const [k, v] of Object.entries(zh)) expect(ascii.test(v), `${k}: ${v}`).toBe(false);
  });

  it("fills placeholders and labels durations", () => {
    const t = translator("zh");
    expect(t("energy.amount", { n: "131,000" })).toBe("131,000 能量");
    expect(durationLabel(t, "3d")).toBe("3天");
    expect(durationLabel(translator("en"), "1h", true)).toBe("1 h");
  });
});

describe("address refusal copy", () => {
  it("every reason lib/tron can give has a portal message in both languages", async () => {
    const { ADDRESS_REFUSALS } = await import("@/lib/tron/address");
    for (const r of ADDRESS_REFUSALS) {
      expect(en, r).toHaveProperty([`address.${r}`]);
      expect(zh, r).toHaveProperty([`address.${r}`]);
    }
  });
});
