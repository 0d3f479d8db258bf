import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cb } from "./callback-data";
import { BOT_LOCALES, getI18n, LOCALES_DIR, tr } from "./i18n";

/** Message ids of a Fluent file (top-level `id = …` lines). */
function idsOf(locale: string): Set<string> {
  const src = fs.readFileSync(path.join(LOCALES_DIR, `${locale}.ftl`), "utf8");
  return new Set([...src.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1]));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "testing" ? [] : sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

describe("bot catalogs", () => {
  it("zh and en have exactly the same message ids", () => {
    const en = idsOf("en");
    const zh = idsOf("zh");
    expect(en.size).toBeGreaterThan(100);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
  });

  it("Chinese copy uses full-width punctuation after Chinese text", () => {
    const src = fs.readFileSync(path.join(LOCALES_DIR, "zh.ftl"), "utf8");
    for (const line of src.split("\n").filter((l) => !l.startsWith("#")))
      expect(/\p{Script=Han}[:;,!?]/u.test(line), line).toBe(false);
  });

  it("every key the bot uses exists in both catalogs (literal and templated keys)", () => {
    const ids = idsOf("en");
    const used = new Set<string>();
    const dir = path.join(process.cwd(), "lib", "bot");
    for (const f of sourceFiles(dir)) {
      const src = fs.readFileSync(f, "utf8");
      for (const m of src.matchAll(/\b(?:tr|ctx\.t)\([^,()]+(?:\([^)]*\))?,\s*"([a-z0-9-]+)"/g))
        used.add(m[1]);
      for (const m of src.matchAll(/\bctx\.t\(\s*"([a-z0-9-]+)"/g)) used.add(m[1]);
      for (const m of src.matchAll(
        /"((?:btn|err|toast|addr|status|order|rent|review|wallet|topup|card|menu)-[a-z0-9-]+)"/g,
      ))
        used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !ids.has(k))).toEqual([]);
    // templated families
    for (const s of [
      "paid",
      "delegating",
      "active",
      "reclaiming",
      "completed",
      "failed",
      "cancelled",
      "refunded",
    ])
      expect(ids.has(`status-${s}`), s).toBe(true);
    for (const r of [
      "empty",
      "whitespace",
      "evm-format",
      "bad-length",
      "bad-checksum",
      "bad-characters",
      "other-chain",
      "bad-prefix",
      "invalid",
    ])
      expect(ids.has(`addr-${r}`), r).toBe(true);
  });

  it("renders without isolation marks and with variables in both languages", () => {
    for (const l of BOT_LOCALES) {
      const t = tr(l, "menu-balance", { amount: "20.5 TRX" });
      expect(t).toContain("<b>20.5 TRX</b>");
      expect(t).not.toMatch(/[\u2068\u2069]/);
    }
    expect(tr("zh", "rent-energy", { energy: "131,000" })).toBe("能量：<b>131,000 能量</b>");
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

describe("address refusal copy", () => {
  it("every reason lib/tron can give has a message in both bot catalogs", async () => {
    const { ADDRESS_REFUSALS } = await import("@/lib/tron/address");
    for (const locale of ["en", "zh"]) {
      const ids = idsOf(locale);
      for (const r of ADDRESS_REFUSALS)
        expect(ids.has(`addr-${r.replace(/_/g, "-")}`), `${locale}: ${r}`).toBe(true);
    }
  });
});

describe("tr", () => {
  it("a message without variables is the same from the kept copy, per locale", () => {
    for (const key of ["btn-rent", "menu-title", "btn-menu"]) {
      for (const l of BOT_LOCALES) {
        expect(tr(l, key)).toBe(getI18n().t(l, key));
        expect(tr(l, key)).toBe(getI18n().t(l, key));
      }
      expect(tr("en", key)).not.toBe(tr("zh", key));
    }
    expect(tr("en", "menu-balance", { amount: "1" })).toContain("1");
    expect(tr("en", "menu-balance", { amount: "2" })).toContain("2");
  });
});
