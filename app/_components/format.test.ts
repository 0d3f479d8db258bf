import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n";
import { formatDateTime, timeLeft, userTimeZone } from "./format";

const en = translator("en");
const zh = translator("zh");

describe("portal time formatting", () => {
  it("formats 24-hour times in the user's zone with the offset, the same on every call", () => {
    const d = new Date("2026-11-25T06:05:00Z");
    for (let i = 0; i < 3; i++) {
      expect(formatDateTime(d, "zh", "Asia/Shanghai", zh)).toBe(
        zh("common.timeWithOffset", { time: "11月25日 14:05", offset: "UTC+8" }),
      );
      expect(formatDateTime(d.toISOString(), "en", "UTC", en)).toBe(
        en("common.timeWithOffset", { time: "25 Nov, 06:05", offset: "UTC+0" }),
      );
      expect(formatDateTime(d, "en", "America/New_York", en)).toBe(
        en("common.timeWithOffset", { time: "25 Nov, 01:05", offset: "UTC-5" }),
      );
    }
  });

  it("keeps a valid zone and falls back by language for a missing or unknown one", () => {
    expect(userTimeZone("Europe/Berlin", "en")).toBe("Europe/Berlin");
    expect(userTimeZone("Not/AZone", "zh")).toBe("Asia/Shanghai");
    expect(userTimeZone("Not/AZone", "en")).toBe("UTC");
    expect(userTimeZone(null, "en")).toBe("UTC");
  });

  it("says how long is left, null once passed", () => {
    expect(timeLeft(0, en)).toBeNull();
    expect(timeLeft(90_061_000, en)).toBe(en("common.leftDH", { d: 1, h: 1 }));
  });
});
