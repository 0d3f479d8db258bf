/**
 * Completes Next's standalone output (`<distDir>/standalone`, made by `next build` with
 * `output: "standalone"`) into what production runs with `node server.js`: Next leaves out the
 * static assets and `public/`, and the app reads its migrations (the `migrate` role) and the
 * Fluent catalogues (every surface's copy) from disk at run time. The Dockerfile makes the same copies, to the same relative
 * paths:
 *
 *   <distDir>/static → standalone/<distDir>/static
 *   public           → standalone/public
 *   db/migrations    → standalone/db/migrations
 *   lib/i18n/locales → standalone/lib/i18n/locales
 *
 * The build folder is NEXT_DIST_DIR when set (next.config.ts `distDir`), else `.next`.
 * Usage: `tsx scripts/standalone-prepare.ts` after `next build`; prints the standalone folder.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export function standaloneDir(root = process.cwd(), distDir = process.env.NEXT_DIST_DIR || ".next"): string {
  return resolve(root, distDir, "standalone");
}

/** The copies, as [from, to] relative to the project root and to the standalone folder. */
export function standaloneCopies(distDir = process.env.NEXT_DIST_DIR || ".next"): [string, string][] {
  return [
    [join(distDir, "static"), join(distDir, "static")],
    ["public", "public"],
    ["db/migrations", "db/migrations"],
    ["lib/i18n/locales", "lib/i18n/locales"],
  ];
}

export function prepareStandalone(
  root = process.cwd(),
  distDir = process.env.NEXT_DIST_DIR || ".next",
): string {
  const out = standaloneDir(root, distDir);
  if (!existsSync(join(out, "server.js")))
    throw new Error(`${out}/server.js is missing: run \`next build\` (output: "standalone") first.`);
  for (const [from, to] of standaloneCopies(distDir)) {
    const src = resolve(root, from);
    if (!existsSync(src)) continue; // e.g. no public/ folder
    const dst = join(out, to);
    rmSync(dst, { recursive: true, force: true });
    cpSync(src, dst, { recursive: true });
  }
  return out;
}

if (process.argv[1]?.endsWith("standalone-prepare.ts")) console.log(prepareStandalone());
