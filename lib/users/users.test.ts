import { describe, expect, it } from "vitest";
import { createUser, findOrCreateTelegramUser, languageFrom } from "./index";

describe("telegram users", () => {
  it("creates once per Telegram id, with the language and referral", async () => {
    const referrer = await createUser();
    const id = 7_000_000_000 + Math.floor(Math.random() * 1e6);
    const a = await findOrCreateTelegramUser(
      { id, username: "alice", first_name: "Alice", language_code: "zh-hans" },
      { startParam: `ref_${referrer.referralCode}` },
    );
    expect(a.created).toBe(true);
    expect(a.user.language).toBe("zh");
    expect(a.user.referredByUserId).toBe(referrer.id);
    const b = await findOrCreateTelegramUser({ id, username: "alice2", first_name: "Alice" });
    expect(b.created).toBe(false);
    expect(b.user.id).toBe(a.user.id);
    expect(b.user.username).toBe("alice2");
  });

  it("refuses a bad id and picks languages", async () => {
    await expect(findOrCreateTelegramUser({ id: -1 })).rejects.toThrow("Invalid Telegram user.");
    expect(languageFrom("en-US")).toBe("en");
    expect(languageFrom(undefined)).toBe("en");
  });

  it("uses a row the caller just read (refreshing a changed profile), ignores another account's", async () => {
    const id = 7_000_000_000 + Math.floor(Math.random() * 1e6);
    const { user } = await findOrCreateTelegramUser({ id, username: "bob", first_name: "Bob" });
    const same = await findOrCreateTelegramUser(
      { id, username: "bob", first_name: "Bob" },
      { current: user },
    );
    expect(same).toEqual({ user, created: false });
    const renamed = await findOrCreateTelegramUser(
      { id, username: "bobby", first_name: "Bob" },
      { current: user },
    );
    expect(renamed.user.username).toBe("bobby");
    // A row of another account is not taken for this one.
    const other = await findOrCreateTelegramUser({ id: id + 1, first_name: "Eve" }, { current: user });
    expect(other.created).toBe(true);
    expect(other.user.id).not.toBe(user.id);
    // "No row" from a read that lost a race with a first contact still finds the row.
    const raced = await findOrCreateTelegramUser(
      { id, username: "bobby", first_name: "Bob" },
      { current: null },
    );
    expect(raced.created).toBe(false);
    expect(raced.user.id).toBe(user.id);
  });
});
