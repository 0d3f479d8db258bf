import { describe, expect, it } from "vitest";
import { clock, dateTime, zoneOf } from "./format";

describe("bot dates", () => {
  const d = new Date("2026-11-25T06:05:00Z");

  it("formats in the user's zone, else UTC+8 for zh and UTC for en, the same on every call", () => {
    for (let i = 0; i < 2; i++) {
      expect(clock(d, "en")).toBe("06:05 (UTC)");
      expect(clock(d, "zh")).toBe("14:05（UTC+8）");
      expect(clock(d, "en", "America/New_York")).toBe("01:05 (UTC-5)");
      expect(dateTime(d, "en")).toBe("25 Nov, 06:05 (UTC)");
      expect(dateTime(d, "zh")).toBe("11月25日 14:05（UTC+8）");
      expect(dateTime(d, "en", "Asia/Kolkata")).toBe("25 Nov, 11:35 (UTC+5:30)");
    }
  });

  it("an unknown zone falls back to the language's zone", () => {
    for (let i = 0; i < 2; i++) {
      expect(zoneOf("en", "Mars/Olympus")).toBe("UTC");
      expect(zoneOf("zh", "Mars/Olympus")).toBe("Asia/Shanghai");
      expect(clock(d, "en", "Mars/Olympus")).toBe("06:05 (UTC)");
    }
  });
});

describe("HTML in bot messages", () => {
  /** Every tag in a message is one of ours, and every attribute is a plain quoted href. */
  function onlyOurMarkup(html: string) {
    for (const m of html.matchAll(/<\/?([a-zA-Z-]+)([^>]*)>/g)) {
      expect(["b", "i", "code", "a"], m[0]).toContain(m[1]);
      expect(m[2], m[0]).toMatch(/^(\s+href="[^"<>]*")?$/);
    }
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<evil-tag");
  }
  const hostile = `<a href="https://evil.example">x</a><evil-tag>&"'`;

  it("escapes whatever goes in: labels, addresses, txids, URLs", async () => {
    const { code, esc, link } = await import("./format");
    expect(esc(hostile)).toBe(
      "&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;&lt;evil-tag&gt;&amp;&quot;&#39;",
    );
    onlyOurMarkup(code(hostile));
    onlyOurMarkup(link(`https://x.example/"><evil-tag>`, hostile));
    const { lookupText } = await import("./lookup-job");
    const failed = lookupText("en", null, hostile, new Error("chain down"));
    onlyOurMarkup(failed);
    expect(failed).toContain("&lt;a href=&quot;https://evil.example&quot;&gt;");
    const { accountCard, orderLine, txLink, txRef } = await import("./views");
    onlyOurMarkup(txLink(hostile));
    onlyOurMarkup(txRef(hostile, 7, "http://localhost:3000"));
    const card = accountCard(
      "en",
      null,
      {
        ov: {
          address: hostile,
          trxSun: 1n,
          usdtBase: 0n,
          energyAvailable: 0n,
          energyLimit: 0n,
          bandwidthAvailable: 0n,
          bandwidthLimit: 0n,
          activated: true,
          fetchedAt: new Date(),
          provider: "fullnode",
        },
        stale: false,
      } as never,
      { title: esc(hostile) },
    );
    onlyOurMarkup(card);
    const line = orderLine(
      "en",
      {
        id: 1,
        status: "paid",
        energy: 65_000n,
        durationKey: hostile,
        receiverAddress: hostile,
        priceSun: 1n,
        createdAt: new Date(),
      } as never,
      null,
    );
    onlyOurMarkup(line);
  });
});
