## Main menu
menu-title = <b>⚡ TRON 能量助手</b>
menu-balance = 余额：<b>{ $amount }</b>
menu-default-wallet = 默认地址：<code>{ $address }</code>
menu-no-wallet = 还没有保存地址。
menu-burn-hint = 没有能量时，一笔 USDT 转账约燃烧 { $low }（收款地址持有 USDT）或 { $high }（收款地址未持有 USDT）。
maintenance-banner = ⚠️ 系统维护中，暂停下单。余额和充值不受影响。

btn-rent = ⚡ 闪租
btn-wallets = 👛 我的地址
btn-lookup = 🔍 查询
btn-topup = 💰 充值
btn-orders = 📋 订单
btn-language = 🌐 中文 / English
btn-help = ❓ 帮助
btn-portal = 🖥 打开网页版
btn-miniapp = 🖥 打开小程序
btn-menu = ‹ 菜单
btn-back = ‹ 返回
btn-cancel = 取消
btn-skip = 跳过
btn-support = 客服
btn-portal-web = 网页版
btn-prev = ‹ 上一页
btn-next = 下一页 ›

## Help and language
help-text =
    <b>❓ 帮助</b>
    <blockquote expandable><b>能量</b>
    发送 USDT（TRC20）需要消耗能量。没有能量时，网络会燃烧发送地址的 TRX。为发送地址租用能量比燃烧便宜得多。</blockquote>
    <blockquote expandable><b>65,000 还是 131,000 能量？</b>
    取决于 USDT 的收款地址：收款地址已持有 USDT 时约需 65,000 能量（不租需燃烧 { $holder }），未持有时约需 131,000 能量（需燃烧 { $empty }）。告诉机器人收款地址，它会推荐合适的数量。</blockquote>
    <blockquote expandable><b>到期</b>
    能量在租用时长内留在您的地址上，到期后回收。未用完的能量不退款。</blockquote>
    <blockquote expandable><b>退款</b>
    如果无法代理能量，全部费用会立即退回余额。尚在等待的订单可以在订单卡片中取消。</blockquote>
language-title = 🌐 请选择语言。
toast-language = 语言：中文

## Wallets
bot-wallets-title = 👛 我的地址（{ $count }/{ $max }），⭐ 为默认地址。
bot-wallets-empty = 👛 还没有保存地址。保存您常用的能量接收地址。
btn-add-wallet = ➕ 添加
btn-rename = ✏️ 改名
btn-make-default = ⭐ 设为默认
btn-remove = 🗑 删除
btn-remove-yes = 🗑 确认删除
btn-rent-for-this = ⚡ 为此地址租用
wallet-add-prompt = ➕ 请发送要保存的 TRON 地址（以 T 开头）。可以在地址后加备注，例如 <code>TXyz… 主钱包</code>。
wallet-saved = ✅ 已保存 { $address }。
wallet-saved-label = ✅ 已保存 { $address }。请发送备注名（例如“交易所”），或点“跳过”。
wallet-label-saved = ✅ 备注已保存。
wallet-label-too-long = 备注最多 64 个字符，请发送更短的备注。
wallet-rename-prompt = ✏️ 请发送 { $address } 的新备注。
wallet-remove-confirm = 🗑 从我的地址中删除 { $address }？订单不受影响。
wallet-duplicate = 这个地址已经保存过了。
wallet-limit = 最多保存 { $max } 个地址，请先删除一个。
toast-wallet-gone = 这个地址已被删除。
toast-wallet-removed = 地址已删除。
toast-default-set = 已设为默认地址。

## Addresses
addr-empty = 请输入 TRON 地址。
addr-whitespace = 地址中间有空格或换行，请作为一个整体发送。
addr-evm-format = 这看起来是以太坊/EVM 地址（0x…）。TRON 地址以 T 开头。
addr-bad-length = 地址长度不对。TRON 地址有 34 个字符。
addr-bad-checksum = 校验和不匹配：有字符错误或缺失，请重新复制地址。
addr-bad-characters = 地址中含有 TRON 地址不可能出现的字符。
addr-other-chain = 这看起来是其他链的地址，不是 TRON 地址。
addr-bad-prefix = TRON 地址以 T 开头。
addr-contract = 这是智能合约地址：能量不能代理给合约。请使用发起转账的钱包地址。
addr-invalid = 这不是有效的 TRON 地址。

