import { describe, expect, it } from "vitest";
import { safeNext } from "./_next";

/** Where sign-in may send the browser: only pages of this app, whatever the encoding tricks. */
describe("safeNext", () => {
  it.each([
    ["/topup", "/topup"],
    ["/orders/12?tab=events#top", "/orders/12?tab=events#top"],
    ["/rent?energy=65000&duration=1h", "/rent?energy=65000&duration=1h"],
    ["/a/../topup", "/topup"],
  ])("keeps %s", (next, want) => {
    expect(safeNext(next)).toBe(want);
  });

  it.each([
    // the reported one: %2F%09%2Fevil.com%2Fphish decodes to "/\\t/evil.com/phish", which browsers
    // (and the URL parser, which drops tabs) read as //evil.com/phish
    ["/\t/evil.com/phish"],
    ["/\n/evil.com"],
    ["/\r\n/evil.com"],
    ["/dash\nSet-Cookie: x=1"],
    ["//evil.com"],
    ["///evil.com"],
    ["/\\evil.com"],
    ["/\\/evil.com"],
    ["\\\\evil.com"],
    ["https://evil.com/"],
    ["http:evil.com"],
    ["javascript:alert(1)"],
    [" /topup"],
    ["evil.com"],
    ["/login?next=//evil.com"],
    ["/api/v1/orders"],
    ["/\u0000x"],
    [`/${"a".repeat(600)}`],
    [""],
    [undefined],
    [["/topup"]],
  ])("refuses %j", (next) => {
    const to = safeNext(next);
    expect(to).toBe("/dashboard");
  });

  it("whatever it returns, a browser resolves it to this app's own origin", () => {
    const tricky = [
      "/\t/evil.com",
      "/./\t/evil.com",
      "/%09/evil.com",
      "/%5Cevil.com",
      "/%2F%2Fevil.com",
      "/.//evil.com",
    ];
    for (const n of tricky) {
      const to = safeNext(n);
      expect(new URL(to, "https://energy.example").origin, `${n} → ${to}`).toBe("https://energy.example");
      expect(to.startsWith("//")).toBe(false);
    }
  });
});
