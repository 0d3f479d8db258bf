# The operator console.

admin-title = 管理后台

admin-nav-dashboard = 概览
admin-nav-orders = 订单
admin-nav-pool = 能量池
admin-nav-users = 用户
admin-nav-settings = 价格与设置
admin-nav-finance = 财务
admin-nav-alerts = 告警
admin-nav-audit = 审计日志
admin-nav-admins = 操作员
admin-nav-account = 我的账户

admin-signOut = 退出登录

admin-signIn-title = 登录管理后台
admin-signIn-email = 邮箱
admin-signIn-password = 密码
admin-signIn-totp = 验证器代码
admin-signIn-totpNeeded = 请输入验证器应用中的 6 位代码。
admin-signIn-submit = 登录
admin-signIn-firstStart = 首次启动？应用在没有管理员时首次启动，会创建一个所有者账户，并在其控制台输出中打印一次邮箱和一次性密码：即运行 npm run dev 或 npm start 的终端，或服务器日志。请搜索 "First start"。
admin-signIn-lost = 找不到了？停止应用后运行 npm run admin:create -- --email you@example.com --role owner（使用 PostgreSQL 时应用运行中也可以）。

admin-forbidden = 您的角色无权访问此页面。

admin-readOnly = 只读：您的角色无法在此进行更改。

admin-save = 保存

admin-saved = 已保存。

admin-done = 已完成。

admin-reason = 原因

admin-search = 搜索

admin-next = 下一页

admin-none = 暂无内容。

admin-dash-today = 今天
admin-dash-7d = 7 天
admin-dash-30d = 30 天
admin-dash-orders = 订单数
admin-dash-energy = 售出能量
admin-dash-revenue = 收入（已交付）
admin-dash-cost = 成本
admin-dash-profit = 利润
admin-dash-refunds = 退款
admin-dash-failureRate = 失败率
admin-dash-median = 交付中位时间
admin-dash-poolNow = 能量池：当前可代理
admin-dash-poolInUse = 能量池：使用中
admin-dash-openAlerts = 未处理告警
admin-dash-inFlight = 进行中
admin-dash-chart = 每日订单与收入（30 天）

admin-health-title = 平台依赖的服务出现故障
admin-health-help = 订单和充值会等待其恢复。详情：/api/health。
admin-health-db = 数据库
admin-health-schema = 数据库结构（有待执行的迁移：npm run db:migrate）
admin-health-inngest = 后台任务（Inngest）
admin-health-scanner = 充值扫描
admin-health-chain = TRON 节点

admin-orders-status = 状态
admin-orders-user = 用户（ID、Telegram ID 或 @用户名）
admin-orders-receiver = 接收地址
admin-orders-txid = 交易哈希
admin-orders-from = 开始
admin-orders-to = 结束
admin-orders-any = 全部
admin-orders-source = 来源
admin-orders-batch = 批量订单
admin-orders-bad-filters = 部分筛选条件无效。
admin-orders-of-batch = 批量订单 #{ $id } 的订单（打开该批量订单）

admin-order-timeline = 时间线
admin-order-delegations = 代理记录
admin-order-retry = 重试（重新发送事件）
admin-order-refund = 退款
admin-order-cancel = 取消（仅已支付）
admin-order-reclaim = 立即回收

admin-pool-import = 导入钱包
admin-pool-energyPerTrx = 当前每质押 1 TRX 可得能量：{ $n }
admin-pool-nodeDown = 未知（TRON 节点无响应）
admin-pool-address = 地址
admin-pool-key = 私钥（导入后不再显示）
admin-pool-label = 标签
admin-pool-priority = 优先级
admin-pool-enable = 启用
admin-pool-disable = 停用
admin-pool-refresh = 立即刷新
admin-pool-remove = 移除
admin-pool-outstanding = 未回收的代理

admin-users-adjust = 手动调整
admin-users-amount = 金额（TRX，负数为扣除）
admin-users-ban = 封禁
admin-users-unban = 解封
admin-users-ledger = 账本
admin-users-deposits = 充值

admin-deposits-rescan = 重新扫描此地址的区块
admin-deposits-from = 起始区块
admin-deposits-to = 结束区块（已固化）
admin-deposits-scanner = 充值扫描器
admin-deposits-restart = 从此区块重新启动扫描器

admin-users-wallets = 钱包

admin-settings-prices = 各时长价格（sun/能量）
admin-settings-limits = 订单限制
admin-settings-deposits = 充值
admin-settings-costs = 供应成本
admin-settings-alerts = 告警阈值
admin-settings-maintenance = 维护模式

