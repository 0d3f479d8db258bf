# The reseller API pages of the portal: API keys, callback deliveries, API documentation.

apiKeys-title = API 密钥
apiKeys-intro = 从您自己的机器人、钱包或交易所下单租用能量。请以 Authorization: Bearer <密钥> 发送密钥。密钥和回调密钥仅在创建时显示一次。
apiKeys-docsLink = 阅读 API 文档
apiKeys-create = 创建密钥
apiKeys-name = 名称
apiKeys-namePlaceholder = 例如 my-bot 正式环境
apiKeys-creating = 正在创建…
apiKeys-created = 这是您的新密钥。请立即复制这两个值：之后不会再显示。
apiKeys-key = API 密钥
apiKeys-secret = 回调签名密钥
apiKeys-copy = 复制
apiKeys-copied = 已复制
apiKeys-done = 我已保存
apiKeys-empty = 还没有密钥。
apiKeys-prefix = 密钥
apiKeys-createdAt = 创建时间
apiKeys-lastUsed = 最近使用
apiKeys-never = 从未
apiKeys-limit = 限额
apiKeys-limitValue = { $n } 次/分钟
apiKeys-status = 状态
apiKeys-active = 有效
apiKeys-revoked = 已于 { $at } 吊销
apiKeys-revoke = 吊销
apiKeys-revokeConfirm = 确定吊销此密钥？使用它的请求将立即失效。
apiKeys-revokedToast = 密钥已吊销。
apiKeys-failed = 操作未成功，请重试。

deliveries-title = 回调投递
deliveries-intro = 带回调地址的订单每次状态变化都会以签名的 POST 发送到该地址。失败的投递会在约 5 小时内重试。
deliveries-empty = 尚未发送回调。
deliveries-order = 订单
deliveries-event = 状态
deliveries-url = 地址
deliveries-state = 投递
deliveries-pending = 重试中
deliveries-delivered = 已送达
deliveries-failed = 失败
deliveries-attempts = 尝试记录
deliveries-attempt = 第 { $n } 次 { $when }：{ $result }（{ $ms } 毫秒）
deliveries-ok = 已接受

docs-title = 分销 API
docs-intro = 基于 HTTPS 的 JSON 接口，地址 { $base }。sun 金额为十进制字符串（1 TRX = 1,000,000 sun）；时间为 UTC 的 ISO 8601 格式。
docs-openapi = OpenAPI 3.1 文档
docs-auth-title = 认证
docs-auth-body = 发送 Authorization: Bearer <密钥>。在 账户 → API 密钥 中创建和吊销密钥。每个密钥有每分钟请求上限；超出时返回 429 和 Retry-After。
docs-endpoints = 接口
docs-params = 参数
docs-body = 请求体
docs-responses = 响应
docs-public = 公开
docs-required = 必填
docs-errors-title = 错误
docs-errors-body = 所有错误格式相同：请按 code 判断，message 可直接展示给用户。
docs-errors-code = 代码
docs-errors-status = HTTP
docs-errors-meaning = 含义
docs-idem-title = 幂等
docs-idem-body = POST /orders 需要 Idempotency-Key 请求头（1–100 个可打印字符）。相同的键和请求体重复提交会返回同一订单（200）且只扣费一次；相同的键配不同的请求体返回 409 idempotency_conflict。
docs-callbacks-title = 签名回调
docs-callbacks-verify = 验证回调（Node.js）

# smart pricing: held quotes and reseller prices
docs-quote-title = 锁定报价
docs-quote-body = GET /price 返回分销价格（已含您的折扣）以及 quote_id 和 expires_at。在过期前随 POST /orders 提交 quote_id，订单将严格按 price_sun 扣费，即使价格在此期间有变动。报价过期时返回 409 quote_expired；报价被篡改或与能量、时长不符时返回 409 quote_invalid；两种情况都不扣费，error.quote 中附有新的报价。不提交 quote_id 时按下单时的价格计算。