## Look-up
lookup-title = 🔍 地址
lookup-prompt = 🔍 请发送要查询的 TRON 地址，或选择已保存的地址。
lookup-loading = 正在查询 TRON 网络…结果出来后此消息会自动更新。
btn-rent-for-it = ⚡ 为它租用
btn-save = ➕ 保存
btn-lookup-another = 🔍 查询其他
card-trx = TRX：<b>{ $amount }</b>
card-usdt = USDT：{ $amount }
card-energy = 能量：{ $available } / { $limit } 能量
card-bandwidth = 带宽：{ $available } / { $limit } 带宽
card-activated = 已激活：是
card-not-activated = 已激活：<b>否</b>
card-as-of = 数据时间 { $time }
card-fallback = 来自 TronScan（备用数据源）
card-stale = 网络未响应，显示最近一次的数据
hint-not-activated = 未激活：租用能量前请先向它转入任意数量的 TRX。
hint-enough-energy = 这个地址的能量已足够一笔 USDT 转账。

## Flash rent
bot-rent-title = ⚡ 闪租
bot-rent-receiver = 接收地址：{ $address }
rent-receiver-none = 接收地址：<i>未选择</i>
bot-rent-energy = 能量：<b>{ $energy } 能量</b>
bot-rent-duration = 租用时长：{ $duration }
bot-rent-recipient = 收款地址：{ $address }
bot-rent-price = 价格：<b>{ $amount }</b>（{ $unit } sun/能量）
rent-reason-holder = 收款地址持有 USDT
rent-reason-empty = 收款地址未持有 USDT
bot-rent-suggest-holder = 收款地址持有 USDT：推荐 { $energy } 能量。
bot-rent-suggest-empty = 收款地址未持有 USDT：推荐 { $energy } 能量。
rent-receiver-prompt = 👛 请选择已保存的地址，或发送将要转出 USDT 的地址（它接收能量）。
rent-recipient-prompt = 🎯 请发送您要转入 USDT 的收款地址，所需能量取决于它。
rent-energy-prompt = ✏️ 请发送能量数量，{ $min } 到 { $max }。
rent-need-receiver = 请先选择接收地址。
btn-energy-other = ✏️ 其他
btn-receiver-set = 👛 接收地址：{ $address }
btn-receiver-choose = 👛 选择接收地址
btn-recipient = 🎯 收款地址（可选）
btn-review = 确认 ›
review-title = ⚡ 确认租用
review-energy = 能量：<b>{ $energy } 能量</b>
review-duration = 时长：{ $duration }，约 { $time } 到期
review-price = 价格：<b>{ $amount }</b>（{ $unit } sun/能量）
review-burn = 不租能量需燃烧：{ $amount }（{ $unit } sun/能量）
review-saving = 节省：{ $amount }（{ $percent }%）
review-balance = 余额：{ $balance } → 支付后 { $after }
review-short = 需要 { $price }，您有 { $balance }（差 { $missing }）。
review-held = 报价 { $minutes } 分钟内有效
btn-pay = ✅ 支付 { $amount }
btn-change = ✏️ 修改
btn-cancel-x = ✖️ 取消
toast-paid = 已支付，订单 #{ $id }
toast-repriced = 价格已更新，请核对后再次点击支付。
toast-quote-outdated = 这个报价已失效。

## Durations and times
dur-chip-h = { $n }小时
dur-chip-d = { $n }天
dur-long-h1 = { $n } 小时
dur-long-h = { $n } 小时
dur-long-d1 = { $n } 天
dur-long-d = { $n } 天