admin-finance-export = 导出 CSV
admin-finance-note = 收入在订单交付（生效）时确认：订单价格减去该订单已退款的部分；按笔套餐在购买当天计入，到期退款在到期当天扣除（套餐的预付供能订单不算销售）。未交付订单的付款不计入收入，在订单交付或退款前显示为“已付款未交付”。付款和退款为当天实际收付的金额。成本 = 我们交易的链上手续费（包括供应商钱包为此燃烧、由我们返还的部分）+ 我们自有已代理 TRX 按年化 { $apr } % 计算的机会成本 + 供应商收益 + 推荐佣金（扣除已收回部分）。
admin-finance-date = 日期
admin-finance-payments = 付款
admin-finance-refunds = 退款
admin-finance-revenue = 收入（已交付）
admin-finance-packages = 其中套餐
admin-finance-undelivered = 已付款未交付
admin-finance-deliveredOrders = 交付订单数
admin-finance-chainCost = 链上手续费
admin-finance-opportunityCost = 机会成本
admin-finance-supplierCost = 供应商收益
admin-finance-referralCost = 推荐佣金
admin-finance-cost = 成本
admin-finance-profit = 利润
admin-finance-total = 合计

admin-chart-revenueTrx = 已交付收入（TRX）
admin-chart-orders = 订单数
admin-chart-costTrx = 成本（TRX）
admin-chart-profitTrx = 利润（TRX）
admin-chart-deliveredOrders = 交付订单数

admin-dash-undelivered = 已付款未交付
admin-dash-undeliveredOrders = { $n } 笔订单等待交付或退款

admin-finance-costs = 每单供应成本

admin-nav-reconcile = 链上偏差

admin-reconcile-run = 立即检查

admin-alerts-resolve = 标记已解决

admin-account-password = 修改密码
admin-account-current = 当前密码
admin-account-new = 新密码（至少 12 个字符）
admin-account-first = 这是您首次登录：请设置您自己的密码后继续。
admin-account-totp = 双重验证
admin-account-totpOn = 双重验证已开启。
admin-account-totpEnable = 开启
admin-account-totpDisable = 关闭

admin-admins-create = 添加操作员
admin-admins-role = 角色
admin-admins-changeRole = 修改角色
admin-admins-disable = 停用
admin-admins-enable = 重新启用
admin-admins-disableConfirm = 停用该管理员？其登录会立即失效。
admin-admins-you = 您
admin-admins-actions = 角色与权限

admin-error-bad_request = 部分输入缺失或无效。
admin-error-invalid_amount = 金额无效。
admin-error-invalid_address = 不是有效的 TRON 地址。
admin-error-not_activated = 此地址尚未在 TRON 上激活。
admin-error-unauthorized = 未登录，或登录未通过。
admin-error-forbidden = 您的账户无权执行此操作。
admin-error-not_found = 未找到。
admin-error-conflict = 与现有数据冲突。
admin-error-idempotency_conflict = 此表单已用其他内容提交过，请刷新页面。
admin-error-insufficient_balance = 余额不足。
admin-error-rate_limited = 尝试次数过多，请稍候。
admin-error-maintenance = 系统维护中，暂停下单。
admin-error-energy_out_of_range = 能量数量超出范围。
admin-error-unknown_duration = 不提供该租用时长。
admin-error-invalid_state = 当前状态下无法执行。
admin-error-no_capacity = 能量池目前无法提供这么多能量。
admin-error-chain_error = TRON 网络拒绝了请求或无响应。
admin-error-provider_unavailable = 所需的服务暂时无法连接，请稍后再试。
admin-error-payload_too_large = 请求内容过大。
admin-error-busy = 服务暂时繁忙，请稍后再试。
admin-error-internal = 系统出了点问题，请重试。

## Finance: supplier cost per order
admin-costs-orders = 订单
admin-costs-burned = 燃烧的带宽
admin-costs-stakeHours = 占用的质押（TRX·小时）：租用期间 / 回收之后
admin-costs-opportunity = 机会成本
admin-costs-margin = 毛利
admin-costs-burnedAvg = 每单燃烧
admin-costs-feeNow = 当前每单手续费
admin-costs-feeHint = 订单燃烧的带宽超过了每单手续费：请在设置页把它提高到至少 { $amount }。
admin-costs-note = 回收之后占用的质押：客户用掉的能量会转到供应钱包，在约 24 小时的恢复期内继续占用质押。毛利 = 价格 − 退款 − 燃烧的带宽 − 机会成本。
admin-costs-col-order = 订单
admin-costs-col-status = 状态
admin-costs-col-energy = 能量
admin-costs-col-duration = 时长
admin-costs-col-price = 价格
admin-costs-col-refunded = 已退款
admin-costs-col-burned = 燃烧的带宽
admin-costs-col-rentedHours = 租用 TRX·小时
admin-costs-col-afterHours = 回收后 TRX·小时
admin-costs-col-opportunity = 机会成本
admin-costs-col-margin = 毛利

