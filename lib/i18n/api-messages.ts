import type { Locale } from "./index";

/** Copy of the API pages in the portal (API keys, deliveries, API docs), English and Chinese. */
export const apiEn = {
  "apiKeys.title": "API keys",
  "apiKeys.intro":
    "Order energy from your own bot, wallet or exchange. Send the key as Authorization: Bearer <key>. Keys and callback secrets are shown once, when created.",
  "apiKeys.docsLink": "Read the API documentation",
  "apiKeys.create": "Create a key",
  "apiKeys.name": "Name",
  "apiKeys.namePlaceholder": "e.g. my-bot production",
  "apiKeys.creating": "Creating…",
  "apiKeys.created": "Your new key. Copy both values now: they will not be shown again.",
  "apiKeys.key": "API key",
  "apiKeys.secret": "Callback signing secret",
  "apiKeys.copy": "Copy",
  "apiKeys.copied": "Copied",
  "apiKeys.done": "I have saved them",
  "apiKeys.empty": "No keys yet.",
  "apiKeys.prefix": "Key",
  "apiKeys.createdAt": "Created",
  "apiKeys.lastUsed": "Last used",
  "apiKeys.never": "never",
  "apiKeys.limit": "Limit",
  "apiKeys.limitValue": "{n}/min",
  "apiKeys.status": "Status",
  "apiKeys.active": "active",
  "apiKeys.revoked": "revoked {at}",
  "apiKeys.revoke": "Revoke",
  "apiKeys.revokeConfirm": "Revoke this key? Requests with it stop working at once.",
  "apiKeys.revokedToast": "Key revoked.",
  "apiKeys.failed": "That did not work. Please try again.",
  "deliveries.title": "Callback deliveries",
  "deliveries.intro":
    "Every status change of an order with a callback URL is POSTed there, signed. Failed deliveries are retried for about 5 hours.",
  "deliveries.empty": "No callbacks sent yet.",
  "deliveries.order": "Order",
  "deliveries.event": "Status",
  "deliveries.url": "URL",
  "deliveries.state": "Delivery",
  "deliveries.pending": "retrying",
  "deliveries.delivered": "delivered",
  "deliveries.failed": "failed",
  "deliveries.attempts": "Attempts",
  "deliveries.attempt": "#{n} {when}: {result} ({ms} ms)",
  "deliveries.ok": "accepted",
  "docs.title": "Reseller API",
  "docs.intro":
    "JSON over HTTPS at {base}. Sun amounts are decimal strings (1 TRX = 1,000,000 sun); times are ISO 8601 in UTC.",
  "docs.openapi": "OpenAPI 3.1 document",
  "docs.auth.title": "Authentication",
  "docs.auth.body":
    "Send Authorization: Bearer <key>. Create and revoke keys under Account → API keys. Each key has a per-minute request limit; over it you get 429 with Retry-After.",
  "docs.endpoints": "Endpoints",
  "docs.params": "Parameters",
  "docs.body": "Request body",
  "docs.responses": "Responses",
  "docs.public": "public",
  "docs.required": "required",
  "docs.errors.title": "Errors",
  "docs.errors.body": "Every error has the same shape; match on code, show message to people.",
  "docs.errors.code": "Code",
  "docs.errors.status": "HTTP",
  "docs.errors.meaning": "Meaning",
  "docs.idem.title": "Idempotency",
  "docs.idem.body":
    "POST /orders needs an Idempotency-Key header (1–100 printable characters). Repeating it with the same body returns the same order (200) and charges once; with another body you get 409 idempotency_conflict.",
  "docs.callbacks.title": "Signed callbacks",
  "docs.callbacks.verify": "Verify a callback (Node.js)",
} as const;

export type ApiMessageKey = keyof typeof apiEn;

