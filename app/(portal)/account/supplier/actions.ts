"use server";

import { redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { parseTrx } from "@/lib/money";
import {
  registerSupplierWallet,
  requestPayout,
  saveSupplierProfile,
  setSupplierWalletCaps,
} from "@/lib/suppliers";
import { portalContext } from "../../_lib/context";

// The session's user (redirect when signed out); every input parsed by lib/suppliers, which scopes
// everything to that user. The page shows the outcome from `done` / `e` (an error code).

const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v.trim() : "");
const PAGE = "/account/supplier";

function outcome(e: unknown): never {
  if (!isAppError(e)) throw e;
  redirect(`${PAGE}?e=${encodeURIComponent(e.code)}`);
}

export async function saveSupplierProfileAction(form: FormData) {
  const { user } = await portalContext();
  const min = text(form.get("minPrice"));
  const cap = text(form.get("energyCap")).replace(/[,\s]/g, "");
  const payout = text(form.get("payoutAddress"));
  if (!/^\d{1,7}$/.test(min) || (cap !== "" && !/^\d{1,13}$/.test(cap))) redirect(`${PAGE}?e=bad_request`);
  try {
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: BigInt(min),
      available: form.get("available") === "on",
      energyCap: cap === "" ? null : BigInt(cap),
      payoutAddress: payout === "" ? null : payout,
    });
  } catch (e) {
    outcome(e);
  }
  redirect(`${PAGE}?done=profile`);
}

/**
 * The daily caps as typed (bandwidth in bytes, TRX with up to 6 decimals); `undefined` for a field
 * left empty (the default applies at registration). Anything else is a bad_request.
 */
function capsFrom(form: FormData): { dailyBandwidthCap?: bigint; dailyTrxCapSun?: bigint } {
  const bytes = text(form.get("bandwidthCap")).replace(/[,\s]/g, "");
  const trx = text(form.get("trxCap")).slice(0, 30);
  if (bytes !== "" && !/^\d{1,8}$/.test(bytes)) redirect(`${PAGE}?e=bad_request`);
  let trxSun: bigint | undefined;
  try {
    trxSun = trx === "" ? undefined : parseTrx(trx, { field: "trxCap", allowZero: true });
  } catch (e) {
    outcome(e);
  }
  return { dailyBandwidthCap: bytes === "" ? undefined : BigInt(bytes), dailyTrxCapSun: trxSun };
}

export async function registerSupplierWalletAction(form: FormData) {
  const { user } = await portalContext();
  const address = text(form.get("address")).slice(0, 100);
  const caps = capsFrom(form);
  try {
    await registerSupplierWallet(user.id, {
      address,
      signature: text(form.get("signature")).slice(0, 200),
      ...caps,
    });
  } catch (e) {
    outcome(e);
  }
  redirect(`${PAGE}?done=wallet`);
}

export async function setSupplierWalletCapsAction(form: FormData) {
  const { user } = await portalContext();
  const id = text(form.get("walletId"));
  const caps = capsFrom(form);
  if (!/^\d{1,9}$/.test(id) || caps.dailyBandwidthCap === undefined || caps.dailyTrxCapSun === undefined)
    redirect(`${PAGE}?e=bad_request`);
  try {
    await setSupplierWalletCaps(user.id, Number(id), {
      dailyBandwidthCap: caps.dailyBandwidthCap,
      dailyTrxCapSun: caps.dailyTrxCapSun,
    });
  } catch (e) {
    outcome(e);
  }
  redirect(`${PAGE}?done=caps`);
}

export async function requestSupplierPayoutAction(form: FormData) {
  const { user } = await portalContext();
  let amountSun: bigint;
  try {
    amountSun = parseTrx(text(form.get("amount")).slice(0, 30), { field: "amount" });
  } catch (e) {
    outcome(e);
  }
  try {
    await requestPayout(user.id, { amountSun });
  } catch (e) {
    outcome(e);
  }
  redirect(`${PAGE}?done=payout`);
}
