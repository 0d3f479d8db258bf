import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET as openapiRoute } from "@/app/api/v1/openapi.json/route";
import { API_ROUTES, buildOpenApiDocument } from "./openapi";
import { apiErrorCodes } from "./schemas";

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const validator = new Validator();
    const res = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
  });

  it("lists every route, and every route in the document has a handler", async () => {
    const doc = buildOpenApiDocument() as any;
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m} ${p}`),
    );
    expect(listed.sort()).toEqual(API_ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, p] of API_ROUTES) {
      const file = path.join(process.cwd(), "app/api/v1", p.replace("{id}", "[id]"), "route.ts");
      expect(fs.existsSync(file), file).toBe(true);
      const mod = await import(/* @vite-ignore */ file);
      expect(typeof mod[method.toUpperCase()], `${method} ${p}`).toBe("function");
    }
  });

  it("lists every error code (schema enum and the responses that use them)", () => {
    const doc = buildOpenApiDocument() as any;
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual([...apiErrorCodes]);
    const text = JSON.stringify(doc.paths);
    for (const code of apiErrorCodes) expect(text, code).toContain(`\`${code}\``);
    expect(doc.paths["/orders"].post.responses["409"].description).toContain("idempotency_conflict");
    expect(doc.paths["/orders"].post.responses["402"].description).toContain("insufficient_balance");
    expect(doc.paths["/orders"].post.responses["429"].headers["Retry-After"]).toBeDefined();
    expect(
      doc.paths["/orders"].post.parameters.some((p: any) => p.name === "Idempotency-Key" && p.required),
    ).toBe(true);
  });

  it("documents batches: idempotent POST with per-line results, and GET by id", () => {
    const doc = buildOpenApiDocument() as any;
    const post = doc.paths["/batches"].post;
    expect(post.operationId).toBe("createBatch");
    expect(post.parameters.some((p: any) => p.name === "Idempotency-Key" && p.required)).toBe(true);
    expect(post.responses["409"].description).toContain("idempotency_conflict");
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "413", "503"]));
    expect(doc.components.schemas.Batch.properties.lines.items.$ref).toBe("#/components/schemas/BatchLine");
    expect(doc.components.schemas.BatchLine.properties.status.enum).toEqual([
      "pending",
      "ordered",
      "rejected",
    ]);
    expect(doc.paths["/batches/{id}"].get.responses["404"].description).toContain("not_found");
  });

  it("documents the callback signature recipe", () => {
    const doc = buildOpenApiDocument() as any;
    expect(doc.webhooks.orderUpdated.post.description).toContain("X-TEH-Signature");
    expect(doc.info.description).toContain("HMAC-SHA256");
    expect(doc.components.schemas.OrderCallback).toBeDefined();
  });

  it("is served at /api/v1/openapi.json", async () => {
    const res = openapiRoute();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.paths["/orders/{id}/cancel"].post.operationId).toBe("cancelOrder");
  });
});
