import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { depositAddresses, deposits, orders, userWallets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type MessageKey, translator } from "@/lib/i18n";
import { getCatalog, variablesOf } from "@/lib/i18n/catalog";
import { clientMessages, scopeIds } from "@/lib/i18n/client-messages";
import { addSource, formatMessage, newBundle } from "@/lib/i18n/fluent";
import { CLIENT_MESSAGE_SCOPES, type ClientMessageScope } from "@/lib/i18n/scopes";
import { locales } from "@/lib/locale";
import { getOrCreateDepositAddress, listDeposits } from "@/lib/deposits";
import { getOrder, listOrders } from "@/lib/orders";
import { createUser } from "@/lib/users";
import { addWallet, listWallets } from "@/lib/wallets";
import { PageMessages } from "./_lib/page-messages";
import { localizeError } from "./_lib/errors";
import { parseOrderId } from "./_lib/ids";
import { orderLive } from "./_lib/views";
import { createRentOrderFor } from "./rent/logic";
import { addWalletFor, removeWalletFor, renameWalletFor, setDefaultWalletFor } from "./wallets/logic";

// The embedded database starts on first use; on a busy machine that can take a while.
beforeAll(async () => {
  await getDb();
}, 180_000);

const en = translator("en");
const zh = translator("zh");
const ADDR_1 = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7";
const ADDR_2 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

const form = (o: Record<string, string | number>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, String(v));
  return f;
};

async function orderFor(userId: number) {
  const db = await getDb();
  const [o] = await db
    .insert(orders)
    .values({
      userId,
      receiverAddress: ADDR_1,
      energy: 65_000n,
      durationKey: "1h",
      durationSeconds: 3600,
      unitPriceSun: 45n,
      priceSun: 2_925_000n,
      burnSun: 6_500_000n,
      source: "portal",
      idempotencyKey: `t-${Math.random()}`,
      fingerprint: "x",
    })
    .returning();
  return o;
}

describe("portal wallets: validation and ownership", () => {
  it("adds a wallet; a bad address keeps the typed values and says why, in the user's language", async () => {
    const u = await createUser();
    const ok = await addWalletFor(u.id, form({ address: ADDR_1, label: "Payouts" }), en);
    expect(ok.status).toBe("success");
    const bad = await addWalletFor(u.id, form({ address: `${ADDR_2.slice(0, -1)}u`, label: "Mine" }), zh);
    expect(bad).toEqual({
      status: "invalid_data",
      fields: { address: zh("address-bad_checksum") },
      values: { address: `${ADDR_2.slice(0, -1)}u`, label: "Mine" },
    });
    const evm = await addWalletFor(u.id, form({ address: "0x52908400098527886E0F7030069857D2E4169EE7" }), en);
    expect(evm.status === "invalid_data" && evm.fields.address).toBe(en("address-evm_format"));
    const dup = await addWalletFor(u.id, form({ address: ADDR_1 }), en);
    expect(dup.status === "invalid_data" && dup.fields.address).toBe(en("error-wallet_duplicate"));
    const long = await addWalletFor(u.id, form({ address: ADDR_2, label: "x".repeat(65) }), en);
    expect(long.status === "invalid_data" && long.fields.label).toBe(en("error-label_too_long", { max: 64 }));
    expect((await listWallets(u.id)).map((w) => w.address)).toEqual([ADDR_1]);
  });

  it("IDOR: user A cannot rename, set default or delete user B's wallet by id", async () => {
    const a = await createUser();
    const b = await createUser();
    const bw = await addWallet({ userId: b.id, address: ADDR_1, label: "B's" });
    await addWallet({ userId: b.id, address: ADDR_2, label: "B second" });
    await addWallet({ userId: a.id, address: ADDR_2, label: "A's" });

    const r1 = await renameWalletFor(a.id, form({ walletId: bw.id, label: "pwned" }), en);
    expect(r1).toMatchObject({ status: "failed", message: en("error-not_found") });
    const second = (await listWallets(b.id)).find((w) => w.address === ADDR_2)!;
    const r2 = await setDefaultWalletFor(a.id, form({ walletId: second.id }), en);
    expect(r2).toMatchObject({ status: "failed", message: en("error-not_found") });
    const r3 = await removeWalletFor(a.id, form({ walletId: bw.id }), en);
    expect(r3).toMatchObject({ status: "failed", message: en("error-not_found") });
    // junk ids are "not found" too, never an internal error
    expect(await removeWalletFor(a.id, form({ walletId: "1 or 1=1" }), en)).toMatchObject({
      status: "failed",
    });

    const db = await getDb();
    const bRows = await db.select().from(userWallets).where(eq(userWallets.userId, b.id));
    expect(bRows).toHaveLength(2);
    expect(bRows.find((w) => w.id === bw.id)).toMatchObject({ label: "B's", isDefault: true });

    // the owner can
    expect((await setDefaultWalletFor(b.id, form({ walletId: second.id }), en)).status).toBe("success");
    expect((await renameWalletFor(b.id, form({ walletId: bw.id, label: "ok" }), en)).status).toBe("success");
    const rm = await removeWalletFor(b.id, form({ walletId: bw.id }), en);
    expect(rm).toMatchObject({ status: "success", removed: { address: ADDR_1, label: "ok" } });
  });
});