## Chain drift
admin-reconcile-kind-orphan = 链上存在，但没有订单能解释
admin-reconcile-kind-missing = 订单的代理不在链上
admin-reconcile-kind-unreclaimed = 已标记回收，但仍在链上
admin-reconcile-kind-lock_mismatch = 链上锁定结束时间晚于订单
admin-reconcile-undelegated = 已回收 { $amount }
admin-reconcile-undelegateSent = 回收交易已发送
admin-reconcile-undelegatingNext = 下次运行时回收
admin-reconcile-undelegatedIfSeen = 再次发现时回收
admin-reconcile-lockedUntil = 锁定至 { $time }
admin-reconcile-col-kind = 类型
admin-reconcile-col-wallet = 钱包
admin-reconcile-col-receiver = 接收地址
admin-reconcile-col-chain = 链上
admin-reconcile-col-expected = 订单预期
admin-reconcile-col-lockEnds = 锁定结束（链上 / 订单）
admin-reconcile-col-delegations = 代理
admin-reconcile-col-seen = 发现时间
admin-reconcile-col-reclaim = 回收
admin-reconcile-lastRun = 上次检查 { $time }：{ $wallets } 个钱包，{ $receivers } 个接收地址，{ $open } 项未解决。
admin-reconcile-lastRunError = 上次检查 { $time }：{ $wallets } 个钱包，{ $receivers } 个接收地址，{ $open } 项未解决 — { $error }。
admin-reconcile-never = 尚未检查。
admin-reconcile-schedule = 每 5 分钟检查一次；没有订单能解释的质押在锁定结束且被发现两次后回收。
admin-reconcile-open = 未解决（{ $n }）
admin-reconcile-resolved = 最近已解决
admin-reconcile-ownersOwn = 钱包所有者自行代理（权限模式钱包）
admin-reconcile-ownersOwnNote = 上次检查发现的权限模式钱包所有者自行代理出去的质押。这属于所有者本人：不算异常，平台绝不回收，也不计为可用。

## Other pages
admin-user-telegramId = Telegram ID
admin-actions = 操作
admin-alerts-resolved = 已解决
admin-orders-badFilters = 部分筛选条件无效。
admin-pool-removeConfirm = 移除此钱包？

## What a console action did
admin-done-totpOn = 两步验证已开启。
admin-done-totpOff = 两步验证已关闭。
admin-done-retry = 已发送到任务队列（第 { $attempt } 次）：即将开始交付。
admin-done-refund = 已退款。
admin-done-cancel = 已取消；价格已退回用户余额。
admin-done-reclaim = 已将 { $n } 个代理的回收发送到任务队列。
admin-done-import = 已导入 { $address }。私钥已加密保存，不会再次显示。
admin-done-walletStatus = 钱包 { $id } 现在为 { $status }。
admin-done-walletPriority = 钱包 { $id } 的优先级现在为 { $priority }。
admin-done-walletRefresh = 已从链上读取：可代理 { $amount }。
admin-done-reconcile = 已检查 { $wallets } 个钱包和 { $receivers } 个接收地址：{ $open } 项未解决{ $unread }。
admin-done-reconcileOne = 已检查 { $wallets } 个钱包和 { $receivers } 个接收地址：{ $open } 项未解决{ $unread }。
admin-done-reconcileUnread = （{ $n } 个钱包未能读取）
admin-done-walletRemoved = 钱包 { $id } 已移除。
admin-done-rescan = 已排队重新扫描区块 { $from }–{ $to }；扫描过程中陆续入账。
admin-done-scannerRestart = 扫描器下次运行时从区块 { $from } 开始读取。
admin-done-adjustReplayed = 已执行过（此表单之前已提交）；余额为 { $amount }。
admin-done-adjusted = 已调整；余额现在为 { $amount }。
admin-done-userStatus = 用户 { $id } 现在为 { $status }。
admin-done-settings = 已保存。新报价立即使用这些设置。
admin-done-alertResolved = 已解决。
admin-done-alertUnchanged = 没有变化：此告警已被解决。
admin-done-adminCreated = 已创建 { $email }。一次性密码（仅显示一次）：{ $password }
admin-done-roleChanged = { $email } 现在是 { $role }。
admin-done-roleUnchanged = { $email } 原本就是 { $role }。
admin-done-adminDisabled = { $email } 已停用并已退出登录。
admin-done-adminDisabledSessions = { $email } 已停用并已退出登录（结束了 { $n } 个会话）。
admin-done-adminEnabled = { $email } 可以重新登录。

