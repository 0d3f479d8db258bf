import { utils } from "tronweb";
import { describe, expect, it } from "vitest";
import { post } from "@/lib/ledger";
import { createUser } from "@/lib/users";
import { addWallet, getBalanceAndDefaultWallet, setDefaultWallet } from "./index";

const newAddress = () => utils.accounts.generateAccount().address.base58;

describe("getBalanceAndDefaultWallet", () => {
  it("reads the balance now and the default wallet, in one query", async () => {
    const u = await createUser();
    expect(await getBalanceAndDefaultWallet(u.id)).toEqual({ balanceSun: 0n, defaultWallet: null });

    const a = await addWallet({ userId: u.id, address: newAddress() });
    const b = await addWallet({ userId: u.id, address: newAddress() });
    expect((await getBalanceAndDefaultWallet(u.id)).defaultWallet?.id).toBe(a.id);
    await setDefaultWallet({ userId: u.id, walletId: b.id });

    await post({ userId: u.id, type: "deposit", amountSun: 12_345_678n, idempotencyKey: `summary-${u.id}` });
    const s = await getBalanceAndDefaultWallet(u.id);
    expect(s.balanceSun).toBe(12_345_678n);
    expect(s.defaultWallet?.id).toBe(b.id);
    expect(s.defaultWallet?.address).toBe(b.address);
  });

  it("an unknown user is not_found", async () => {
    await expect(getBalanceAndDefaultWallet(2_000_000_000)).rejects.toThrow("User not found.");
  });
});
