/** Genesis file format and loader for the devnet. DEVNET ONLY keys: never use them anywhere else. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { TronWeb } from "tronweb";
import { z } from "zod";

const GenesisAccount = z.object({
  name: z.string().optional(),
  /** Private key = sha256("tron-energy-helper devnet " + keyIndex). */
  keyIndex: z.number().int().nonnegative().optional(),
  /** Or a fixed address (base58 or 41-hex) without a known key. */
  address: z.string().optional(),
  privateKey: z.string().optional(),
  balanceTrx: z.number().nonnegative().default(0),
  frozenEnergyTrx: z.number().nonnegative().default(0),
  frozenBandwidthTrx: z.number().nonnegative().default(0),
  usdt: z.number().nonnegative().default(0),
  fake: z.number().nonnegative().default(0),
});

export const GenesisSchema = z.object({
  comment: z.string().optional(),
  totalEnergyWeight: z.number().positive().optional(),
  totalNetWeight: z.number().positive().optional(),
  totalTronPowerWeight: z.number().positive().optional(),
  chainParameters: z.record(z.string(), z.number()).optional(),
  usdtEnergy: z
    .object({
      transferToHolder: z.number().int().positive().optional(),
      transferToEmpty: z.number().int().positive().optional(),
      revert: z.number().int().positive().optional(),
      /** USDT's energy factor at genesis (1/10,000); the three figures above are at this factor. */
      factor: z.number().int().nonnegative().optional(),
    })
    .optional(),
  accounts: z.array(GenesisAccount).default([]),
});

export type Genesis = z.input<typeof GenesisSchema>;

export interface ResolvedAccount {
  name: string;
  address: string; // 41 hex lowercase
  base58: string;
  privateKey?: string;
  balanceSun: number;
  frozenEnergySun: number;
  frozenBandwidthSun: number;
  usdtUnits: bigint;
  fakeUnits: bigint;
}

/** Deterministic DEVNET ONLY private key number i. */
export function devnetPrivateKey(i: number): string {
  return createHash("sha256").update(`tron-energy-helper devnet ${i}`).digest("hex");
}

export function devnetAccount(i: number): { privateKey: string; base58: string; hex: string } {
  const privateKey = devnetPrivateKey(i);
  const base58 = TronWeb.address.fromPrivateKey(privateKey) as string;
  return { privateKey, base58, hex: TronWeb.address.toHex(base58).toLowerCase() };
}

const sun = (trx: number) => Math.round(trx * 1_000_000);
const units = (n: number) => BigInt(Math.round(n * 1_000_000));

export function resolveGenesis(g: Genesis): { accounts: ResolvedAccount[] } {
  const parsed = GenesisSchema.parse(g);
  const accounts = parsed.accounts.map((a, i): ResolvedAccount => {
    let privateKey = a.privateKey;
    let base58: string;
    if (a.keyIndex !== undefined) privateKey = devnetPrivateKey(a.keyIndex);
    if (privateKey) base58 = TronWeb.address.fromPrivateKey(privateKey) as string;
    else if (a.address) base58 = a.address.startsWith("T") ? a.address : TronWeb.address.fromHex(a.address);
    else throw new Error(`genesis account #${i} needs keyIndex, privateKey or address`);
    return {
      name: a.name ?? `account-${i}`,
      address: TronWeb.address.toHex(base58).toLowerCase(),
      base58,
      privateKey,
      balanceSun: sun(a.balanceTrx),
      frozenEnergySun: sun(a.frozenEnergyTrx),
      frozenBandwidthSun: sun(a.frozenBandwidthTrx),
      usdtUnits: units(a.usdt),
      fakeUnits: units(a.fake),
    };
  });
  return { accounts };
}

const DEFAULT_PATH = new URL("./genesis.json", import.meta.url);

export function loadGenesisFile(path: string | URL): Genesis {
  return GenesisSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export function loadDefaultGenesis(): Genesis {
  return loadGenesisFile(DEFAULT_PATH);
}
