import { AppError } from "@/lib/errors";
import { tron } from "@/lib/tron/client";
import { quoteDeliverable, quoteToJson } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import type { PriceJson } from "./schemas";

/** GET /price: a quote, plus (optionally) the receiver's activation and the USDT energy suggestion. */

function addressField(field: string, raw: string): string {
  try {
    return parseAddress(raw);
  } catch (e) {
    if (e instanceof AppError)
      throw new AppError("invalid_address", e.message, {
        fields: { [field]: e.message },
        details: e.details,
      });
    throw e;
  }
}

export async function priceWithChecks(input: {
  energy: string;
  duration: string;
  address?: string;
  usdtTo?: string;
}): Promise<PriceJson> {
  const settings = await getSettings();
  const receiver = input.address === undefined ? undefined : addressField("address", input.address);
  // Quoted for the reseller channel: orders through this API get the reseller discount.
  const q = await quoteDeliverable(
    { energy: input.energy, duration: input.duration, receiver, reseller: true },
    settings,
  );
  const out: PriceJson = quoteToJson(q);
  const usdtTo = input.usdtTo === undefined ? undefined : addressField("usdt_to", input.usdtTo);
  const client = tron();
  const [overview, usdtBase] = await Promise.all([
    receiver ? client.getAccountOverview(receiver) : undefined,
    usdtTo ? client.usdtBalanceOf(usdtTo) : undefined,
  ]);
  if (receiver && overview) out.receiver = { address: receiver, activated: overview.activated };
  if (usdtTo && usdtBase !== undefined) {
    const holds = usdtBase > 0n;
    out.usdt = {
      to: usdtTo,
      holds_usdt: holds,
      suggested_energy: holds ? settings.usdtEnergyHolder : settings.usdtEnergyEmpty,
      reason: holds ? "recipient_holds_usdt" : "recipient_has_no_usdt",
    };
  }
  return out;
}