## Orders
bot-orders-title = 📋 我的订单
bot-orders-empty = 📋 还没有订单。
order-title = 📋 订单 #{ $id }
order-receiver = 接收地址：{ $address }
order-energy = 能量：{ $energy } 能量 · { $duration }
order-price = 价格：{ $amount }
order-tx = 交易：{ $tx }
order-st-paid = 已支付 { $amount }，准备代理
order-st-delegating = 链上代理中…
order-st-active = 已生效：{ $energy } 能量已到 { $address }
order-ends = { $time } 到期，{ $left }
order-st-completed = 已于 { $time } 到期，能量已回收
order-partial-refund = 部分能量未能代理，已退回 { $amount }。
order-st-failed = 代理失败，费用正在退回余额。
order-st-failed-short = 代理失败
order-st-cancelled = 已取消，正在退回余额。
order-st-refunded = 已退回余额 { $amount }
order-st-cancelled-refunded = 已取消 · ↩️ 已退回余额 { $amount }
order-timeline = 进度
order-cancel-confirm = 取消订单 #{ $id }？全部费用将退回余额。
btn-cancel-order = ✖️ 取消订单
btn-cancel-order-yes = ✖️ 确认取消
btn-check-address = 🔍 查看地址
btn-rent-again = ⚡ 再租一次
btn-try-again = 重试
toast-order-cancelled = 订单已取消并退款。
notice-failed = ⚠️ 订单 #{ $id }：能量代理失败，费用正在退回余额。
notice-refunded = ↩️ 订单 #{ $id }：{ $amount } 已退回余额。
bot-status-paid = 已支付
bot-status-delegating = 代理中
bot-status-active = 已生效
bot-status-reclaiming = 已到期
bot-status-completed = 已到期
bot-status-failed = 失败
bot-status-cancelled = 已取消
bot-status-refunded = 已退款

## Top-up
bot-topup-title = 💰 充值
bot-topup-address = 您的充值地址：{ $address }
bot-topup-network = 网络：{ $network }
topup-min = 最低充值：{ $trx } 或 { $usdt }
bot-topup-rate = USDT 按 1 USDT = { $rate } 入账
bot-topup-confirmations = 约 { $blocks } 个区块确认后入账。请只向此地址转入 TRX 或 USDT（TRC20）。
bot-topup-accepted = ✅ 接受：TRX（包括合约转出的 TRX，例如交易所提现）和 USDT TRC20（{ $usdt }）。
topup-not-accepted = ⛔ 不接受：TRC10 代币、其他 TRC20 代币，以及低于最低充值的金额。这些不会计入您的余额，也不会自动退回。
topup-qr-caption = 🔳 您的充值地址：{ $address }
btn-copy = 📋 复制
btn-qr = 🔳 二维码
deposit-seen = 💰 收到 { $amount }，确认中…
deposit-credited = ✅ 已入账 { $credited }（收到 { $amount }）· 余额 { $balance }
    交易：{ $tx }

## Portal
portal-text = 🖥 这是您的网页版登录链接，只能使用一次，{ $time } 失效。请勿分享。
btn-open-portal = 🖥 打开网页版

## Errors and notices
err-maintenance = 系统维护中，暂停下单，未扣费。请稍后再试。
err-insufficient = 余额不足，未扣费。请先充值。
err-not-activated = 这个地址尚未在 TRON 上激活：请先向它转入任意数量的 TRX。
err-energy-range = 能量数量超出范围。
err-energy-range-n = 能量需在 { $min } 到 { $max } 之间。
err-energy-format = 请发送整数能量，例如 65000 或 65k。
err-duration = 这个租用时长已不再提供。
err-no-capacity = 能量池暂时不足，未扣费。请减少数量或稍后再试。
err-no-capacity-max = 能量池目前最多可提供 { $energy } 能量，未扣费。
btn-rent-max = ⚡ 改租 { $energy }
err-chain = TRON 网络未响应，未扣费。请一分钟后再试。
err-not-found = 该项目已不存在。
err-invalid-state = 订单已开始代理，无法取消。
err-stale-quote = 这个报价已使用过，请重新确认。
err-bad-request = 请求无效，请检查后重试。
err-invalid-amount = 金额无效。
err-unauthorized = 会话已结束。请发送 /start 后重试。
err-conflict = 内容已发生变化，请从菜单重新打开。
err-too-large = 消息过长。
err-busy = 服务暂时繁忙，未扣费。请稍后再试。
error-internal = 我们这边出了问题，未扣费。请一分钟后再试（编号 { $ref }）。
toast-outdated = 此页面已过期，已为您显示最新内容。
toast-cancelled = 已取消。
unknown-input = 没看懂这条消息，请使用下方菜单。
rate-limited = 操作太频繁，请稍候。
banned = 此账户无法使用机器人。如有疑问请联系客服。

