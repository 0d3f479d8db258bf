import { describe, expect, it } from "vitest";

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