describe("portal orders and deposits: ownership", () => {
  it("IDOR: A opening B's order id gets not_found (page → 404, route → 404), lists never mix", async () => {
    const a = await createUser();
    const b = await createUser();
    const bo = await orderFor(b.id);
    const e = await getOrder({ orderId: bo.id, userId: a.id }).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("not_found");
    expect((e as AppError).status).toBe(404);
    expect(localizeError(e, zh).message).toBe(zh("error-not_found"));
    expect((await listOrders({ userId: a.id })).orders).toHaveLength(0);
    const mine = await getOrder({ orderId: bo.id, userId: b.id });
    const view = orderLive(mine, { t: en, locale: "en", tz: "UTC" });
    expect(view).toMatchObject({
      id: bo.id,
      statusLabel: "Paid",
      price: "2.925 TRX",
      energy: "65,000 energy",
    });
  });

  it("order ids in URLs: digits only, else not found", () => {
    expect(parseOrderId("10001")).toBe(10001);
    for (const bad of ["abc", "-1", "1e3", "0", "10001;drop", "1".repeat(20)])
      expect(() => parseOrderId(bad)).toThrow(AppError);
  });

  it("IDOR: deposits are listed only for their owner", async () => {
    const a = await createUser();
    const b = await createUser();
    const db = await getDb();
    const idx = 900_000 + Math.floor(Math.random() * 90_000);
    await getOrCreateDepositAddress(b.id);
    const [addr] = await db.select().from(depositAddresses).where(eq(depositAddresses.userId, b.id));
    await db.insert(deposits).values({
      userId: b.id,
      depositAddressId: addr.id,
      address: addr.address,
      currency: "TRX",
      amountBase: 5_000_000n,
      txid: `tx-${idx}`,
      logIndex: -1,
      blockNumber: 10,
    });
    expect(await listDeposits({ userId: a.id })).toHaveLength(0);
    expect(await listDeposits({ userId: b.id })).toHaveLength(1);
  });
});

describe("rent form", () => {
  it("refuses a bad receiver with the reason on the field (no order, nothing debited)", async () => {
    const u = await createUser();
    const r = await createRentOrderFor(
      u.id,
      form({
        receiver: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8",
        energy: "65000",
        duration: "1h",
        idempotencyKey: "abcdef123456",
      }),
      zh,
    );
    expect(r).toEqual({ status: "invalid_data", fields: { receiver: zh("address-bad_checksum") } });
    const missing = await createRentOrderFor(
      u.id,
      form({ receiver: "", energy: "65000", duration: "1h", idempotencyKey: "abcdef123456" }),
      en,
    );
    expect(missing).toEqual({ status: "invalid_data", fields: { receiver: en("address-empty") } });
    const badKey = await createRentOrderFor(
      u.id,
      form({ receiver: ADDR_1, energy: "65000", duration: "1h", idempotencyKey: "<script>" }),
      en,
    );
    expect(badKey.status).toBe("failed");
    expect((await listOrders({ userId: u.id })).orders).toHaveLength(0);
  });

  it("maps library errors to plain localized sentences, never internal text", () => {
    expect(localizeError(new Error("ECONNREFUSED 10.0.0.1"), en)).toEqual({
      code: "internal",
      message: en("error-generic"),
      fields: {},
    });
    const m = localizeError(new AppError("insufficient_balance", "Balance 1 < 2"), zh);
    expect(m.message).toBe(zh("error-insufficient_balance"));
    const range = localizeError(
      new AppError("energy_out_of_range", "x", {
        fields: { energy: "x" },
        details: { min: 32000, max: 5000000 },
      }),
      en,
    );
    expect(range.fields.energy).toBe("Energy must be between 32,000 and 5,000,000.");
  });

  it("the pool cannot cover the amount: the largest it can, on the energy field, offered to the form", () => {
    const e = (max: string) =>
      new AppError("no_capacity", "The pool can deliver at most …", {
        fields: { energy: "x" },
        details: { maxEnergy: max, requestedEnergy: "1000000" },
      });
    expect(localizeError(e("473684"), en)).toEqual({
      code: "no_capacity",
      message: "We can deliver at most 473,684 energy right now.",
      fields: { energy: "We can deliver at most 473,684 energy right now." },
      maxEnergy: "473684",
    });
    expect(localizeError(e("473684"), zh).message).toBe("目前最多可提供 473,684 能量。");
    expect(localizeError(e("0"), en)).toEqual({
      code: "no_capacity",
      message: en("error-no_capacity"),
      fields: {},
    });
  });
});

