import { describe, expect, it } from "vitest";
import { saveSupplierProfile } from "@/lib/suppliers";
import { findOrCreateTelegramUser } from "@/lib/users";
import { prefetchedUser, runClaimed, takePrefetchedSession } from "./prefetch";
import { kvSet, sessionStorageKey } from "./session";
import { callbackUpdate, newUpdateId, textUpdate } from "./testing/fake-bot-api";
import { newTgUser } from "./testing/harness";
import { claimUpdate, releaseUpdate } from "./updates";

describe("claimUpdate", () => {
  it("claims an id once; a released id can be claimed again", async () => {
    const u = textUpdate(newTgUser(), "/start");
    expect(await claimUpdate(u)).not.toBeNull();
    expect(await claimUpdate(u)).toBeNull();
    await releaseUpdate(u.update_id);
    expect(await claimUpdate(u)).not.toBeNull();
  });

  it("reads the sender's user row and the chat's session with the claim", async () => {
    const from = newTgUser();
    const first = await claimUpdate(textUpdate(from, "/start"));
    expect(first).toMatchObject({ telegramId: from.id, user: null, session: undefined });
    expect(first?.sessionKey).toBe(sessionStorageKey(String(from.id)));

    const { user } = await findOrCreateTelegramUser(from);
    await kvSet(sessionStorageKey(String(from.id)), { step: { kind: "lookup" } });
    const c = await claimUpdate(callbackUpdate(from, "m:home"));
    expect(c?.user).toEqual(user);
    expect(c?.session).toEqual({ step: { kind: "lookup" } });
    expect(c?.supplier).toBe(false);
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 0n,
      available: false,
      energyCap: null,
      payoutAddress: null,
    });
    expect((await claimUpdate(callbackUpdate(from, "m:home")))?.supplier).toBe(true);
  });

  it("an update kind the bot does not read ahead for is claimed without reads", async () => {
    const c = await claimUpdate({ update_id: newUpdateId(), my_chat_member: {} } as never);
    expect(c).toMatchObject({ telegramId: null, user: undefined, sessionKey: null });
  });

  it("the bot sees what the claim read only inside runClaimed, the session once", async () => {
    const from = newTgUser();
    const c = await claimUpdate(textUpdate(from, "/start"));
    if (!c) throw new Error("not claimed");
    const key = sessionStorageKey(String(from.id));
    expect(prefetchedUser(from.id)).toBeUndefined();
    expect(takePrefetchedSession(key)).toBeUndefined();
    await runClaimed(c, async () => {
      expect(prefetchedUser(from.id)).toBeNull();
      expect(prefetchedUser(from.id + 1)).toBeUndefined();
      expect(takePrefetchedSession(`${key}0`)).toBeUndefined();
      await Promise.resolve();
      expect(takePrefetchedSession(key)).toEqual({ value: undefined });
      expect(takePrefetchedSession(key)).toBeUndefined();
    });
  });
});
