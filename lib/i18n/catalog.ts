import fs from "node:fs";
import path from "node:path";
import { FluentResource } from "@fluent/bundle";
import type { FluentBundle } from "@fluent/bundle";
import { type Locale, locales } from "@/lib/locale";
import { addSource, newBundle } from "./fluent";

/**
 * The Fluent catalogues: lib/i18n/locales/<locale>/<surface>.ftl, one file per surface, all loaded
 * into ONE bundle per locale (so any surface may use any id, and an id defined twice is an error).
 * Read from disk once, on first use, at `process.cwd()`/lib/i18n/locales: next.config.ts traces the
 * folder into the standalone output, scripts/standalone-prepare.ts and the Dockerfile copy it.
 */
export const surfaces = ["bot", "portal", "api", "admin"] as const;
export type Surface = (typeof surfaces)[number];

export const LOCALES_DIR = path.join(process.cwd(), "lib", "i18n", "locales");

type Entry = { id: string; surface: Surface; file: string; source: string };
export type LocaleCatalog = { bundle: FluentBundle; entries: Map<string, Entry> };
export type Catalog = Record<Locale, LocaleCatalog>;

/** The message entries of a Fluent file, each with its own source text (comments left out). */
function splitEntries(source: string): { id: string; source: string }[] {
  const out: { id: string; lines: string[] }[] = [];
  let cur: { id: string; lines: string[] } | null = null;
  for (const line of source.split(/\r?\n/)) {
    const start = /^(-?[a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=/.exec(line);
    if (start) {
      cur = { id: start[1], lines: [line] };
      out.push(cur);
    } else if (cur && (/^[ \t]/.test(line) || line === "")) cur.lines.push(line);
    else cur = null;
  }
  return out.map((e) => {
    while (e.lines.length > 1 && e.lines[e.lines.length - 1].trim() === "") e.lines.pop();
    return { id: e.id, source: e.lines.join("\n") };
  });
}

/** Loads every surface's file of every locale; throws on a missing file, a syntax error or a duplicate id. */
export function loadCatalog(dir: string = LOCALES_DIR): Catalog {
  const catalog = {} as Catalog;
  for (const locale of locales) {
    const bundle = newBundle(locale);
    const entries = new Map<string, Entry>();
    for (const surface of surfaces) {
      const file = path.join(dir, locale, `${surface}.ftl`);
      const source = fs.readFileSync(file, "utf8");
      const parts = splitEntries(source);
      const parsed = new FluentResource(source).body.map((m) => m.id);
      const ids = parts.map((p) => p.id);
      if (parsed.join("\n") !== ids.join("\n")) {
        const bad = ids.find((id, i) => parsed[i] !== id) ?? "(end of file)";
        throw new Error(`${file}: Fluent syntax error at or after message "${bad}"`);
      }
      for (const p of parts) {
        const prev = entries.get(p.id);
        if (prev) throw new Error(`duplicate message id "${p.id}" in ${file} (already in ${prev.file})`);
        entries.set(p.id, { id: p.id, surface, file, source: p.source });
      }
      const errors = addSource(bundle, source);
      if (errors.length) throw new Error(`${file}: ${errors.map((e) => e.message).join("; ")}`);
    }
    catalog[locale] = { bundle, entries };
  }
  return catalog;
}

let loaded: Catalog | null = null;

/** The catalogue of this process (loaded on first use). */
export function getCatalog(): Catalog {
  loaded ??= loadCatalog();
  return loaded;
}

/** The Fluent source of the given ids (for client components: only the messages a page needs). */
export function sourceOf(locale: Locale, ids: Iterable<string>): string {
  const { entries } = getCatalog()[locale];
  const out: string[] = [];
  for (const id of ids) {
    const e = entries.get(id);
    if (e) out.push(e.source);
  }
  return out.join("\n");
}

/** The variables a message names (`{ $amount }`, in selectors too), sorted; undefined if no such message. */
export function variablesOf(locale: Locale, id: string): string[] | undefined {
  const msg = getCatalog()[locale].bundle.getMessage(id);
  if (!msg) return undefined;
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "var" && typeof o.name === "string") names.add(o.name);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(msg.value);
  walk(msg.attributes);
  return [...names].sort();
}
