import { InngestTestEngine } from "@inngest/test";
import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { inngest } from "@/inngest/client";
import { sampleValue } from "@/lib/metrics-testing";

const stepFails = inngest.createFunction(
  { id: "test-observe-step-fails", triggers: [{ event: "test/observe.step" }], retries: 0 },
  async ({ step }) => {
    await step.run("breaks", () => {
      throw new NonRetriableError("the chain said no");
    });
  },
);

const runFails = inngest.createFunction(
  { id: "test-observe-run-fails", triggers: [{ event: "test/observe.run" }], retries: 0 },
  async () => {
    throw new NonRetriableError("bad input");
  },
);

const errors = (fn: string, kind: "run" | "step") =>
  sampleValue("teh_job_errors_total", { function: fn, kind, final: "true" });

describe("Inngest client middleware", () => {
  it("counts a step that threw in teh_job_errors_total, by function id", async () => {
    const before = await errors("test-observe-step-fails", "step");
    const r = await new InngestTestEngine({ function: stepFails }).execute({
      events: [{ name: "test/observe.step", data: {} }],
    });
    expect(r.error).toBeDefined();
    expect(await errors("test-observe-step-fails", "step")).toBe(before + 1);
  });

  it("counts a run that threw", async () => {
    const before = await errors("test-observe-run-fails", "run");
    const r = await new InngestTestEngine({ function: runFails }).execute({
      events: [{ name: "test/observe.run", data: {} }],
    });
    expect(r.error).toBeDefined();
    expect(await errors("test-observe-run-fails", "run")).toBe(before + 1);
  });
});
