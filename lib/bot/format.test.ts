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
