import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorCatalogue, surfaces as errorSurfaces } from "@/lib/format/errors";
import { locales } from "@/lib/locale";
import { ADDRESS_REFUSALS } from "@/lib/tron/address";
import { getCatalog, LOCALES_DIR, loadCatalog, surfaces, variablesOf } from "./catalog";
import { durationLabel, type MessageKey, resolveLocale, translator } from "./index";
import { KEYS_FILE, keysSource } from "./keys";

/** Dummy values for a message's variables, so a missing variable shows as "{$name}". */
function dummyVars(locale: (typeof locales)[number], id: string): Record<string, string> {
  return Object.fromEntries((variablesOf(locale, id) ?? []).map((v) => [v, `<${v}>`]));
}

function idsOf(locale: (typeof locales)[number], surface: (typeof surfaces)[number]): string[] {
  return [...getCatalog()[locale].entries.values()].filter((e) => e.surface === surface).map((e) => e.id);
}

describe("catalogues: completeness", () => {
  it("every surface has the same ids in both locales", () => {
    for (const surface of surfaces) {
      const en = idsOf("en", surface);
      expect(en.length, surface).toBeGreaterThan(50);
      for (const l of locales) expect(idsOf(l, surface).sort(), `${l}/${surface}`).toEqual([...en].sort());
    }
  });

  it("every message names the same variables in both locales, and none is empty", () => {
    for (const e of getCatalog().en.entries.values()) {
      const vars = variablesOf("en", e.id);
      for (const l of locales) {
        expect(variablesOf(l, e.id), `${l}: ${e.id}`).toEqual(vars);
        const text = translator(l)(e.id as MessageKey, dummyVars(l, e.id));
        expect(text.trim(), `${l}: ${e.id}`).not.toBe("");
        expect(text, `${l}: ${e.id}`).not.toContain("{$");
        expect(text, `${l}: ${e.id}`).not.toMatch(/[\u2068\u2069]/);
      }
    }
  });

  it("every entry of the error catalogue resolves in both locales, on every surface", () => {
    for (const [code, entry] of Object.entries(errorCatalogue))
      for (const s of errorSurfaces) {
        const ids = [entry[s], ...Object.values(entry.variants ?? {}).map((v) => v[s])].filter(Boolean);
        for (const id of ids)
          for (const l of locales)
            expect(getCatalog()[l].entries.get(id as string)?.surface, `${l}/${s}: ${code} → ${id}`).toBe(s);
      }
  });

  it("every reason lib/tron can give for refusing an address has a bot and a portal message", () => {
    for (const l of locales)
      for (const r of ADDRESS_REFUSALS) {
        expect(getCatalog()[l].entries.has(`addr-${r.replace(/_/g, "-")}`), `${l}: bot ${r}`).toBe(true);
        expect(getCatalog()[l].entries.has(`address-${r}`), `${l}: portal ${r}`).toBe(true);
      }
  });

  it("Chinese copy uses full-width punctuation after Chinese text (余额：, not 余额: )", () => {
    const ascii = /\p{Script=Han}[:;,!?]/u;
    for (const e of getCatalog().zh.entries.values()) {
      const text = translator("zh")(e.id as MessageKey, dummyVars("zh", e.id));
      expect(ascii.test(text), `${e.id}: ${text}`).toBe(false);
    }
  });
});

describe("catalogues: loading", () => {
  function copyLocales(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ftl-"));
    fs.cpSync(LOCALES_DIR, dir, { recursive: true });
    return dir;
  }

  it("refuses an id defined in two files of a locale", () => {
    const dir = copyLocales();
    fs.appendFileSync(path.join(dir, "zh", "admin.ftl"), "\nbtn-rent = 又一个\n");
    expect(() => loadCatalog(dir)).toThrow(/duplicate message id "btn-rent"/);
  });

  it("refuses a file with a syntax error, naming the message", () => {
    const dir = copyLocales();
    fs.appendFileSync(path.join(dir, "en", "portal.ftl"), "\nbroken-one = { $x\n");
    expect(() => loadCatalog(dir)).toThrow(/portal\.ftl: Fluent syntax error .*broken-one/);
  });

  it("the generated key types match the catalogues (run `npm run i18n:keys` when this fails)", () => {
    expect(fs.readFileSync(path.join(process.cwd(), KEYS_FILE), "utf8")).toBe(keysSource(getCatalog()));
  });
});

describe("translator", () => {
  it("chooses Chinese first for zh* browsers, unless a choice was made", () => {
    expect(resolveLocale(undefined, "zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(resolveLocale(undefined, "zh-TW")).toBe("zh");
    expect(resolveLocale(undefined, "en-US,en;q=0.9,zh;q=0.8")).toBe("en");
    expect(resolveLocale(undefined, "fr-FR,zh;q=0.5")).toBe("zh");
    expect(resolveLocale(undefined, undefined)).toBe("en");
    expect(resolveLocale("en", "zh-CN")).toBe("en");
    expect(resolveLocale("xx", "zh-CN")).toBe("zh");
  });

  it("fills variables as given (Fluent formats no number itself) and labels durations", () => {
    const t = translator("zh");
    expect(t("energy-amount", { n: "131,000" })).toBe("131,000 能量");
    expect(translator("en")("energy-amount", { n: 131000 })).toBe("131000 energy");
    expect(translator("en")("energy-amount", { n: 10n ** 20n })).toBe("100000000000000000000 energy");
    expect(durationLabel(t, "3d")).toBe("3天");
    expect(durationLabel(translator("en"), "1h", true)).toBe("1 h");
  });

  it("keeps spaces at the edges of a message and literal braces", () => {
    expect(translator("en")("topup-balanceLabel")).toBe("Balance: ");
  });

  it("an unknown id comes back as itself; a missing variable shows its name", () => {
    expect(translator("en")("no-such-id" as MessageKey)).toBe("no-such-id");
    expect(translator("en")("energy-amount")).toBe("{$n} energy");
  });

  it("any surface's message is found through the one translator", () => {
    const t = translator("en");
    expect(t("btn-rent")).toBe("⚡ Flash rent");
    expect(t("apiKeys-title")).toBe("API keys");
    expect(t("admin-title")).toBe("Admin console");
    expect(t("nav-rent")).toBe("Rent");
  });
});
