import { describe, expect, it } from "vitest";
import { orderSummary } from "@/app/(portal)/_lib/views";
import { whenIn } from "@/app/admin/_components/ui";
import { orderLine } from "@/lib/bot/views";
import { translator } from "@/lib/i18n";
import { locales } from "@/lib/locale";
import {
  clock,
  dateTime,
  durationParts,
  formatTrx,
  int,
  kilo,
  shortAddress,
  shortTx,
  splitDuration,
  timeLeft,
  timeLeftAbout,
  trx,
  usdt,
  userTimeZone,
} from "./index";

const d = new Date("2026-11-25T06:05:00Z");

describe("amounts", () => {
  it("sun → TRX exactly, through bigint", () => {
    expect(trx(0n)).toBe("0 TRX");
    expect(trx(1n)).toBe("0.000001 TRX");
    expect(trx(999_999n)).toBe("0.999999 TRX");
    expect(trx(1_000_000n)).toBe("1 TRX");
    expect(trx(1_234_500_000n)).toBe("1,234.5 TRX");
    expect(trx(-1n)).toBe("-0.000001 TRX");
    expect(trx(-2_500_000n)).toBe("-2.5 TRX");
    // Beyond 2^53: a float would lose the last sun.
    expect(trx(9_007_199_254_740_993n)).toBe("9,007,199,254.740993 TRX");
    expect(trx(10n ** 21n + 1n)).toBe("1,000,000,000,000,000.000001 TRX");
    expect(formatTrx(1_500_000n, { signed: true })).toBe("+1.5 TRX");
    expect(formatTrx(1_500_000n, { unit: false })).toBe("1.5");
  });

  it("USDT, counts and button sizes", () => {
    expect(usdt(12_500_000n)).toBe("12.5 USDT");
    expect(usdt(1n)).toBe("0.000001 USDT");
    expect(int(131_000n)).toBe("131,000");
    expect(int(0)).toBe("0");
    expect(kilo(65_000)).toBe("65k");
    expect(kilo(65_500)).toBe("65,500");
  });

  it("short addresses and txids", () => {
    expect(shortAddress("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")).toBe("TR7NHq…Lj6t");
    expect(shortAddress(" TShort ")).toBe("TShort");
    expect(shortTx("a".repeat(64))).toBe(`${"a".repeat(8)}…${"a".repeat(6)}`);
  });
});

describe("times", () => {
  it("one style: 24-hour, the viewer's zone, the offset always shown (UTC for zero)", () => {
    for (let i = 0; i < 2; i++) {
      expect(dateTime(d, "en")).toBe("25 Nov, 06:05 (UTC)");
      expect(dateTime(d, "zh")).toBe("11月25日 14:05（UTC+8）");
      expect(dateTime(d.toISOString(), "en", "UTC")).toBe("25 Nov, 06:05 (UTC)");
      expect(dateTime(d, "en", "America/New_York")).toBe("25 Nov, 01:05 (UTC-5)");
      expect(dateTime(d, "en", "Asia/Kolkata")).toBe("25 Nov, 11:35 (UTC+5:30)");
      expect(dateTime(d, "zh", "Europe/Berlin")).toBe("11月25日 07:05（UTC+1）");
      expect(clock(d, "en")).toBe("06:05 (UTC)");
      expect(clock(d, "zh")).toBe("14:05（UTC+8）");
      expect(clock(d, "en", "America/New_York")).toBe("01:05 (UTC-5)");
    }
  });

  it("keeps a valid zone and falls back by language for a missing or unknown one", () => {
    expect(userTimeZone("Europe/Berlin", "en")).toBe("Europe/Berlin");
    expect(userTimeZone("Mars/Olympus", "zh")).toBe("Asia/Shanghai");
    expect(userTimeZone("Mars/Olympus", "en")).toBe("UTC");
    expect(userTimeZone(null, "en")).toBe("UTC");
    expect(clock(d, "en", "Mars/Olympus")).toBe("06:05 (UTC)");
  });

  it("the same timestamp reads the same in the bot, the portal and the admin console", () => {
    const order = {
      id: 7,
      status: "paid",
      energy: 65_000n,
      durationKey: "1h",
      receiverAddress: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
      priceSun: 1_500_000n,
      createdAt: d,
    } as never;
    const expected = { en: "25 Nov, 06:05 (UTC)", zh: "11月25日 14:05（UTC+8）" };
    for (const locale of locales) {
      const bot = orderLine(locale, order, null);
      const portal = orderSummary(order, {
        t: translator(locale),
        locale,
        tz: userTimeZone(null, locale),
      }).created;
      const admin = whenIn(locale)(d);
      expect(bot.endsWith(` · ${expected[locale]}`), bot).toBe(true);
      expect(portal).toBe(expected[locale]);
      expect(admin).toBe(expected[locale]);
    }
    expect(whenIn("en")(null)).toBe("—");
  });
});

describe("durations", () => {
  it("splits milliseconds and reads duration keys", () => {
    expect(splitDuration(90_061_000)).toEqual({ d: 1, h: 1, m: 1, s: 1 });
    expect(splitDuration(-5)).toEqual({ d: 0, h: 0, m: 0, s: 0 });
    expect(durationParts("3d")).toEqual({ n: "3", unit: "d" });
    expect(durationParts("1h")).toEqual({ n: "1", unit: "h" });
    expect(durationParts("90m")).toBeNull();
  });

  it("says how long is left on a live countdown, null once passed", () => {
    const en = translator("en");
    expect(timeLeft(0, en)).toBeNull();
    expect(timeLeft(90_061_000, en)).toBe(en("common-leftDH", { d: 1, h: 1 }));
    expect(timeLeft(3_723_000, en)).toBe(en("common-leftHM", { h: 1, m: 2 }));
    expect(timeLeft(65_000, en)).toBe(en("common-leftMS", { m: 1, s: 5 }));
  });

  it("says about how long is left in a message that is not live, from the same catalogue", () => {
    const en = translator("en");
    const zh = translator("zh");
    expect(timeLeftAbout(90_061_000, en)).toBe("about 1 d 1 h left");
    expect(timeLeftAbout(3_723_000, zh)).toBe("剩余约 1 小时 2 分钟");
    expect(timeLeftAbout(65_000, en)).toBe("about 1 min left");
  });
});