## Table columns
admin-col-time = 时间
admin-col-type = 类型
admin-col-amount = 金额
admin-col-balanceAfter = 变动后余额
admin-col-reference = 关联
admin-col-memo = 备注
admin-col-created = 创建时间
admin-col-receiver = 接收地址
admin-col-energy = 能量
admin-col-price = 价格
admin-col-status = 状态
admin-col-currency = 币种
admin-col-txid = 交易哈希
admin-col-confirmations = 确认数
admin-col-address = 地址
admin-col-label = 备注名
admin-col-default = 默认
admin-col-wallet = 钱包
admin-col-tx = 交易
admin-col-fee = 手续费
admin-col-expires = 到期时间
admin-col-reclaimTx = 回收交易
admin-col-reclaimed = 已回收
admin-col-delegation = 代理
admin-col-order = 订单
admin-col-staked = 质押
admin-col-delegated = 已代理
admin-col-delegatable = 可代理
admin-col-energyNow = 当前能量
admin-col-bandwidth = 带宽
admin-col-open = 未完成
admin-col-refreshed = 刷新时间
admin-col-telegram = Telegram
admin-col-username = 用户名
admin-col-language = 语言
admin-col-balance = 余额
admin-col-duration = 时长
admin-col-user = 用户
admin-col-email = 邮箱
admin-col-role = 角色
admin-col-lastSignIn = 上次登录
admin-col-lockedUntil = 锁定至
admin-col-disabled = 已停用
admin-col-who = 操作人
admin-col-action = 操作
admin-col-target = 对象
admin-col-before = 之前
admin-col-after = 之后
admin-col-source = 来源
admin-col-delivered = 交付时间
admin-col-failure = 失败原因
admin-col-refunded = 已退款
admin-col-severity = 级别
admin-col-rule = 规则
admin-col-message = 内容
admin-col-first = 首次
admin-col-last = 最近
admin-col-notifiedResolved = 通知 / 解决

## Page titles and small labels
admin-order-title = 订单 { $id } ·
admin-user-title = 用户 #{ $id }
admin-users-searchPlaceholder = ID、Telegram ID 或 @用户名
admin-account-totpQr = TOTP 二维码
admin-alerts-open = 未解决（{ $n }）
admin-audit-system = 系统

## Settings form: labels, units and help generated from the settings schema
admin-settings-field-enabled = 启用
admin-settings-field-energyMin = 每单最少
admin-settings-field-energyMax = 每单最多
admin-settings-field-presets = 预设（逗号分隔）
admin-settings-field-delegatedAprBps = 财务年化收益率
admin-settings-field-orderFeeTrx = 每单手续费
admin-settings-field-minOrderPriceTrx = 最低订单价格
admin-settings-field-driftHeadroomBpsPerDay = 权重漂移余量
admin-settings-field-minDepositTrx = TRX 最低充值
admin-settings-field-minDepositUsdt = USDT 最低充值
admin-settings-field-usdtRateTrx = 每 1 USDT 计入的 TRX
admin-settings-field-poolLowEnergy = 能量池能量低于
admin-settings-field-walletLowTrx = 钱包 TRX 低于
admin-settings-field-stuckOrderMinutes = 订单卡住超过
admin-settings-field-failureRatePercent = 失败率超过
admin-settings-field-scannerLagBlocks = 扫描落后超过
admin-settings-field-walletMinTxs = 钱包剩余可发交易少于
admin-settings-field-maintenanceEnabled = 开启：机器人、门户和 API 拒绝新订单
admin-settings-field-maintenanceMessage = 提示信息
admin-settings-help-delegatedAprBps = 质押的 TRX 在别处可获得的收益；财务页将其计为成本。
admin-settings-help-orderFeeTrx = 钱包每天 600 字节的免费带宽用完后，每次代理和取消代理约消耗 0.28 TRX 的带宽；财务页显示订单的实际成本。
admin-settings-help-minOrderPriceTrx = 0：不设最低价。
admin-settings-help-driftHeadroomBpsPerDay = 租用每开始一天额外代理的能量，用于应对全网总权重的漂移。
admin-settings-help-walletMinTxs = 当能量池钱包的带宽和 TRX 可支付的代理/取消代理交易少于此数时告警。
admin-settings-unit-energy = 能量
admin-settings-unit-sunPerEnergy = sun/能量
admin-settings-unit-trx = TRX
admin-settings-unit-usdt = USDT
admin-settings-unit-bp = 基点
admin-settings-unit-bpPerDay = 基点/天
admin-settings-unit-percent = %
admin-settings-unit-minutes = 分钟
admin-settings-unit-blocks = 区块
admin-confirm-cancel = 取消

