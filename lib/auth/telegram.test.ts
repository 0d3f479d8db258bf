import { describe, expect, it } from "vitest";
import {
  signInitData,
  signLoginWidget,
  TelegramAuthError,
  verifyInitData,
  verifyLoginWidget,
} from "./telegram";

const botToken = "123456:AAEtestTokenForUnitTests_abcdefghij";
const now = new Date("2026-11-25T12:00:00Z");
const nowS = Math.floor(now.getTime() / 1000);

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TelegramAuthError);
    return (e as TelegramAuthError).reason;
  }
  throw new Error("expected a rejection");
};

function widget(fields: Record<string, string | number>, token = botToken) {
  return { ...fields, hash: signLoginWidget(fields, token) };
}

describe("Telegram Login Widget verification", () => {
  const fields = { id: 777001, first_name: "Ann", username: "ann_t", auth_date: nowS - 60 };

  it("accepts data signed with SHA256(bot token)", () => {
    const u = verifyLoginWidget(widget(fields), { botToken, now });
    expect(u).toMatchObject({ id: 777001, first_name: "Ann", username: "ann_t", authDate: nowS - 60 });
  });

  it("accepts string values as they arrive in a query string, and optional photo_url", () => {
    const f = {
      id: "777001",
      first_name: "Ann",
      photo_url: "https://t.me/i/u/a.jpg",
      auth_date: String(nowS),
    };
    expect(verifyLoginWidget(widget(f), { botToken, now }).id).toBe(777001);
  });

  it("refuses tampered fields", () => {
    const signed = widget(fields);
    expect(reason(() => verifyLoginWidget({ ...signed, id: "777002" }, { botToken, now }))).toBe("bad_hash");
    expect(reason(() => verifyLoginWidget({ ...signed, username: "mallory" }, { botToken, now }))).toBe(
      "bad_hash",
    );
    // an extra field is part of the signed data
    expect(reason(() => verifyLoginWidget({ ...signed, last_name: "X" }, { botToken, now }))).toBe(
      "bad_hash",
    );
  });

  it("refuses data signed with another bot's token", () => {
    const other = widget(fields, "999999:AAEanotherTokenForUnitTests_xyzxyz");
    expect(reason(() => verifyLoginWidget(other, { botToken, now }))).toBe("bad_hash");
  });

  it("refuses the Mini App key scheme (HMAC with WebAppData) for the widget", () => {
    const init = new URLSearchParams(
      signInitData(
        { id: "777001", auth_date: String(nowS - 60), first_name: "Ann", username: "ann_t" },
        botToken,
      ),
    );
    expect(reason(() => verifyLoginWidget(Object.fromEntries(init), { botToken, now }))).toBe("bad_hash");
  });

  it("refuses stale data (auth_date older than a day) and dates far in the future", () => {
    const stale = widget({ ...fields, auth_date: nowS - 86_401 });
    expect(reason(() => verifyLoginWidget(stale, { botToken, now }))).toBe("stale");
    const almost = widget({ ...fields, auth_date: nowS - 86_399 });
    expect(verifyLoginWidget(almost, { botToken, now }).id).toBe(777001);
    const future = widget({ ...fields, auth_date: nowS + 3600 });
    expect(reason(() => verifyLoginWidget(future, { botToken, now }))).toBe("stale");
  });

  it("refuses malformed input and a missing bot token", () => {
    expect(reason(() => verifyLoginWidget({ id: "1", auth_date: String(nowS) }, { botToken, now }))).toBe(
      "malformed",
    );
    expect(reason(() => verifyLoginWidget({ ...widget(fields), hash: "zz" }, { botToken, now }))).toBe(
      "malformed",
    );
    expect(reason(() => verifyLoginWidget(widget(fields), { botToken: undefined, now }))).toBe(
      "missing_token",
    );
  });
});

describe("Mini App initData verification", () => {
  const user = JSON.stringify({ id: 888001, first_name: "Bo", username: "bo_t", language_code: "zh-hans" });
  const fields = { query_id: "AAH-test", user, auth_date: String(nowS - 30), start_param: "ref_abcd1234" };

  it("accepts initData signed with the WebAppData-derived secret", () => {
    const v = verifyInitData(signInitData(fields, botToken), { botToken, now });
    expect(v).toMatchObject({
      id: 888001,
      username: "bo_t",
      language_code: "zh-hans",
      startParam: "ref_abcd1234",
    });
  });

  it("includes every field but hash in the check (e.g. signature)", () => {
    const withSig = { ...fields, signature: "c2lnbmF0dXJl" };
    expect(verifyInitData(signInitData(withSig, botToken), { botToken, now }).id).toBe(888001);
    const p = new URLSearchParams(signInitData(withSig, botToken));
    p.delete("signature");
    expect(reason(() => verifyInitData(p.toString(), { botToken, now }))).toBe("bad_hash");
  });

  it("refuses tampered initData", () => {
    const p = new URLSearchParams(signInitData(fields, botToken));
    p.set("user", JSON.stringify({ id: 888002, first_name: "Bo" }));
    expect(reason(() => verifyInitData(p.toString(), { botToken, now }))).toBe("bad_hash");
    const q = new URLSearchParams(signInitData(fields, botToken));
    q.set("auth_date", String(nowS));
    expect(reason(() => verifyInitData(q.toString(), { botToken, now }))).toBe("bad_hash");
  });

  it("refuses the Login Widget key scheme for initData", () => {
    const hash = signLoginWidget(fields, botToken);
    const forged = new URLSearchParams({ ...fields, hash }).toString();
    expect(reason(() => verifyInitData(forged, { botToken, now }))).toBe("bad_hash");
  });

  it("refuses stale initData", () => {
    const old = signInitData({ ...fields, auth_date: String(nowS - 2 * 86_400) }, botToken);
    expect(reason(() => verifyInitData(old, { botToken, now }))).toBe("stale");
    const shorter = signInitData({ ...fields, auth_date: String(nowS - 7200) }, botToken);
    expect(reason(() => verifyInitData(shorter, { botToken, now, maxAgeS: 3600 }))).toBe("stale");
  });

  it("refuses malformed initData", () => {
    expect(reason(() => verifyInitData("", { botToken, now }))).toBe("malformed");
    expect(reason(() => verifyInitData("user=x&auth_date=1", { botToken, now }))).toBe("malformed");
    const dup = `${signInitData(fields, botToken)}&auth_date=${nowS}`;
    expect(reason(() => verifyInitData(dup, { botToken, now }))).toBe("malformed");
    const noUser = signInitData({ auth_date: String(nowS) }, botToken);
    expect(reason(() => verifyInitData(noUser, { botToken, now }))).toBe("malformed");
  });
});
