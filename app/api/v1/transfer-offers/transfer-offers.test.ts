import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { errorSchema, transferOffersResponseSchema } from "@/lib/api/schemas";
import { resetSettings, updateSettings } from "@/lib/settings";
import { rentalAddress } from "@/lib/transfers";
import { GET } from "./route";

/** Contract test of GET /api/v1/transfer-offers: the handler called with real Requests. */

const get = (qs = "") => GET(new Request(`http://localhost/api/v1/transfer-offers${qs}`));

beforeEach(async () => {
  await updateSettings({
    transfer: {
      enabled: true,
      offers: [
        { amountSun: "8000000", energy: 131_000, duration: "1h" },
        { amountSun: "4000000", energy: 65_000, duration: "1h" },
      ],
      riskCapSun: "20000000",
      refundFeeSun: "1000000",
    },
  });
});
afterAll(() => resetSettings(["transfer"]));

describe("GET /transfer-offers", () => {
  it("answers the rental address and the offers, cheapest first, with labels in English or Chinese", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = transferOffersResponseSchema.parse(await res.json());
    expect(body.address).toBe(rentalAddress());
    expect(body.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(body.offers.map((o) => o.amount_sun)).toEqual(["4000000", "8000000"]);
    expect(body.offers[0]).toEqual({
      amount_sun: "4000000",
      energy: 65_000,
      duration: "1h",
      duration_seconds: 3600,
      label: "Send 4 TRX → 65,000 energy for 1 h",
    });
    expect(body).toMatchObject({ enabled: true, risk_cap_sun: "20000000", refund_fee_sun: "1000000" });
    const zh = transferOffersResponseSchema.parse(await (await get("?lang=zh")).json());
    expect(zh.offers[0].label).toContain("转入 4 TRX");
  });

  it("says so, with no offers, while pay by transfer is off", async () => {
    await updateSettings({
      transfer: { enabled: false, offers: [], riskCapSun: "0", refundFeeSun: "0" },
    });
    const body = await (await get()).json();
    expect(body).toMatchObject({ enabled: false, offers: [] });
  });

  it("refuses an unknown language with a clear error", async () => {
    const res = await get("?lang=fr");
    expect(res.status).toBe(400);
    const body = errorSchema.parse(await res.json());
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields?.lang).toBe("lang is en or zh.");
  });

  it("is in the OpenAPI document", () => {
    const doc = buildOpenApiDocument() as any;
    const op = doc.paths["/transfer-offers"].get;
    expect(op.operationId).toBe("getTransferOffers");
    expect(op.responses["200"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/TransferOffers",
    );
    expect(doc.components.schemas.TransferOffers.properties.offers).toBeDefined();
  });
});