# Pay by transfer (转账即租): settings and the console page
admin-settings-transfers = 转账即租
admin-settings-field-transferEnabled = 开启：向租赁地址转账即可购买能量
admin-settings-field-transferOffers = 套餐
admin-settings-field-transferRiskCapTrx = 在最新区块即发放的上限
admin-settings-field-transferRefundFeeTrx = 退款手续费
admin-settings-unit-offers = TRX = 能量 / 时长；…
admin-settings-help-transferOffers = 例如 "4 = 65000 / 1h; 8 = 131000 / 1h"。金额不得重复；能量须在上下限之间；时长须为已开放的时长。
admin-settings-help-transferRiskCapTrx = 更大金额的转账须等待区块固化（约一分钟）。若最新区块中的转账因分叉消失，损失最多为此金额。
admin-settings-help-transferRefundFeeTrx = 每笔链上退款扣除此金额（支付退款的带宽）。不超过此金额的转账不退还。
admin-nav-transfers = 转账租赁
admin-transfers-address = 租赁地址：
admin-transfers-disabled = 转账即租已关闭
admin-transfers-rules = 不超过 { $cap } 在最新区块即发放；退款手续费 { $fee }。
admin-transfers-filter = 按状态筛选
admin-transfers-all = 全部
admin-transfers-status-pending = 等待固化
admin-transfers-status-delivering = 发放中
admin-transfers-status-delivered = 已发放
admin-transfers-status-refunding = 退款中
admin-transfers-status-refunded = 已退款
admin-transfers-status-credited = 已计入余额
admin-transfers-status-kept = 未退还（低于手续费）
admin-transfers-status-failed = 失败
admin-transfers-status-vanished = 已消失（分叉）
admin-transfers-col-time = 区块时间
admin-transfers-col-from = 转出地址
admin-transfers-col-amount = 金额
admin-transfers-col-tx = 交易
admin-transfers-col-status = 状态
admin-transfers-col-outcome = 结果
admin-transfers-contract = 由合约转出；签名者 { $origin }
admin-transfers-awaitingSolid = 等待所在区块固化
admin-transfers-reason-disabled = 转账即租当时已关闭
admin-transfers-reason-no_offer = 金额不匹配任何套餐
admin-transfers-reason-contract_sender = 转出方是合约
admin-transfers-reason-no_capacity = 能量池不足
admin-transfers-reason-cannot_deliver = 链上无法锁定该时长
admin-transfers-reason-order_failed = 代理失败
admin-transfers-order = 订单 #{ $id }（{ $energy } 能量）
admin-transfers-refund = 已退款 { $amount }（手续费 { $fee }）
admin-transfers-credited = 已将 { $amount } 计入用户 #{ $user }
admin-transfers-lost = 为已消失的转账代理的能量：{ $amount }
admin-transfers-older = 更早的转账
## Referral commissions: settings, the Referrals report, who referred whom
admin-settings-referrals = 邀请佣金
admin-settings-field-referralCommissionBps = 佣金比例
admin-settings-field-referralWindowDays = 佣金期限
admin-settings-help-referralCommissionBps = 被邀请用户每笔已交付订单中计给邀请人的比例（100 bp = 1%）；0 表示关闭佣金。
admin-settings-help-referralWindowDays = 仅被邀请用户首次使用后这么多天内下的订单计算佣金；0 表示不限。
admin-settings-unit-days = 天
admin-nav-referrals = 邀请
admin-referrals-terms = 佣金比例：{ $rate } · 期限：{ $period }
admin-referrals-noLimit = 不限
admin-referrals-days = { $days } 天
admin-referrals-off = 关闭
admin-referrals-credited = 已发放
admin-referrals-reversed = 已扣回
admin-referrals-net = 净成本
admin-referrals-owed = 邀请人尚欠
admin-referrals-referred = 被邀请用户（累计）
admin-referrals-byDay = 按天
admin-referrals-top = 邀请排行
admin-referrals-col-day = 日期
admin-referrals-col-referrer = 邀请人
admin-referrals-col-invitees = 邀请人数
admin-referrals-col-orders = 订单数
admin-referrals-none = 此期间没有佣金。
admin-user-referredBy = 邀请人
admin-user-invitees = 已邀请用户
admin-user-referralEarned = 已赚佣金
admin-col-referredBy = 邀请人
## Keep-energy subscriptions (watched addresses)
admin-nav-subscriptions = 能量保持订阅
admin-subs-all = 全部状态
admin-subs-status = 状态
admin-subs-count = 订阅数
admin-subs-user = 用户
admin-subs-address = 地址
admin-subs-min = 至少保持
admin-subs-available = 可用能量（最近读取）
admin-subs-topups = 补充次数
admin-subs-spent = 已花费 / 预算
admin-subs-ends = 截止
admin-subs-error = 等待原因
admin-settings-field-subscriptionTopupDuration = 订阅补充租期
admin-settings-help-subscriptionTopupDuration = 租期之一（如 1h）：每次自动补充的代理时长。
admin-settings-field-subscriptionMaxDays = 订阅最长天数
admin-settings-field-subscriptionLowBalanceTopups = 余额不足提醒阈值（补充次数）
admin-settings-help-subscriptionLowBalanceTopups = 当余额可支付的补充次数少于此数时，机器人提醒订阅用户一次。

