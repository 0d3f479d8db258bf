import type { InngestFunction } from "inngest";
import { matches } from "@/engine/expr";
import { orderCallback } from "@/inngest/functions/api";
import { botBatchCard, botDepositNotice, botOrderCard } from "@/inngest/functions/bot";
import { captureSender, type EventSender, type OutgoingEvent } from "@/lib/events";

/**
 * The domain events' consumers, run in-process as Inngest would run them after a send: a sender
 * that captures every event (like `captureSender`) and runs the functions an event triggers with
 * @inngest/test, once per event id (Inngest deduplicates a re-sent id), when the trigger's `if`
 * holds (evaluated by the local engine's CEL). Suites that check what the
 * surfaces do after an order or deposit change (the bot's messages, API callbacks) use it instead
 * of `captureSender`. Errors of those runs are collected in `consumerErrors`.
 */

type AnyFunction = InngestFunction.Any;
const consumers: AnyFunction[] = [botOrderCard, botDepositNotice, orderCallback, botBatchCard];

export const consumerErrors: { event: OutgoingEvent; functionId: string; error: unknown }[] = [];
const seenIds = new Set<string>();

/** Whether `fn` starts on `e`: a trigger of that name whose condition (CEL, as the engine reads it) holds. */
function triggeredBy(fn: AnyFunction, e: OutgoingEvent): boolean {
  const triggers = (fn.opts as { triggers?: { event?: string | { name: string }; if?: string }[] }).triggers;
  return (triggers ?? []).some((t) => {
    const name = typeof t.event === "string" ? t.event : t.event?.name;
    return name === e.name && matches(t.if, { event: { name: e.name, data: e.data } });
  });
}

export const deliveringSender: EventSender = async (events) => {
  await captureSender(events);
  const { InngestTestEngine } = await import("@inngest/test");
  for (const e of events) {
    if (e.id) {
      if (seenIds.has(e.id)) continue;
      seenIds.add(e.id);
    }
    for (const fn of consumers) {
      if (!triggeredBy(fn, e)) continue;
      const { error } = await new InngestTestEngine({ function: fn }).execute({
        events: [{ name: e.name, data: e.data, ...(e.id ? { id: e.id } : {}) }] as never,
      });
      if (error) consumerErrors.push({ event: e, functionId: fn.id(), error });
    }
  }
};
