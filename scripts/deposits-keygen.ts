/**
 * npm run deposits:keygen — prints a fresh BIP39 mnemonic (24 words) and its account-level xpub
 * (m/44'/195'/0') for DEPOSIT_MNEMONIC / DEPOSIT_XPUB, plus the first deposit addresses so the
 * operator can check them in a wallet. Nothing is written anywhere: store the mnemonic offline and
 * give it only to the collector process.
 */
import { addressFromMnemonic, addressFromXpub, generateDepositKeys } from "@/lib/deposits/derive";

const { mnemonic, xpub } = generateDepositKeys();
for (let i = 0; i < 3; i++) {
  if (addressFromXpub(xpub, i) !== addressFromMnemonic(mnemonic, i)) {
    throw new Error("xpub and mnemonic derivations disagree; do not use these keys");
  }
}
const out = [
  "# Deposit keys (BIP44 m/44'/195'/0'/0/i). Keep the mnemonic secret and offline;",
  "# only the collector needs it. Web, bot and scanner need only the xpub.",
  `DEPOSIT_MNEMONIC="${mnemonic}"`,
  `DEPOSIT_XPUB=${xpub}`,
  "",
  "# first deposit addresses (check them in a TRON wallet imported from the mnemonic):",
  ...[0, 1, 2].map((i) => `#   m/44'/195'/0'/0/${i}  ${addressFromXpub(xpub, i)}`),
];
process.stdout.write(`${out.join("\n")}\n`);
