import pRetry from "p-retry";
import { AppError } from "@/lib/errors";
import { leanFetch } from "@/lib/http/fetch";
import { tronProviderRequests } from "@/lib/metrics";
import { parseJsonBig } from "@/lib/tron/json";
import { nodeError } from "./schemas";
import type { Provider, TronFetch, TronRequestInit } from "./types";

/**
 * One HTTP exchange with a TRON data provider (full node or TronScan): timeout, bigint-safe JSON,
 * rate-limit detection and bounded backoff, and the per-provider outcome metric.
 */

type Outcome = "ok" | "error" | "timeout" | "rate_limited";

export class TransportError extends Error {
  constructor(
    readonly kind: Exclude<Outcome, "ok"> | "bad_response",
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

const RATE_LIMIT_STATUS = new Set([403, 429, 503]);

function isRateLimitText(s: string): boolean {
  return /frequency limit|rate limit|too many requests|exceeds the/i.test(s);
}

function outcomeOf(e: unknown): Outcome {
  if (e instanceof TransportError) return e.kind === "bad_response" ? "error" : e.kind;
  return "error";
}

function isAbort(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** A transport failure as callers see it: AppError("provider_unavailable"); anything else as is. */
export function toAppError(e: unknown): unknown {
  if (e instanceof TransportError) {
    return new AppError(
      "provider_unavailable",
      "The TRON node is not answering right now. Please try again shortly.",
      {
        details: { kind: e.kind, status: e.status, error: e.message },
      },
    );
  }
  return e;
}

type RetryPolicy = {
  /** Retries after a rate-limit reply before giving up (the caller then falls back or fails). */
  rateLimitRetries: number;
  /** First backoff delay in ms; doubles per retry, each delay times a random factor in [1, 2). */
  backoffMs: number;
  timeoutMs: number;
};

export class Transport {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly fetchImpl: TronFetch = leanFetch,
  ) {}

  /**
   * One request, each attempt under its own timeout. Only a rate-limit reply (HTTP 403/429/503, or
   * a node `{"Error": "...rate limit..."}`) is tried again, `rateLimitRetries` times with
   * exponential backoff (p-retry); a timeout, network error, other HTTP error or non-JSON reply
   * fails at once. Records one provider metric per request, not per attempt.
   */
  async request(provider: Provider, url: string, init: TronRequestInit): Promise<unknown> {
    const { rateLimitRetries, backoffMs } = this.policy;
    try {
      const body = await pRetry(() => this.attempt(provider, url, init), {
        retries: rateLimitRetries,
        factor: 2,
        minTimeout: backoffMs,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof TransportError && error.kind === "rate_limited",
      });
      tronProviderRequests.inc({ provider, outcome: "ok" });
      return body;
    } catch (e) {
      tronProviderRequests.inc({ provider, outcome: outcomeOf(e) });
      throw e;
    }
  }

  private async attempt(provider: Provider, url: string, init: TronRequestInit): Promise<unknown> {
    const { timeoutMs } = this.policy;
    let res: Awaited<ReturnType<TronFetch>>;
    try {
      res = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      if (isAbort(e)) throw new TransportError("timeout", `${provider} timed out after ${timeoutMs} ms`);
      throw new TransportError(
        "error",
        `${provider} unreachable: ${(e as Error)?.message ?? "network error"}`,
      );
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new TransportError(isAbort(e) ? "timeout" : "error", `${provider} body read failed`);
    }
    const limited = (): TransportError =>
      new TransportError("rate_limited", `${provider} rate limited (HTTP ${res.status})`, res.status);
    if (RATE_LIMIT_STATUS.has(res.status)) throw limited();
    if (!res.ok) throw new TransportError("error", `${provider} HTTP ${res.status}`, res.status);
    let body: unknown;
    try {
      body = parseJsonBig(text);
    } catch {
      throw new TransportError("bad_response", `${provider} returned non-JSON (HTTP ${res.status})`);
    }
    const err = nodeError.safeParse(body);
    if (err.success && isRateLimitText(err.data.Error)) throw limited();
    return body;
  }
}
