import { AppError } from "@/lib/errors";

/**
 * A pasted or uploaded list of receivers → raw batch lines. One receiver per line:
 * `address, energy, duration` (comma, semicolon or tab separated, fields optionally in double
 * quotes, so `"65,000"` is one field), or the same separated by spaces (`T… 65k 1h`, as typed in
 * Telegram). A first line naming the columns (`address,energy,duration`) is skipped, as are blank
 * lines and lines starting with `#`. Energy and duration may be left out of a line; the defaults
 * given (one energy / duration for all) fill them. Values are kept as typed: lib/orders validates
 * them line by line when the batch is placed, and the preview shows the same errors first.
 */
export type RawBatchLine = { receiver: string; energy: string; duration: string };

/** The largest list text read (about 500 lines of `address, energy, duration` with room to spare). */
export const MAX_LIST_CHARS = 64_000;

const HEADER_RE = /^\s*"?(address|receiver|地址)"?\s*([,;\t ]|$)/i;

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === "") {
      quoted = true;
      cur = "";
    } else if (c === "," || c === ";" || c === "\t") {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function fieldsOf(line: string): string[] {
  // NFKC: full-width commas and spaces typed on a Chinese keyboard count as separators.
  const l = line.normalize("NFKC");
  if (/[,;\t"]/.test(l)) return splitCsv(l);
  return l.trim().split(/\s+/);
}

export function parseBatchText(
  text: string,
  defaults: { energy?: string; duration?: string } = {},
): RawBatchLine[] {
  if (text.length > MAX_LIST_CHARS)
    throw new AppError("bad_request", "The list is too long.", {
      fields: { list: "The list is too long." },
      details: { reason: "list_too_long" },
    });
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const out: RawBatchLine[] = [];
  let first = true;
  for (const line of lines) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (first && HEADER_RE.test(line.normalize("NFKC"))) {
      first = false;
      continue;
    }
    first = false;
    const [receiver = "", energy = "", duration = ""] = fieldsOf(line);
    out.push({
      receiver,
      energy: energy || (defaults.energy ?? "").trim(),
      duration: duration || (defaults.duration ?? "").trim(),
    });
  }
  return out;
}