## Command list (setMyCommands)
cmd-start = 主菜单
cmd-rent = 闪租能量
cmd-wallets = 我的地址
cmd-balance = 查询地址
cmd-topup = 充值余额
cmd-orders = 我的订单
cmd-portal = 登录网页版
cmd-language = 中文 / English
cmd-help = 帮助

# Pay by transfer (转账即租)
btn-transfer = ⚡ 转账即租（无需余额）
cmd-transfer = 直接转 TRX 租能量
bot-transfer-address = 租赁地址：{ $address }
bot-transfer-qr-caption = 🔳 租赁地址：{ $address }
## Referral commissions: the invite screen (/invite) and what /start says about an invite link
btn-invite = 👥 邀请好友
btn-invite-share = 分享链接
cmd-invite = 邀请好友赚佣金
invite-title = <b>👥 邀请好友</b>
invite-terms = 好友通过您的链接加入后，其每笔订单您可获得 { $rate } 的佣金，能量代理成功后计入您的余额。
invite-terms-window = 好友加入后 { $days } 天内的订单计算佣金。
invite-off = 佣金暂停发放；通过您的链接加入的好友仍计为您的邀请。
invite-bot-link = 机器人链接：{ $link }
invite-portal-link = 网页链接：{ $link }
invite-stats = 已邀请好友：<b>{ $count }</b> · 已赚取：<b>{ $amount }</b>
invite-owed = 将从您的下笔佣金中扣回：{ $amount }（佣金发放后订单被退款）
invite-recent = 最近加入的好友：
invite-recent-line = { $name } · { $date } 加入 · { $amount }
invite-none = 还没有人通过您的链接加入。
invite-share-text = 租用 TRON 能量，USDT 转账更省钱。
start-ref-welcome = 欢迎！您是通过好友的邀请链接加入的。
start-ref-invalid = ⚠️ 此邀请链接无效，您可以照常使用机器人。
start-ref-existing = 邀请链接仅对新账户有效，您的账户保持不变。
start-ref-self = 这是您自己的邀请链接，请分享给好友（👥 邀请好友）。
## Keep-energy subscriptions (watched addresses)
cmd-keep = 为地址保持能量
btn-keep = 🔋 能量保持
btn-keep-new = ➕ 新建订阅
btn-keep-open = 打开订阅
btn-keep-pause = ⏸ 暂停
btn-keep-resume = ▶️ 恢复
btn-keep-cancel = ✖️ 取消
btn-keep-cancel-yes = 确定取消
bot-keep-title = 🔋 能量保持订阅
bot-keep-empty = 🔋 <b>为地址保持能量</b>
    我们监控该地址，当其可用能量低于您设定的最低值时自动补充代理能量，每次补充从余额扣费，总额不超过您设定的预算。您还没有订阅。
bot-keep-line = #{ $id } · <code>{ $address }</code> · 至少 { $energy } · { $status }
bot-keep-status-active = 生效中
bot-keep-status-paused = 已暂停
bot-keep-status-exhausted = 预算已用完
bot-keep-status-ended = 已结束
bot-keep-status-cancelled = 已取消
bot-keep-card-title = 🔋 订阅 #{ $id }
bot-keep-card-status = 状态：{ $status }
bot-keep-card-min = 至少保持：{ $energy } 能量
bot-keep-card-now = 上次检查时可用：{ $energy } 能量
bot-keep-card-budget = 已花费 { $spent } / 预算 { $budget }（补充 { $topups } 次）
bot-keep-card-ends = 截止：{ $date }
bot-keep-card-waiting = 上一次补充未能下单（余额或能量池不足），我们每分钟重试。
bot-keep-done-pause = 已暂停。
bot-keep-done-resume = 已恢复。
bot-keep-done-cancel = 已取消。
bot-keep-cancel-confirm = 确定取消订阅 #{ $id }？已代理的能量保留至到期，不会再扣费。
bot-keep-new-prompt = 请在一条消息中发送：地址、要保持的最低能量、天数、预算（TRX）：
    <code>TXyz… 65000 7 50</code>