## Per-transfer packages: settings and the Packages page
admin-settings-unit-packages = 笔数 = TRX；…
admin-settings-field-packageOffers = 笔数套餐（笔数 = TRX）
admin-settings-help-packageOffers = 用户可购买的套餐，例如 "10 = 30; 50 = 140; 100 = 270"。留空则不出售。
admin-settings-field-packageValidityDays = 套餐有效期（天）
admin-settings-field-packageRefundPercent = 到期未用笔数退款比例
admin-settings-help-packageRefundPercent = 套餐到期时，按未用笔数对应金额退还的百分比（0 = 不退）。
admin-settings-field-packageSupplyDuration = 套餐补给租期
admin-settings-help-packageSupplyDuration = 租期之一（如 1h）：每次为下一笔转账补给能量的代理时长。
admin-nav-packages = 笔数套餐
admin-pkg-all = 全部状态
admin-pkg-status = 状态
admin-pkg-count = 套餐数
admin-pkg-user = 用户
admin-pkg-address = 地址
admin-pkg-used = 已用 / 购买
admin-pkg-price = 价格
admin-pkg-refunded = 已退款
admin-pkg-supplies = 补给次数
admin-pkg-cost = 补给成本
admin-pkg-margin = 毛利
admin-pkg-ends = 到期
admin-pkg-error = 等待原因
# 权限模式供应钱包（能量池页面）
admin-pool-operator = 操作员密钥（权限模式）
admin-pool-operatorAddress = 权限模式钱包的所有者需授权此地址：{ $address }
admin-pool-operatorMissing = 尚未配置操作员密钥：请在 worker 上运行 `npm run pool:operator -- --generate`。
admin-pool-permissionSetup = 以权限模式添加钱包
admin-pool-permissionIntro = 私钥始终由所有者保管。输入钱包地址，查看需要添加的权限，以及所有者需在自己的钱包中签名的交易。
admin-pool-permissionShow = 查看需要添加的权限
admin-pool-permissionAdd = 为 { $owner } 添加名为“{ $name }”的 Active 权限：
admin-pool-permissionOps = 操作：仅限 { $ops }。该权限无法转出 TRX 或代币，无法解除质押、投票或修改权限。
admin-pool-permissionKey = 密钥：{ $operator }，权重 { $weight }；阈值 { $threshold }：仅凭操作员密钥即可签署代理与取消代理。
admin-pool-permissionKept = 所有者权限及其他 Active 权限（{ $kept }）保持不变。
admin-pool-permissionKeptNone = 所有者权限保持不变。
admin-pool-permissionFee = 此次更新需支付 { $fee }（链上的账户权限更新费用），由该钱包支付。
admin-pool-permissionCosts = 每次代理和取消代理约消耗该钱包 300 字节带宽，带宽用尽后燃烧 TRX；每日花费绝不超过导入时设置的上限。
admin-pool-permissionTx = 由节点构建的未签名 AccountPermissionUpdate 交易（请在 { $until } 之前签名）：
admin-pool-permissionSign = 使用 TronLink 签名并发送
admin-pool-permissionSent = 已发送：{ $txid }。交易上链后再导入该钱包。
admin-pool-permissionNoWallet = 此浏览器中没有 TronLink：请复制交易，在所有者的钱包中签名。
admin-pool-permissionLocked = TronLink 未选择账户：请解锁并选择所有者的钱包后重试。
admin-pool-permissionRejected = 已在 TronLink 中拒绝：没有签名，也没有发送任何内容。
admin-pool-permissionWrongAccount = TronLink 当前选择的是 { $selected }，而不是 { $address }：请切换到所有者的钱包后重试。
admin-pool-permissionFailed = 未发送：{ $reason }
admin-pool-permissionGranted = 该钱包已授予所需权限：请在下方导入。
admin-pool-permissionImport = 以权限模式导入
admin-pool-capBandwidth = 每日带宽上限（字节）
admin-pool-capTrx = 每日 TRX 上限
admin-pool-capsSave = 保存上限
admin-pool-ownerReclaims = 需由所有者取消的代理
admin-pool-ownerReclaimsIntro = 这些钱包的所有者在代理尚未收回时撤销了平台的权限：现在只有所有者本人能取消这些代理。链上代理消失后，记录会自动关闭。
admin-done-importPermission = 已以权限模式导入 { $address }（权限 id { $id }）。
admin-done-walletCaps = 钱包 { $id }：每日最多 { $bytes } 字节带宽和 { $trx }。
# Batch orders (app/admin/(console)/batches, the batchMaxLines setting)
admin-nav-batches = 批量订单
admin-batches-title = 批量订单
admin-batches-user = 用户 ID
admin-batches-filter = 筛选
admin-batches-empty = 暂无批量订单。
admin-batches-col-id = 批次
admin-batches-col-source = 来源
admin-batches-col-lines = 行数
admin-batches-col-ordered = 已下单
admin-batches-col-rejected = 未下单
admin-batches-col-total = 扣款
admin-batches-col-created = 创建时间
admin-batches-placing = 下单中…
admin-batches-next = 更早的批次 →
admin-batches-col-orders = 订单
admin-batches-its-orders = 查看其订单
admin-batch-title = 批次 #{ $id }
admin-batch-placed = 下单完成
admin-batch-paid = 已支付（已下单的行）
admin-batch-refunded = 已退款
admin-batch-lines = 明细行
admin-batch-col-receiver = 接收地址
admin-batch-col-energy = 能量
admin-batch-col-duration = 时长
admin-batch-col-status = 状态
admin-batch-col-order = 订单
admin-batch-col-error = 未下单原因
admin-settings-field-batchMaxLines = 每批订单行数上限
admin-settings-help-batchMaxLines = 一个批量订单最多可包含的接收地址数（门户、机器人和 API）。
admin-batch-of-order = 所属批量订单
# smart pricing: settings fields, held-quote errors and the price simulation page
admin-settings-field-pricingCurve = 按能量池使用率定价
admin-settings-help-pricingCurve = 每个点由使用率百分比和倍数（基点）组成，例如 0:10000, 70:10000, 90:13000, 100:16000。各点之间线性变化；使用率必须递增，倍数不得下降。
admin-settings-field-pricingVolumeDiscounts = 批量折扣
admin-settings-help-pricingVolumeDiscounts = 每组由门槛能量和折扣百分比组成，例如 500000:5, 2000000:10；订单达到的最高门槛生效。留空表示无折扣。
admin-settings-field-pricingResellerDiscount = 分销 API 折扣
admin-settings-help-pricingResellerDiscount = 通过分销 API 下的每笔订单在批量折扣之后再享受的折扣。
admin-settings-field-pricingFloorMarginBps = 底价高于成本的幅度
admin-settings-help-pricingFloorMarginBps = 任何价格都不会低于能量池为该订单付出的成本（代理和取消代理的带宽，以及按财务年化计算的质押占用）加上此幅度。
admin-settings-field-pricingLiveBurnPrice = 从链上读取燃烧价格
admin-error-quote_expired = 报价已过期，已生成新报价。
admin-error-quote_invalid = 报价对此订单无效，已生成新报价。
admin-nav-pricingSimulation = 价格模拟
admin-sim-title = 价格模拟
admin-sim-intro = 用下方的定价设置（默认为当前设置，可修改）重放某一天已交付的订单。使用率取每笔订单支付时记录的值；记录之前的订单取能量池当前的使用率。
admin-sim-day = 日期（UTC）
admin-sim-run = 模拟
admin-sim-orders = 已交付订单
admin-sim-oldRevenue = 收入（实收）
admin-sim-newRevenue = 收入（模拟）
admin-sim-difference = 差额
admin-sim-floor = 底价合计
admin-sim-margin = 模拟收入高于底价的部分
admin-sim-atFloor = 按底价计价的订单
admin-sim-utilisationNow = 能量池当前使用率：{ $percent }%
admin-sim-col-order = 订单
admin-sim-col-energy = 能量
admin-sim-col-duration = 时长
admin-sim-col-utilisation = 使用率
admin-sim-col-old = 实收
admin-sim-col-new = 模拟
admin-sim-col-floor = 底价
admin-sim-none = 当天没有已交付的订单。
admin-sim-now = 当前
admin-sim-unitPrices = 单价（sun/能量）

