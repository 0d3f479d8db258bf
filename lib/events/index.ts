import { inngest } from "@/inngest/client";
import { env } from "@/lib/env";
import { registerHealthCheck } from "@/lib/health";
import { logger } from "@/lib/log";

/**
 * Sending Inngest events without ever losing the caller's work: an unreachable Inngest server is
 * logged loudly and reported by the `inngest` health check, and the send returns `false`; the
 * state it was meant to trigger stays in the database (e.g. an order stays `paid`) and the safety
 * sweep re-sends. Event ids make a re-send harmless. Events are built with the typed constructors
 * of `inngest/events` (`orderPaid.create(data, { id })`).
 */
export type OutgoingEvent = { name: string; data: Record<string, unknown>; id?: string };
export type EventSender = (events: OutgoingEvent[]) => Promise<void>;

/** Events captured when the capturing sender is active (tests and the in-process demo). */
export const capturedEvents: OutgoingEvent[] = [];

/** The process's sender unless told otherwise: `inngest.send` (exported for benches that time each send). */
export const defaultSender: EventSender = async (events) => {
  await inngest.send(events as Parameters<typeof inngest.send>[0]);
};

const state: {
  base: EventSender;
  sender: EventSender | null;
  lastError: string | null;
  lastFailureAt: Date | null;
} = {
  base: defaultSender,
  sender: null,
  lastError: null,
  lastFailureAt: null,
};

/** Replaces the sender for a while (tests, benches, the demo); `null` returns to the process's own. */
export function setEventSender(sender: EventSender | null): void {
  state.sender = sender;
}

/**
 * The process's own sender, the one `setEventSender(null)` returns to: Inngest unless the process
 * starts with another (the test runner's setup file injects `captureSender`).
 */
export function setDefaultEventSender(sender: EventSender): void {
  state.base = sender;
}

const currentSender = (): EventSender => state.sender ?? state.base;

/** A sender that records events in `capturedEvents` and sends nothing. */
export const captureSender: EventSender = async (events) => {
  capturedEvents.push(...events);
};

/**
 * Sends events; never throws. Returns whether they reached Inngest. Events sent in the same turn of
 * the event loop (concurrent requests each creating an order, say) travel in one request to Inngest.
 */
export function sendEvents(events: OutgoingEvent[]): Promise<boolean> {
  if (events.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    outbox.push({ events: events.map(plain), resolve });
    if (outbox.length === 1) setImmediate(flushOutbox);
  });
}

/** Name, data and id only (an `EventType.create` result also carries its `validate` method). */
const plain = (e: OutgoingEvent): OutgoingEvent =>
  e.id === undefined ? { name: e.name, data: e.data } : { name: e.name, data: e.data, id: e.id };

type Outgoing = { events: OutgoingEvent[]; resolve: (sent: boolean) => void };
let outbox: Outgoing[] = [];

/** At most this many events per request (Inngest caps the size of one send). */
const MAX_EVENTS_PER_SEND = 200;

async function flushOutbox(): Promise<void> {
  const waiting = outbox;
  outbox = [];
  // whole callers per request, so each caller's events succeed or fail together
  let batch: Outgoing[] = [];
  let count = 0;
  const sends: Promise<void>[] = [];
  const flush = (b: Outgoing[]) =>
    sends.push(
      deliver(b.flatMap((x) => x.events)).then((ok) => {
        for (const x of b) x.resolve(ok);
      }),
    );
  for (const w of waiting) {
    if (count > 0 && count + w.events.length > MAX_EVENTS_PER_SEND) {
      flush(batch);
      batch = [];
      count = 0;
    }
    batch.push(w);
    count += w.events.length;
  }
  flush(batch);
  await Promise.all(sends);
}

async function deliver(events: OutgoingEvent[]): Promise<boolean> {
  const sender = currentSender();
  try {
    await sender(events);
    state.lastError = null;
    return true;
  } catch (e) {
    state.lastError = e instanceof Error ? e.message.split("\n")[0].slice(0, 200) : "send failed";
    state.lastFailureAt = new Date();
    logger.error(
      { err: state.lastError, events: events.map((x) => ({ name: x.name, id: x.id })) },
      "INNGEST UNREACHABLE: event not sent; the safety sweep will re-send it",
    );
    return false;
  }
}

export const sendEvent = (e: OutgoingEvent) => sendEvents([e]);

/** The state the health check reports. */
export function eventSendStatus(): { ok: boolean; lastError: string | null; lastFailureAt: Date | null } {
  return { ok: state.lastError === null, lastError: state.lastError, lastFailureAt: state.lastFailureAt };
}

registerHealthCheck({
  name: "inngest",
  timeoutMs: 3_000,
  run: async () => {
    if (state.lastError) throw new Error(`last event send failed: ${state.lastError}`);
    // Nothing failed yet: with a local server (dev mode, or an engine named by INNGEST_BASE_URL)
    // also check that it answers at all.
    if ((env.INNGEST_DEV || env.INNGEST_BASE_URL) && currentSender() === defaultSender) {
      const base = env.INNGEST_BASE_URL ?? "http://localhost:8288";
      try {
        await fetch(base, { signal: AbortSignal.timeout(1_500) });
      } catch {
        throw new Error(`no Inngest server reachable at ${base}`);
      }
    }
  },
});
