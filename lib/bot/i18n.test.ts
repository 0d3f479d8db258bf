import { describe, expect, it } from "vitest";
import { type BotKey, translator } from "@/lib/i18n";
import { orderStatus } from "@/db/schema";
import { cb } from "./callback-data";
import { BOT_LOCALES, tr } from "./i18n";
import { statusLabel } from "./views";

describe("bot catalogs", () => {
  it("renders without isolation marks and with variables in both languages", () => {
    for (const l of BOT_LOCALES) {
      const t = tr(l, "menu-balance", { amount: "20.5 TRX" });
      expect(t).toContain("<b>20.5 TRX</b>");
      expect(t).not.toMatch(/[\u2068\u2069]/);
    }
    expect(tr("zh", "bot-rent-energy", { energy: "131,000" })).toBe("能量：<b>131,000 能量</b>");
  });

  it("labels every order status in both languages", () => {
    for (const l of BOT_LOCALES)
      for (const s of orderStatus.enumValues) {
        const label = statusLabel(l, s);
        expect(label, `${l}: ${s}`).not.toMatch(/status/);
        expect(label.trim(), `${l}: ${s}`).not.toBe("");
      }
  });

  it("every callback data definition fits in 64 bytes with long ids", () => {
    for (const def of Object.values(cb)) {
      const n = (def.filter.source.match(/\(\[\^:\]\*\)/g) ?? []).length;
      const args = Array.from({ length: n }, () => "123456789012345678");
      const data = (def.pack as (...a: string[]) => string)(...args);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(def.unpack(data)).not.toBeNull();
    }
  });
});

describe("tr", () => {
  it("a message without variables is the same from the kept copy, per locale", () => {
    for (const key of ["btn-rent", "menu-title", "btn-menu"] as BotKey[]) {
      for (const l of BOT_LOCALES) {
        expect(tr(l, key)).toBe(translator(l)(key));
        expect(tr(l, key)).toBe(translator(l)(key));
      }
      expect(tr("en", key)).not.toBe(tr("zh", key));
    }
    expect(tr("en", "menu-balance", { amount: "1" })).toContain("1");
    expect(tr("en", "menu-balance", { amount: "2" })).toContain("2");
  });
});
