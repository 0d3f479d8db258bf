import type { z } from "zod";
import { parseAddress, toHex } from "@/lib/tron/address";
import { chainErrorFromMessage } from "@/lib/tron/errors";
import { hexToText } from "@/lib/tron/json";
import { accountStateOf, resourcesOf } from "./mapping";
import { accountSchema, constantSchema, nodeError, resourceSchema } from "./schemas";
import { type Transport, TransportError, toAppError } from "./transport";
import type { AccountResources, AccountState, TronRequestInit } from "./types";

/** A node call: the API path, its JSON body (if any), the reply's schema and the HTTP method (POST by default). */
export type NodeCall<S extends z.ZodType> = [
  path: string,
  body: Record<string, unknown> | undefined,
  schema: S,
  method?: "POST" | "GET",
];

/**
 * The full node's HTTP API (java-tron /wallet and /walletsolidity): a request, its reply checked
 * against a schema, a node `{"Error"}` reply turned into a ChainError, and the account reads the
 * overview combines.
 */
export class FullNode {
  constructor(
    private readonly transport: Transport,
    private readonly config: { fullHost: string; apiKey?: string },
    private readonly usdtHex: string,
  ) {}

  private headers(): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.config.apiKey) h["TRON-PRO-API-KEY"] = this.config.apiKey;
    return h;
  }

  /** Raw node call (POST with a JSON body if any, or GET). Transport failures → TransportError. */
  raw(path: string, body?: Record<string, unknown>, method: "POST" | "GET" = "POST"): Promise<unknown> {
    const init: TronRequestInit = { method, headers: this.headers() };
    if (body && method === "POST") init.body = JSON.stringify(body);
    return this.transport.request("fullnode", `${this.config.fullHost}/${path}`, init);
  }

  /** Node call parsed with `schema`: `{"Error"}` → ChainError, another shape → TransportError. */
  async parsed<S extends z.ZodType>(
    ...[path, body, schema, method = "POST"]: NodeCall<S>
  ): Promise<z.output<S>> {
    const raw = await this.raw(path, body, method);
    const err = nodeError.safeParse(raw);
    if (err.success) throw chainErrorFromMessage(err.data.Error, { path });
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new TransportError(
        "bad_response",
        `fullnode ${path}: unexpected response shape (${parsed.error.issues[0]?.message ?? "?"})`,
      );
    }
    return parsed.data;
  }

  /** Node read for callers: transport failures become AppError("provider_unavailable"). */
  async read<S extends z.ZodType>(...call: NodeCall<S>): Promise<z.output<S>> {
    try {
      return await this.parsed(...call);
    } catch (e) {
      throw toAppError(e);
    }
  }

  async account(address: string, solidified = false): Promise<AccountState> {
    const b58 = parseAddress(address);
    const a = await this.parsed(
      `${solidified ? "walletsolidity" : "wallet"}/getaccount`,
      { address: toHex(b58) },
      accountSchema,
    );
    return accountStateOf(b58, a);
  }

  async resources(address: string): Promise<AccountResources> {
    const r = await this.parsed("wallet/getaccountresource", { address: toHex(address) }, resourceSchema);
    return resourcesOf(r);
  }

  /** USDT balance via triggerconstantcontract balanceOf. */
  async usdt(address: string): Promise<bigint> {
    const hex = toHex(address);
    const r = await this.parsed(
      "wallet/triggerconstantcontract",
      {
        owner_address: hex,
        contract_address: this.usdtHex,
        function_selector: "balanceOf(address)",
        parameter: hex.slice(2).padStart(64, "0"),
      },
      constantSchema,
    );
    if (r.result.code || r.result.result === false) {
      throw chainErrorFromMessage(hexToText(r.result.message) || r.result.code || "constant call failed", {
        code: r.result.code,
      });
    }
    const word = r.constant_result[0];
    if (word === undefined || !/^[0-9a-fA-F]*$/.test(word)) {
      throw new TransportError("bad_response", "fullnode balanceOf: no constant_result");
    }
    return word === "" ? 0n : BigInt(`0x${word}`);
  }
}