# Third-party suppliers
admin-settings-suppliers = 第三方供应商
admin-settings-field-supplierSelection = 钱包选择规则
admin-settings-help-supplierSelection = own_first：先用平台自有钱包，再用供应商钱包；suppliers_first：先用供应商钱包；cheapest：先用自有钱包，再按供应商最低价从低到高。
admin-settings-field-supplierCommissionBps = 平台佣金
admin-settings-help-supplierCommissionBps = 平台从供应商每笔已交付订单份额中抽取的比例（100 bp = 1%）。
admin-settings-field-supplierPayoutAutoMaxTrx = 免审批提现上限
admin-settings-help-supplierPayoutAutoMaxTrx = 不超过此金额的提现无需运营审批即发出；0 表示每笔提现都需审批。
admin-settings-field-supplierPayoutAutoAboveTrx = 自动提现起点
admin-settings-help-supplierPayoutAutoAboveTrx = 供应商余额达到此金额时自动提现；0 表示仅按申请提现。
admin-settings-field-supplierPayoutMinTrx = 最低提现金额
admin-settings-help-supplierPayoutMinTrx = 供应商申请的提现不得低于此金额。
admin-nav-suppliers = 供应商
admin-suppliers-terms = 选择规则：{ $rule } · 平台佣金：{ $commission } · 免审批上限 { $auto }
admin-suppliers-list = 供应商
admin-suppliers-none = 暂无供应商。
admin-suppliers-col-user = 供应商
admin-suppliers-col-available = 可用
admin-suppliers-col-min = 最低价（sun / 能量·天）
admin-suppliers-col-wallets = 钱包
admin-suppliers-col-earned = 累计收益
admin-suppliers-col-feesRepaid = 返还手续费
admin-suppliers-col-balance = 余额
admin-suppliers-col-payout = 提现地址
admin-suppliers-on = 开
admin-suppliers-off = 关
admin-suppliers-queue = 待审批提现
admin-suppliers-queueEmpty = 没有待审批的提现。
admin-suppliers-col-amount = 金额
admin-suppliers-col-to = 收款地址
admin-suppliers-col-decide = 审批
admin-suppliers-approve = 批准
admin-suppliers-approveConfirm = 从收款地址发出 { $amount }？
admin-suppliers-reject = 拒绝
admin-suppliers-reason = 原因
admin-suppliers-payouts = 最近提现
admin-suppliers-col-status = 状态
admin-suppliers-col-tx = 交易
admin-done-supplierPayout = 提现 { $id }：{ $status }。
# Offers against the pricing floor (settings, transfers and packages pages)
admin-offer-below-floor-tick = 低于底价出售
admin-offer-margin = 底价 { $floor }，利润 { $margin }（占售价 { $percent }）
admin-offer-below-floor = 底价 { $floor }：低于底价 { $margin }（占售价 { $percent }）
admin-offers-floor-title = 报价与定价底价对比
admin-offers-floor-help = 底价是相同能量和时长按当前定价底价（能量池成本加底价利润率）的价格；套餐的底价为笔数 × 单笔转账能量按供应租期的底价。低于底价的报价只有在设置中勾选“低于底价出售”后才能保存。
admin-offers-col-offer = 报价
admin-offers-col-price = 价格
admin-offers-col-floor = 底价
admin-offers-col-margin = 利润
admin-offers-col-allowed = 低于底价出售
admin-offers-yes = 是（已勾选）
