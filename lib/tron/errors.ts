import { AppError } from "@/lib/errors";
import { hexToText } from "@/lib/tron/json";

/** Why the chain refused a transaction (stable tokens; callers switch on these). */
type ChainErrorKind =
  | "insufficient_delegatable"
  | "not_activated"
  | "locked"
  | "insufficient_unlocked"
  | "no_delegation"
  | "insufficient_balance"
  | "duplicate"
  | "expired"
  | "tapos"
  | "bad_signature"
  | "bandwidth"
  | "validate_other"
  | "server_busy"
  | "unknown";

const USER_MESSAGES: Record<ChainErrorKind, string> = {
  insufficient_delegatable: "The supplier wallet does not have enough staked TRX available to delegate.",
  not_activated: "The address is not activated on TRON yet.",
  locked: "The delegation is still locked and cannot be reclaimed yet.",
  insufficient_unlocked: "Less of the delegation is unlocked than was requested.",
  no_delegation: "There is no such delegation on chain.",
  insufficient_balance: "The account does not have enough TRX.",
  duplicate: "This transaction was already sent.",
  expired: "The transaction expired before it reached the network.",
  tapos: "The transaction references a block the node does not know (TaPoS).",
  bad_signature: "The transaction signature was refused.",
  bandwidth: "The account has no bandwidth or TRX to pay for the transaction.",
  validate_other: "The network refused the transaction.",
  server_busy: "The TRON node is busy. Please try again shortly.",
  unknown: "The TRON network returned an error.",
};

/** A refusal by the chain, with the decoded chain message kept in `details.chainMessage`. */
export class ChainError extends AppError {
  readonly kind: ChainErrorKind;
  readonly chainCode?: string;
  readonly chainMessage: string;

  constructor(
    kind: ChainErrorKind,
    chainMessage: string,
    extra: { code?: string; txid?: string; [k: string]: unknown } = {},
  ) {
    super("chain_error", USER_MESSAGES[kind], { details: { kind, chainMessage, ...extra } });
    this.name = "ChainError";
    this.kind = kind;
    this.chainCode = extra.code;
    this.chainMessage = chainMessage;
  }
}

export function isChainError(e: unknown, kind?: ChainErrorKind): e is ChainError {
  return e instanceof ChainError && (kind === undefined || e.kind === kind);
}

/** Classifies a (decoded) chain message, optionally with the response code. */
export function classifyChainMessage(text: string, code?: string): ChainErrorKind {
  switch (code) {
    case "DUP_TRANSACTION_ERROR":
      return "duplicate";
    case "TAPOS_ERROR":
      return "tapos";
    case "TRANSACTION_EXPIRATION_ERROR":
      return "expired";
    case "SIGERROR":
      return "bad_signature";
    case "BANDWITH_ERROR":
      return "bandwidth";
    case "SERVER_BUSY":
    case "NO_CONNECTION":
    case "NOT_ENOUGH_EFFECTIVE_CONNECTION":
    case "BLOCK_UNSOLIDIFIED":
      return "server_busy";
  }
  const t = text;
  if (/less than or equal to available Freeze(Energy|Bandwidth)V2 balance/i.test(t))
    return "insufficient_delegatable";
  const unlock = /insufficient delegate[d]?FrozenBalance\([^)]*\).*unlock_balance=(\d+)/i.exec(t);
  if (unlock) return unlock[1] === "0" ? "locked" : "insufficient_unlocked";
  if (/insufficient delegate[d]?FrozenBalance/i.test(t)) return "insufficient_unlocked";
  if (/delegated Resource does not exist/i.test(t)) return "no_delegation";
  if (/Account\[[0-9a-fA-FT][^\]]*\] (not exists|does not exist)/i.test(t)) return "not_activated";
  if (/balance is not sufficient/i.test(t)) return "insufficient_balance";
  if (/Dup transaction|Transaction already exists/i.test(t)) return "duplicate";
  if (/Tapos check error/i.test(t)) return "tapos";
  if (/Transaction expired|expiration/i.test(t) && /expir/i.test(t) && !/lock period/i.test(t))
    return "expired";
  if (/Validate signature error|sig error/i.test(t)) return "bad_signature";
  if (/Account resource insufficient/i.test(t)) return "bandwidth";
  if (/server busy/i.test(t)) return "server_busy";
  if (code === "CONTRACT_VALIDATE_ERROR" || /Contract validate error/i.test(t)) return "validate_other";
  return "unknown";
}

/** ChainError from a node message (hex of UTF-8 or plain text). */
export function chainErrorFromMessage(
  message: string,
  extra: { code?: string; txid?: string; [k: string]: unknown } = {},
): ChainError {
  const text = hexToText(message);
  return new ChainError(classifyChainMessage(text, extra.code), text, extra);
}
