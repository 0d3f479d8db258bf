import { AppError } from "@/lib/errors";

/**
 * Reads a request body as text, never holding more than `maxBytes` of it: a declared
 * Content-Length over the limit is refused before a byte is read, and an undeclared (chunked) or
 * lying body is read only until it passes the limit, then the stream is cancelled. Over the limit
 * → AppError("payload_too_large"), 413.
 */
export async function readBodyLimited(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > maxBytes))
    throw tooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): AppError {
  const kib = Math.round(maxBytes / 1024);
  return new AppError("payload_too_large", `The request body is larger than ${kib} KiB.`, {
    fields: { body: `At most ${kib} KiB.` },
  });
}
