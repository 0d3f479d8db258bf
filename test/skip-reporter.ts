import type { Reporter, TestModule } from "vitest/node";

/**
 * Names every whole suite the run skipped, after vitest's own summary, so a suite that cannot run
 * here (the database-timeout suite needs a real PostgreSQL: set DATABASE_URL) is never skipped
 * silently. Each such suite says why in its own title.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const m of modules)
      for (const s of m.children.suites()) if (s.state() === "skipped") skipped.push(s.fullName);
    if (skipped.length === 0) return;
    const list = skipped.map((s) => `   ↷ ${s}`).join("\n");
    process.stdout.write(`\n Skipped suites: ${skipped.length}\n${list}\n\n`);
  }
}
