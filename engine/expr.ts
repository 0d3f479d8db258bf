/**
 * Inngest expressions (trigger `if`, concurrency and idempotency keys, cancelOn, waitForEvent) are
 * Common Expression Language. They are compiled once with @marcbachmann/cel-js, a complete CEL
 * implementation, so any expression the SDK sends is either evaluated as CEL defines it or refused
 * at sync with the parser's message. Variables: `event` (the run's triggering event) and `async`
 * (the incoming event, for cancellation and waits).
 */
import { parse } from "@marcbachmann/cel-js";
import { LRUCache } from "lru-cache";

type Compiled = ReturnType<typeof parse>;
const compiled = new LRUCache<string, Compiled>({ max: 5_000 });

/** Compiles an expression; throws with the parser's message when it is not valid CEL. */
export function compile(expression: string): Compiled {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = parse(expression);
    compiled.set(expression, fn);
  }
  return fn;
}

/** Null when valid, else a one-line reason. */
export function checkExpression(expression: string): string | null {
  try {
    compile(expression);
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
  }
}

export type ExprVars = { event?: unknown; async?: unknown };

/** Evaluates to a value; a missing key or a type error throws (callers decide what that means). */
export function evaluate(expression: string, vars: ExprVars): unknown {
  return compile(expression)(vars as Record<string, unknown>);
}

/** True only when the expression evaluates to boolean true; errors count as no match. */
export function matches(expression: string | undefined, vars: ExprVars): boolean {
  if (!expression) return true;
  try {
    return evaluate(expression, vars) === true;
  } catch {
    return false;
  }
}

/** A key expression's value as a string (concurrency, idempotency); null when it cannot be read. */
export function keyOf(expression: string, vars: ExprVars): string | null {
  try {
    const v = evaluate(expression, vars);
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
    return JSON.stringify(v);
  } catch {
    return null;
  }
}
