import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { orderStatusChanged, rentalTransferReceived } from "@/inngest/events";
import { sendEvents } from "@/lib/events";
import {
  actOnRentalTransfer,
  broadcastRefund,
  checkRefund,
  onTransferOrderChanged,
  type RefundState,
  rentalTransfersDue,
  signRefund,
  watchHeadOnce,
} from "@/lib/transfers";

const MAX_RESIGNS = 3;
const MAX_POLLS = 60;
const POLL_INTERVAL = "3s";

/**
 * rental-transfer/received → act on the payment (lib/transfers/process.ts: an order for the sender,
 * or the return of the payment once its block is solidified); a refund due is then signed and
 * stored, broadcast and confirmed in durable steps (refund.ts), re-signed only once expired.
 * One run at a time per transfer; every step reads the row's state, so duplicates do nothing.
 */
export const processRentalTransfer = inngest.createFunction(
  {
    id: "process-rental-transfer",
    name: "Pay by transfer: act on a payment",
    triggers: [rentalTransferReceived],
    concurrency: [{ key: "event.data.transferId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const id = event.data.transferId;
    const act = await step.run("act", () => actOnRentalTransfer(id));
    if (act.action !== "refund") return { transferId: id, ...act };
    let r = 0;
    let k = 0;
    let waits = 0;
    let s: RefundState = await step.run("sign-0", () => signRefund(id));
    while (s.state !== "refunded" && s.state !== "failed" && s.state !== "none") {
      if (k > MAX_POLLS)
        throw new Error(`Refund of rental transfer ${id} not settled after ${MAX_POLLS} polls`);
      if (s.state === "signed") s = await step.run(`broadcast-${r}`, () => broadcastRefund(id));
      else if (s.state === "sent") s = await step.run(`check-${r}-${k++}`, () => checkRefund(id));
      else if (s.state === "pending") {
        await step.sleep(`wait-${waits++}`, POLL_INTERVAL);
        s = await step.run(`check-${r}-${k++}`, () => checkRefund(id));
      } else if (s.state === "resign") {
        if (++r >= MAX_RESIGNS) throw new Error(`Refund of rental transfer ${id} expired ${r} times`);
        k = 0;
        s = await step.run(`sign-${r}`, () => signRefund(id));
      }
    }
    return { transferId: id, refund: s.state };
  },
);

/**
 * order/status.changed of an order paid by transfer: delivered → the transfer is `delivered`;
 * refunded (the order failed) → the payment is returned to its sender (rental-transfer/received).
 */
export const settleRentalTransferOrder = inngest.createFunction(
  {
    id: "settle-rental-transfer-order",
    name: "Pay by transfer: an order settled",
    triggers: [{ event: orderStatusChanged, if: "event.data.to == 'active' || event.data.to == 'refunded'" }],
    retries: 5,
  },
  async ({ event, step }) => {
    const id = await step.run("settle", () => onTransferOrderChanged(event.data.orderId, event.data.to));
    if (id === null) return { orderId: event.data.orderId, transfer: null };
    await step.sendEvent(
      "return",
      rentalTransferReceived.create(
        { transferId: id },
        { id: `rental-transfer-${id}-order-${event.data.to}` },
      ),
    );
    return { orderId: event.data.orderId, transfer: id };
  },
);

/** Every minute: payments with work left get their event again (one lost send never strands one). */
export const sweepRentalTransfers = inngest.createFunction(
  { id: "sweep-rental-transfers", name: "Pay by transfer: sweep", triggers: [cron("* * * * *")] },
  async ({ step }) => {
    const ids = await step.run("find", () => rentalTransfersDue());
    if (ids.length === 0) return { sent: 0 };
    const minute = Math.floor(Date.now() / 60_000);
    const ok = await step.run("resend", () =>
      sendEvents(
        ids.map((id) =>
          rentalTransferReceived.create({ transferId: id }, { id: `rental-transfer-${id}-sweep-${minute}` }),
        ),
      ),
    );
    if (!ok) throw new Error("Could not re-send rental-transfer/received events");
    return { sent: ids.length };
  },
);

/** Head reads per run: one every 3 s (a block), for just under the minute until the next run. */
const WATCH_READS = 18;

/**
 * Every minute: the head watch (lib/transfers/watch.ts) reads the head block every 3 s and records
 * the payments to the rental address in it, so they are acted on in the next block rather than at the
 * scanner's next minute. One request per read (about 28,800 a day). One run at a time.
 */
export const watchRentalHead = inngest.createFunction(
  {
    id: "watch-rental-head",
    name: "Pay by transfer: watch the head block",
    triggers: [cron("* * * * *")],
    concurrency: { limit: 1 },
    retries: 0,
  },
  async ({ step }) => {
    let recorded = 0;
    for (let i = 0; i < WATCH_READS; i++) {
      const r = await step.run(`watch-${i}`, () => watchHeadOnce());
      if (r.block === null) break; // off, or rate-limited: the scanner's passes carry on alone
      recorded += r.recorded;
      await step.sleep(`wait-${i}`, "3s");
    }
    return { recorded };
  },
);

/** Pay-by-transfer functions served at /api/inngest. */
export const transferFunctions = [
  processRentalTransfer,
  settleRentalTransferOrder,
  sweepRentalTransfers,
  watchRentalHead,
];
