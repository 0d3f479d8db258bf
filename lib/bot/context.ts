import type { Context, SessionFlavor } from "grammy";
import type { User } from "@/db/schema";
import type { Locale } from "@/lib/locale";

/** What the bot waits for when the user types text (multi-step input). */
export type Step =
  | { kind: "wallet_address" }
  | { kind: "wallet_label"; walletId: number }
  | { kind: "lookup" }
  | { kind: "rent_receiver" }
  | { kind: "rent_recipient" }
  | { kind: "rent_energy" }
  | { kind: "keep_new" }
  | { kind: "pkg_address"; transfers: number }
  | { kind: "batch_list" };

/**
 * A batch rent being prepared (lib/bot/features/batch): the lines sent, the energy and duration for
 * lines without them; `id` is the batch's idempotency key once reviewed, `batchId` once placed.
 */
export type BatchDraft = {
  id: string;
  energy: number;
  duration: string;
  lines?: { receiver: string; energy: string; duration: string }[];
  batchId?: number;
};

/** The flash-rent form being filled in (edited in place). `id` ties buttons to this draft. */
export type RentDraft = {
  id: string;
  receiver: string | null;
  energy: number;
  duration: string;
  /** USDT recipient the user will pay, and what we found there. */
  recipient?: string | null;
  recipientHoldsUsdt?: boolean | null;
};

/** The quote shown on the review screen; `id` is the order idempotency key. */
export type QuoteSnap = {
  id: string;
  draftId: string;
  receiver: string;
  energy: number;
  duration: string;
  priceSun: string;
  expiresAt: number;
  /** The held quote's signed token (lib/pricing holdQuote): the order is charged its price. */
  token?: string;
  orderId?: number;
};

export type SessionData = {
  step?: Step;
  rent?: RentDraft;
  quote?: QuoteSnap;
  batch?: BatchDraft;
  /** Last address looked up (for the [Rent for it] [Save] buttons). */
  lookup?: string;
  /** Order list cursors visited, newest first ("0" = first page). */
  orderPages?: string[];
  /** The supplier payout shown for confirmation (sun, decimal): the amount the confirm button pays, once. */
  supplierPayout?: { amountSun: string };
};

export type BotDeps = {
  /** Base URL of the web portal (login links, order pages). */
  appUrl: string;
  /** Mini App URL (a web_app button) or null. */
  miniAppUrl: string | null;
  supportUrl: string | null;
};

type Extra = {
  /** The app user for ctx.from (loaded once per update). */
  user: User;
  /** The account was created by this update (first contact). */
  userCreated: boolean;
  locale: Locale;
  deps: BotDeps;
};

export type BotContext = Context & SessionFlavor<SessionData> & Extra;