bot-keep-new-format = 请发送以空格分隔的四个值：地址、能量、天数、预算（TRX）。例如：<code>TXyz… 65000 7 50</code>
bot-keep-warn-low = ⚠️ 订阅 #{ $id }（<code>{ $address }</code>）的余额（{ $balance }）即将不足：每次补充约 { $price }。请充值，以便地址持续有能量。
bot-keep-warn-empty = ⚠️ 订阅 #{ $id }（<code>{ $address }</code>）需要补充 { $price }，但您的余额只有 { $balance }。充值后我们会自动继续。
bot-keep-warn-exhausted = 订阅 #{ $id }（<code>{ $address }</code>）的预算已用完，不再补充。如需继续，请新建订阅。

## Per-transfer packages (/packages)
cmd-packages = USDT 转账笔数套餐
btn-packages = 📦 笔数套餐
btn-pkg-buy = ➕ 购买套餐
btn-pkg-size = { $n } 笔 · { $price }
bot-pkg-title = 📦 笔数套餐
bot-pkg-empty = 📦 <b>USDT 转账笔数套餐</b>
    为一个地址按套餐价购买若干笔 USDT 转账，一次付清。我们会持续为该地址提供下一笔转账所需的能量，直到用完为止。您还没有套餐。
bot-pkg-line = #{ $id } · <code>{ $address }</code> · 剩余 { $left }/{ $total } 笔 · { $status }
bot-pkg-status-active = 使用中
bot-pkg-status-completed = 已用完
bot-pkg-status-expired = 已过期
bot-pkg-card-title = 📦 套餐 #{ $id }
bot-pkg-card-status = 状态：{ $status }
bot-pkg-card-left = 剩余笔数：{ $left }/{ $total }
bot-pkg-card-price = 已支付：{ $price }
bot-pkg-card-ends = 有效期至：{ $date }
bot-pkg-card-supplying = ⏳ 正在为下一笔转账代理能量。
bot-pkg-card-ready = ✅ 该地址已备好下一笔 USDT 转账所需的能量。
bot-pkg-card-refunded = 未用笔数已退款：{ $amount }
bot-pkg-card-uses = 已计入的转账
bot-pkg-buy-prompt = 请选择套餐。从余额一次付清，有效期 { $days } 天；到期时按未用笔数对应金额的 { $percent }% 退款。
bot-pkg-none-on-sale = 目前没有在售的套餐。
bot-pkg-address-prompt = { $n } 笔，价格 { $price }。请发送将要转出 USDT 的地址（须已激活）：
btn-pkg-open = 📦 查看
bot-pkg-ended-completed = 📦 套餐 #{ $id }（<code>{ $address }</code>）已用完：{ $n } 笔转账均已完成。
bot-pkg-ended-expired = 📦 套餐 #{ $id }（<code>{ $address }</code>）已过期。未用笔数已退款：{ $refund }。
# Batch rent (lib/bot/features/batch.ts)
cmd-batch = 一次为多个地址租用
btn-batch = 📑 批量租用
bot-batch-title = 📑 批量租用
bot-batch-ask = 请发送地址，每行一个（最多 { $max } 行），每行可在地址后附上能量和时长：
bot-batch-defaults = 未写能量或时长的行使用 <b>{ $energy } 能量 · { $duration }</b>（可用下方按钮修改）。
bot-batch-review-title = 📑 批量租用：核对
bot-batch-total = 共 { $count } 笔订单 · { $energy } 能量 · { $price }
bot-batch-short = ⚠️ 您的余额（{ $balance }）不足以支付所有行：将按列表顺序在余额允许的范围内逐行付款，其余行不会下单，也不扣费。
bot-batch-invalid = ⚠️ 有 { $count } 行无法下单（不会扣费）。
bot-batch-more = …… 另有 { $count } 行
bot-batch-duplicate = 已在第 { $line } 行出现
bot-batch-empty = 请至少发送一个地址。
bot-batch-too-many = 每批最多 { $max } 行，您发送了 { $count } 行。
bot-batch-line-pending = 正在下单
btn-batch-pay = ✅ 支付 { $price }
btn-batch-edit = ✏️ 重新发送地址
btn-batch-refresh = 🔄 刷新
toast-batch-placed = 已下 { $ordered } 笔订单
bot-batch-card-title = 📑 批次 #{ $id }
bot-batch-card-summary = 已下单 { $ordered } 笔 · 未下单 { $rejected } 笔 · 已支付 { $paid }
bot-batch-card-refunded = ↩️ { $amount } 已退回余额（未能交付的订单）
# smart pricing: the review's discount, demand and live burn price; held quotes refused
review-discount = 批量折扣：−{ $amount }（{ $percent }%）
review-demand = 能量池当前繁忙：价格上浮 { $percent }%。
review-burn-live = 不租能量需燃烧：{ $amount }（链上当前价格：{ $unit } sun/能量）
err-quote-expired = 此报价已过期。请确认新价格后再次点击支付。
err-quote-invalid = 此报价已失效。请确认新价格后再次点击支付。
## A supplier's own supply (/supplier, lib/bot/features/supplier.ts)
cmd-supplier = 我的能量供应（供应商）
btn-supplier = ⚡ 我的能量供应
btn-sup-manage = 🖥 钱包与价格
btn-sup-join = 🖥 成为供应商
btn-sup-pause = ⏸ 暂停供应
btn-sup-resume = ▶️ 恢复供应
btn-sup-payout = 💰 提现 { $amount }
btn-sup-payout-yes = 💰 确认提现
bot-sup-none = ⚡ <b>提供能量赚收益</b>
    质押 TRX 获得能量，授予平台仅能代理和取消代理的权限，平台出租您的能量，每笔交付的订单您都有收益。请在网页版的供应商页面设置条件并添加钱包，之后即可在这里管理您的供应。
