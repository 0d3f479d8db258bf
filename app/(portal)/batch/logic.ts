import { z } from "zod";
import type { Locale, Translate } from "@/lib/i18n";
import { createBatch, parseBatchText, previewBatch } from "@/lib/batches";
import { isAppError } from "@/lib/errors";
import { localizeError } from "../_lib/errors";
import { type BatchPreviewView, batchPreviewView } from "./view";

/**
 * The batch form: `intent=preview` checks and quotes the list (nothing is stored), `intent=confirm`
 * places it under the form's idempotency key (one per preview, so a double submit returns the same
 * batch). lib/batches re-validates every line when it is placed.
 */
export type BatchFormState =
  | { status: "idle" }
  | {
      status: "preview";
      preview: BatchPreviewView;
      idempotencyKey: string;
      list: string;
      energy: string;
      duration: string;
    }
  | { status: "success"; batchId: number }
  | { status: "failed"; code: string; message: string };

const formSchema = z.object({
  intent: z.enum(["preview", "confirm"]),
  list: z.string().max(64_000),
  energy: z.string().trim().max(40),
  duration: z.string().trim().max(10),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{8,100}$/),
});

function localize(e: unknown, t: Translate): { status: "failed"; code: string; message: string } {
  if (isAppError(e) && e.details?.reason === "too_many_lines")
    return {
      status: "failed",
      code: e.code,
      message: t("batch-too-many", { max: String(e.details.max), count: String(e.details.count) }),
    };
  if (isAppError(e) && e.details?.reason === "list_too_long")
    return { status: "failed", code: e.code, message: t("batch-too-long") };
  if (isAppError(e) && e.details?.reason === "no_lines")
    return { status: "failed", code: e.code, message: t("batch-empty") };
  const l = localizeError(e, t);
  return { status: "failed", code: l.code, message: l.message };
}

export async function batchFormFor(
  user: { id: number },
  form: FormData,
  f: { t: Translate; locale: Locale; tz: string },
): Promise<BatchFormState> {
  const { t } = f;
  const p = formSchema.safeParse({
    intent: form.get("intent"),
    list: form.get("list") ?? "",
    energy: form.get("energy") ?? "",
    duration: form.get("duration") ?? "",
    idempotencyKey: form.get("idempotencyKey"),
  });
  if (!p.success) {
    if (p.error.issues.some((i) => i.path[0] === "list"))
      return { status: "failed", code: "bad_request", message: t("batch-too-long") };
    return { status: "failed", code: "bad_request", message: t("error-generic") };
  }
  const { intent, energy, duration, idempotencyKey } = p.data;
  // Browsers send a textarea's line breaks as CRLF; the form compares the list it holds (LF).
  const list = p.data.list.replace(/\r\n?/g, "\n");
  try {
    const lines = parseBatchText(list, { energy, duration });
    if (lines.length === 0) return { status: "failed", code: "bad_request", message: t("batch-empty") };
    if (intent === "preview") {
      const preview = await previewBatch({ userId: user.id, lines });
      return {
        status: "preview",
        preview: batchPreviewView(preview, f),
        idempotencyKey,
        list,
        energy,
        duration,
      };
    }
    const { batchId } = await createBatch({
      userId: user.id,
      source: "portal",
      idempotencyKey: `portal:${idempotencyKey}`,
      lines,
    });
    return { status: "success", batchId };
  } catch (e) {
    return localize(e, t);
  }
}
