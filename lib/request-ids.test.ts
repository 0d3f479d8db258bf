import { createServer, request } from "node:http";
import { describe, expect, it } from "vitest";
import { captureLogs, installRequestIds, logger } from "@/lib/log";

/**
 * Every request the server takes — a page, a server action, a route — gets a request id on every
 * log line written while it is handled, set where node:http announces the request (no per-route
 * wrapper to forget), and the response says which.
 */
function get(port: number, headers: Record<string, string> = {}): Promise<{ id: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/page", headers }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ id: String(res.headers["x-request-id"]), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("request ids", () => {
  it("every line a request's handler logs, after any await, carries its own id; the response echoes it", async () => {
    const server = createServer(async (req, res) => {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 20));
      logger.warn({ path: req.url }, "handled");
      await Promise.resolve();
      logger.warn("after");
      res.end(String(req.headers["x-request-id"]));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    const uninstall = await installRequestIds();
    const cap = captureLogs();
    try {
      const results = await Promise.all([
        get(port),
        get(port),
        get(port, { "x-request-id": "client-trace-0001" }),
        get(port, { "x-request-id": "bad id with spaces" }),
      ]);
      const lines = cap.lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string });
      for (const r of results) {
        // the handler saw the same id the response carries
        expect(r.body).toBe(r.id);
        const mine = lines.filter((l) => l.requestId === r.id);
        expect(mine.map((l) => l.msg).sort()).toEqual(["after", "handled"]);
      }
      expect(results[2].id).toBe("client-trace-0001");
      expect(results[3].id).not.toBe("bad id with spaces");
      expect(new Set(results.map((r) => r.id)).size).toBe(4);
      expect(lines.every((l) => typeof l.requestId === "string")).toBe(true);
    } finally {
      cap.stop();
      uninstall();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
