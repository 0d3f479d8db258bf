import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Telegram Bot API on loopback for tests and the benchmark: answers
 * `POST /bot<token>/<method>` with realistic `{ ok: true, result }` and records every call
 * (method + parsed body; multipart bodies, e.g. sendPhoto, are recorded with their field names
 * and file sizes). Not used by the app.
 */
export type FakeCall = { method: string; body: Record<string, any>; at: number };

export type FakeBotApi = {
  url: string;
  calls: FakeCall[];
  /** Calls of one method. */
  of: (method: string) => FakeCall[];
  clear: () => void;
  /** Queue an update for `getUpdates` (long polling); its update_id is assigned here. */
  pushUpdate: (update: Record<string, unknown>) => number;
  /** Make the next call of `method` fail with this description (e.g. "message is not modified"). */
  failNext: (method: string, description: string, code?: number) => void;
  close: () => Promise<void>;
};

const BOT = {
  id: 123456,
  is_bot: true,
  first_name: "TRON Energy Helper",
  username: "tron_energy_helper_bot",
};

function parseMultipart(buf: Buffer, boundary: string): Record<string, any> {
  const out: Record<string, any> = {};
  const parts = buf.toString("latin1").split(`--${boundary}`);
  for (const part of parts) {
    const idx = part.indexOf("\r\n\r\n");
    if (idx < 0) continue;
    const head = part.slice(0, idx);
    const name = /[;\s]name="([^"]+)"/.exec(head)?.[1];
    if (!name) continue;
    let value = part.slice(idx + 4);
    if (value.endsWith("\r\n")) value = value.slice(0, -2);
    const filename = /filename="?([^"\r\n;]*)"?/.exec(head)?.[1];
    if (filename !== undefined) {
      const bytes = Buffer.from(value, "latin1");
      out[name] = { filename, size: bytes.length, png: bytes.subarray(1, 4).toString() === "PNG" };
    } else {
      const text = Buffer.from(value, "latin1").toString("utf8");
      try {
        out[name] = JSON.parse(text);
      } catch {
        out[name] = text;
      }
    }
  }
  // grammY sends files as separate parts referenced by "attach://<name>".
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string" && v.startsWith("attach://")) out[k] = out[v.slice(9)] ?? v;
  }
  return out;
}

export async function startFakeBotApi(opts: { port?: number } = {}): Promise<FakeBotApi> {
  const calls: FakeCall[] = [];
  const failures = new Map<string, { description: string; code: number }>();
  let messageId = 1000;
  const chatOf = (body: Record<string, any>) => ({
    id: Number(body.chat_id) || 0,
    type: "private",
    first_name: "User",
  });

  // Long polling: updates at or after `offset`, waiting (at most 200 ms here) while there are none.
  let updates: Record<string, unknown>[] = [];
  let nextUpdateId = 1;
  const longPoll = (
    body: Record<string, any>,
    answer: (result: unknown[]) => void,
    res: http.ServerResponse,
  ): void => {
    const offset = Number(body.offset ?? 0);
    updates = updates.filter((u) => Number(u.update_id) >= offset);
    const until = Date.now() + Math.min(Number(body.timeout ?? 0) * 1000, 200);
    const tick = () => {
      if (res.destroyed) return;
      const got = updates.slice(0, Number(body.limit ?? 100));
      if (got.length || Date.now() >= until) answer(got);
      else setTimeout(tick, 10);
    };
    tick();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const m = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(req.url ?? "");
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
      const method = m[1];
      const raw = Buffer.concat(chunks);
      const ct = req.headers["content-type"] ?? "";
      let body: Record<string, any> = {};
      try {
        if (ct.startsWith("multipart/form-data")) {
          const boundary = /boundary=(.+)$/.exec(ct)?.[1] ?? "";
          body = parseMultipart(raw, boundary.replace(/^"|"$/g, ""));
        } else if (raw.length) body = JSON.parse(raw.toString("utf8"));
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse body" });
      }
      calls.push({ method, body, at: Date.now() });
      const fail = failures.get(method);
      if (fail) {
        failures.delete(method);
        return send(fail.code, { ok: false, error_code: fail.code, description: fail.description });
      }
      if (method === "getUpdates") return longPoll(body, (result) => send(200, { ok: true, result }), res);
      const date = Math.floor(Date.now() / 1000);
      const message = (extra: Record<string, unknown> = {}) => ({
        message_id: ++messageId,
        date,
        chat: chatOf(body),
        from: BOT,
        ...extra,
      });
      let result: unknown = true;
      switch (method) {
        case "getMe":
          result = {
            ...BOT,
            can_join_groups: false,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          };
          break;
        case "sendMessage":
          result = message({ text: body.text, reply_markup: body.reply_markup });
          break;
        case "editMessageText":
          result = {
            ...message({ text: body.text, reply_markup: body.reply_markup }),
            message_id: Number(body.message_id),
            edit_date: date,
          };
          break;
        case "editMessageReplyMarkup":
          result = {
            ...message({ reply_markup: body.reply_markup }),
            message_id: Number(body.message_id),
            edit_date: date,
          };
          break;
        case "sendPhoto":
          result = message({
            photo: [
              {
                file_id: `photo-${messageId}-s`,
                file_unique_id: `u${messageId}s`,
                width: 90,
                height: 90,
                file_size: 1000,
              },
              {
                file_id: `photo-${messageId}`,
                file_unique_id: `u${messageId}`,
                width: 512,
                height: 512,
                file_size: body.photo?.size ?? 0,
              },
            ],
            caption: body.caption,
          });
          break;
        case "getWebhookInfo":
          result = { url: "", has_custom_certificate: false, pending_update_count: 0 };
          break;
        default:
          result = true; // answerCallbackQuery, setWebhook, setMyCommands, deleteMessage, …
      }
      send(200, { ok: true, result });
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    of: (method) => calls.filter((c) => c.method === method),
    pushUpdate: (update) => {
      const id = nextUpdateId++;
      updates.push({ ...update, update_id: id });
      return id;
    },
    clear: () => {
      calls.length = 0;
    },
    failNext: (method, description, code = 400) => failures.set(method, { description, code }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** Real-shaped updates for tests and the benchmark. */
let nextUpdateId = Math.floor(Date.now() / 1000) * 1000;
export const newUpdateId = () => ++nextUpdateId;

export type TgUser = { id: number; first_name?: string; username?: string; language_code?: string };

export function textUpdate(from: TgUser, text: string, updateId = newUpdateId()) {
  const entities = text.startsWith("/")
    ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }]
    : undefined;
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 1_000_000,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: "private", first_name: from.first_name ?? "User" },
      from: { is_bot: false, first_name: "User", ...from },
      text,
      ...(entities ? { entities } : {}),
    },
  };
}

export function callbackUpdate(
  from: TgUser,
  data: string,
  message: { message_id: number; text?: string } = { message_id: 1, text: "menu" },
  updateId = newUpdateId(),
) {
  return {
    update_id: updateId,
    callback_query: {
      id: String(updateId),
      chat_instance: "ci",
      from: { is_bot: false, first_name: "User", ...from },
      message: {
        message_id: message.message_id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: "private", first_name: from.first_name ?? "User" },
        from: BOT,
        text: message.text ?? "menu",
      },
      data,
    },
  };
}