bot-sup-title = ⚡ <b>我的能量供应</b>
bot-sup-on = ✅ 可用：您的钱包正在出租能量。
bot-sup-off = ⚠️ 已暂停：新订单不再使用您的钱包；已出租的能量在租期结束后收回。
bot-sup-min = 最低价格：<b>{ $price }</b> sun / 能量 / 天
bot-sup-cap = 能量上限：<b>{ $cap }</b>
bot-sup-cap-none = 能量上限：不限
bot-sup-wallets = 👛 钱包：
bot-sup-wallets-none = 👛 还没有钱包：请在网页版添加。
bot-sup-wallet-line = { $address } · { $grant } · { $selection } · 当前已出租 { $percent }
bot-sup-grant-ok = 已授权
bot-sup-grant-revoked = 权限已撤销
bot-sup-grant-paused = 已被运营方暂停
bot-sup-in-selection = 参与分配
bot-sup-not-in-selection = 不参与分配
bot-sup-earned = 💰 今日收益：<b>{ $today }</b> · 最近 7 天：<b>{ $week }</b>
bot-sup-withdrawable = 可提现：<b>{ $amount }</b>（最低提现 { $min }）
bot-sup-payout-open = ⏳ 提现 #{ $id }，{ $amount }：{ $status }（{ $date }）
bot-sup-payout-pending = 等待审批
bot-sup-payout-approved = 已批准
bot-sup-payout-signed = 发送中
bot-sup-payout-broadcast = 发送中
bot-sup-payout-confirmed = 已支付
bot-sup-payout-rejected = 已拒绝，已退回余额
bot-sup-payout-failed = 失败，已退回余额
bot-sup-payout-address = 提现地址：{ $address }
bot-sup-no-payout-address = 请在网页版的供应商页面设置提现地址后再提现。
bot-sup-payout-confirm = 将 <b>{ $amount }</b> 以 TRX 提现到 { $address }？金额立即从您的余额中扣除；较大金额需运营方审批。
bot-sup-pay-nothing = 现在没有可提现的金额：您可提现 { $amount }；最低提现 { $min }。
bot-sup-pay-changed = 可提现金额已变化（现为 { $amount }）。未支付任何款项：请重新查看并确认。
toast-sup-on = 您的钱包已恢复可用。
toast-sup-off = 已暂停：新订单不再使用您的钱包。
toast-sup-payout = 已申请提现 { $amount }：{ $status }。
