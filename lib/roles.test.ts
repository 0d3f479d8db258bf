import { describe, expect, it } from "vitest";
import { servesFunctions, servesPath } from "./roles";

/** Which paths each APP_ROLE serves (the gate in front of Next answers the rest with 404). */
describe("APP_ROLE paths", () => {
  it("the worker serves the Inngest endpoint, health, metrics and ping only", () => {
    for (const p of ["/api/inngest", "/api/inngest?fnId=x", "/api/health", "/api/metrics", "/api/ping"])
      expect(servesPath("worker", p), p).toBe(true);
    for (const p of [
      "/",
      "/login",
      "/admin",
      "/admin/pool",
      "/api/telegram",
      "/api/v1/orders",
      "/api/inngestx",
      "/dashboard",
    ])
      expect(servesPath("worker", p), p).toBe(false);
  });

  it("the web serves everything but the Inngest endpoint", () => {
    for (const p of ["/", "/admin/pool", "/api/telegram", "/api/v1/orders", "/api/health", "/api/inngestx"])
      expect(servesPath("web", p), p).toBe(true);
    for (const p of ["/api/inngest", "/api/inngest/", "/api/inngest?x=1"])
      expect(servesPath("web", p), p).toBe(false);
  });

  it("a single process serves everything; only worker and all run functions", () => {
    expect(servesPath("all", "/api/inngest")).toBe(true);
    expect(servesPath("all", "/admin")).toBe(true);
    expect(servesPath("migrate", "/")).toBe(false);
    expect([servesFunctions("all"), servesFunctions("worker"), servesFunctions("web")]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe("the role gate in front of the server", () => {
  async function seen(role: "web" | "worker", paths: string[]): Promise<string[]> {
    const { createServer } = await import("node:http");
    const { installRoleGate } = await import("./roles");
    const server = createServer((req, res) => res.end(req.url));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    const uninstall = await installRoleGate(role);
    try {
      const out: string[] = [];
      for (const p of paths) {
        const { request } = await import("node:http");
        out.push(
          await new Promise<string>((resolve, reject) => {
            const req = request({ host: "127.0.0.1", port, path: p }, (res) => {
              let body = "";
              res.on("data", (c) => {
                body += c;
              });
              res.on("end", () => resolve(body));
            });
            req.on("error", reject);
            req.end();
          }),
        );
      }
      return out;
    } finally {
      uninstall();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }

  it("a worker sends pages, the webhook and the API to /api/not-served, however the path is spelled", async () => {
    expect(
      await seen("worker", [
        "/api/inngest?fnId=a",
        "/api/health",
        "/admin",
        "/api/telegram",
        "/api/inngest/../../admin",
        "//admin",
        "/api/health/../../dashboard",
      ]),
    ).toEqual([
      "/api/inngest?fnId=a",
      "/api/health",
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
    ]);
  });

  it("a web process never lets a request reach /api/inngest", async () => {
    expect(
      await seen("web", [
        "/api/inngest",
        "/API/Inngest",
        "//api//inngest",
        "/api/%69nngest",
        "/x/../api/inngest",
        "/login",
      ]),
    ).toEqual([
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
      "/api/not-served",
      "/login",
    ]);
  });
});
