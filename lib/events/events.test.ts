import { afterEach, describe, expect, it } from "vitest";
import {
  captureSender,
  capturedEvents,
  eventSendStatus,
  type OutgoingEvent,
  sendEvent,
  sendEvents,
  setDefaultEventSender,
  setEventSender,
} from "@/lib/events";

afterEach(() => setEventSender(null));

const ev = (i: number): OutgoingEvent => ({
  name: "order/paid",
  data: { orderId: i },
  id: `order-paid-${i}`,
});

describe("sendEvents", () => {
  it("events sent in the same turn travel in one request, each caller told it was sent", async () => {
    const requests: OutgoingEvent[][] = [];
    setEventSender(async (events) => {
      requests.push(events);
    });
    const results = await Promise.all([sendEvent(ev(1)), sendEvents([ev(2), ev(3)]), sendEvent(ev(4))]);
    expect(results).toEqual([true, true, true]);
    expect(requests).toEqual([[ev(1), ev(2), ev(3), ev(4)]]);
    // a later turn is a new request
    await sendEvent(ev(5));
    expect(requests).toHaveLength(2);
    expect(await sendEvents([])).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it("splits a large turn into requests of at most 200 events, never splitting one caller's events", async () => {
    const sizes: number[] = [];
    setEventSender(async (events) => {
      sizes.push(events.length);
    });
    const many = Array.from({ length: 150 }, (_, i) => ev(i));
    await Promise.all([
      sendEvents(many),
      sendEvents(many.map((e) => ({ ...e, id: `${e.id}-b` }))),
      sendEvent(ev(999)),
    ]);
    expect(sizes).toEqual([150, 151]);
  });

  it("an unreachable Inngest: every caller gets false, nothing throws, health reports it until a send works", async () => {
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288\nstack");
    });
    expect(await Promise.all([sendEvent(ev(1)), sendEvent(ev(2))])).toEqual([false, false]);
    expect(eventSendStatus()).toMatchObject({ ok: false, lastError: "connect ECONNREFUSED 127.0.0.1:8288" });
    setEventSender(async () => {});
    expect(await sendEvent(ev(3))).toBe(true);
    expect(eventSendStatus()).toMatchObject({ ok: true, lastError: null });
  });

  it("a sender set for a while wins; null returns to the process's own sender, whatever was injected", async () => {
    const own: OutgoingEvent[] = [];
    setDefaultEventSender(async (events) => {
      own.push(...events);
    });
    try {
      const passing: OutgoingEvent[] = [];
      setEventSender(async (events) => {
        passing.push(...events);
      });
      await sendEvent(ev(1));
      setEventSender(null);
      await sendEvent(ev(2));
      expect(passing).toEqual([ev(1)]);
      expect(own).toEqual([ev(2)]);
    } finally {
      setDefaultEventSender(captureSender);
    }
    // the test runner's own sender (test/setup.ts) captures
    await sendEvent(ev(3));
    expect(capturedEvents.at(-1)).toEqual(ev(3));
  });
});