describe("client messages", () => {
  const scopes = Object.keys(CLIENT_MESSAGE_SCOPES) as ClientMessageScope[];
  /** What a client component under `scope` can format: the provider's bundle, as the browser builds it. */
  function clientBundle(locale: (typeof locales)[number], scope: ClientMessageScope) {
    const b = newBundle(locale);
    const inPortal = scope !== "login" && scope !== "apiKeys";
    for (const s of inPortal && scope !== "portal" ? ["portal", scope] : [scope])
      addSource(b, clientMessages(locale, s as ClientMessageScope), true);
    return b;
  }

  it("formats every message of every scope on the client as the server does, in both locales", () => {
    for (const locale of locales)
      for (const scope of scopes) {
        const ids = scopeIds(locale, scope);
        expect(ids.length, `${locale}/${scope}`).toBeGreaterThan(0);
        const b = clientBundle(locale, scope);
        for (const id of ids) {
          const vars = Object.fromEntries((variablesOf(locale, id) ?? []).map((v) => [v, `<${v}>`]));
          const text = formatMessage(b, id, vars);
          expect(text, `${locale}/${scope}: ${id}`).toBe(translator(locale)(id as MessageKey, vars));
          expect(text?.trim(), `${locale}/${scope}: ${id}`).not.toBe("");
        }
      }
  });

  it("every entry of a scope names messages that exist (a group has members, a single id is there)", () => {
    for (const locale of locales)
      for (const scope of scopes)
        for (const entry of CLIENT_MESSAGE_SCOPES[scope]) {
          const ids = scopeIds(locale, scope);
          const hit = entry.endsWith("-") ? ids.some((id) => id.startsWith(entry)) : ids.includes(entry);
          expect(hit, `${locale}/${scope}: ${entry}`).toBe(true);
        }
  });

  it("hands each page scope from its segment's layout", async () => {
    /** The scopes of the <PageMessages> elements a layout renders. */
    const scopesIn = (node: unknown): string[] => {
      if (Array.isArray(node)) return node.flatMap(scopesIn);
      if (!node || typeof node !== "object" || !("props" in node)) return [];
      const el = node as { type: unknown; props: { scope?: string; children?: unknown } };
      return [
        ...(el.type === PageMessages && el.props.scope ? [el.props.scope] : []),
        ...scopesIn(el.props.children),
      ];
    };
    for (const scope of ["rent", "orders", "topup", "wallets"] as const) {
      const layout = (await import(`./${scope}/layout.tsx`)).default as (p: { children: unknown }) => unknown;
      expect(scopesIn(layout({ children: null })), scope).toEqual([scope]);
    }
  });

  it("hands each page only its own groups", () => {
    for (const locale of locales) {
      const web = [...getCatalog()[locale].entries.values()].filter(
        (e) => e.surface === "portal" || e.surface === "api",
      ).length;
      const portal = scopeIds(locale, "portal");
      expect(portal).toContain("common-leftDH");
      expect(portal.every((k) => k.startsWith("common-"))).toBe(true);
      expect(clientMessages(locale, "portal")).not.toMatch(/^rent-/m);
      expect(scopeIds(locale, "rent")).toContain("rent-pay");
      expect(scopeIds(locale, "rent")).not.toContain("topup-title");
      expect(scopeIds(locale, "rent").some((k) => k.startsWith("bot-"))).toBe(false);
      expect(scopeIds(locale, "orders")).toContain("orders-backToList");
      for (const scope of scopes) {
        const ids = scopeIds(locale, scope);
        expect(ids.length).toBeLessThan(web / 4);
        expect(ids.some((k) => k.startsWith("landing-") || k.startsWith("admin-"))).toBe(false);
        if (scope !== "login") expect(ids.some((k) => k.startsWith("login-"))).toBe(false);
      }
    }
  });
});