export const apiZh: Record<ApiMessageKey, string> = {
  "apiKeys.title": "API 密钥",
  "apiKeys.intro":
    "从您自己的机器人、钱包或交易所下单租用能量。请以 Authorization: Bearer <密钥> 发送密钥。密钥和回调密钥仅在创建时显示一次。",
  "apiKeys.docsLink": "阅读 API 文档",
  "apiKeys.create": "创建密钥",
  "apiKeys.name": "名称",
  "apiKeys.namePlaceholder": "例如 my-bot 正式环境",
  "apiKeys.creating": "正在创建…",
  "apiKeys.created": "这是您的新密钥。请立即复制这两个值：之后不会再显示。",
  "apiKeys.key": "API 密钥",
  "apiKeys.secret": "回调签名密钥",
  "apiKeys.copy": "复制",
  "apiKeys.copied": "已复制",
  "apiKeys.done": "我已保存",
  "apiKeys.empty": "还没有密钥。",
  "apiKeys.prefix": "密钥",
  "apiKeys.createdAt": "创建时间",
  "apiKeys.lastUsed": "最近使用",
  "apiKeys.never": "从未",
  "apiKeys.limit": "限额",
  "apiKeys.limitValue": "{n} 次/分钟",
  "apiKeys.status": "状态",
  "apiKeys.active": "有效",
  "apiKeys.revoked": "已于 {at} 吊销",
  "apiKeys.revoke": "吊销",
  "apiKeys.revokeConfirm": "确定吊销此密钥？使用它的请求将立即失效。",
  "apiKeys.revokedToast": "密钥已吊销。",
  "apiKeys.failed": "操作未成功，请重试。",
  "deliveries.title": "回调投递",
  "deliveries.intro":
    "带回调地址的订单每次状态变化都会以签名的 POST 发送到该地址。失败的投递会在约 5 小时内重试。",
  "deliveries.empty": "尚未发送回调。",
  "deliveries.order": "订单",
  "deliveries.event": "状态",
  "deliveries.url": "地址",
  "deliveries.state": "投递",
  "deliveries.pending": "重试中",
  "deliveries.delivered": "已送达",
  "deliveries.failed": "失败",
  "deliveries.attempts": "尝试记录",
  "deliveries.attempt": "第 {n} 次 {when}：{result}（{ms} 毫秒）",
  "deliveries.ok": "已接受",
  "docs.title": "分销 API",
  "docs.intro":
    "基于 HTTPS 的 JSON 接口，地址 {base}。sun 金额为十进制字符串（1 TRX = 1,000,000 sun）；时间为 UTC 的 ISO 8601 格式。",
  "docs.openapi": "OpenAPI 3.1 文档",
  "docs.auth.title": "认证",
  "docs.auth.body":
    "发送 Authorization: Bearer <密钥>。在 账户 → API 密钥 中创建和吊销密钥。每个密钥有每分钟请求上限；超出时返回 429 和 Retry-After。",
  "docs.endpoints": "接口",
  "docs.params": "参数",
  "docs.body": "请求体",
  "docs.responses": "响应",
  "docs.public": "公开",
  "docs.required": "必填",
  "docs.errors.title": "错误",
  "docs.errors.body": "所有错误格式相同：请按 code 判断，message 可直接展示给用户。",
  "docs.errors.code": "代码",
  "docs.errors.status": "HTTP",
  "docs.errors.meaning": "含义",
  "docs.idem.title": "幂等",
  "docs.idem.body":
    "POST /orders 需要 Idempotency-Key 请求头（1–100 个可打印字符）。相同的键和请求体重复提交会返回同一订单（200）且只扣费一次；相同的键配不同的请求体返回 409 idempotency_conflict。",
  "docs.callbacks.title": "签名回调",
  "docs.callbacks.verify": "验证回调（Node.js）",
};

export const apiCatalogs = { en: apiEn, zh: apiZh } as const;

export type ApiTranslate = (key: ApiMessageKey, vars?: Record<string, string | number>) => string;

export function apiTranslator(locale: Locale): ApiTranslate {
  const cat = apiCatalogs[locale];
  return (key, vars) => {
    const template = cat[key] ?? apiEn[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  };
}
