# The operator console.

admin-title = Admin console

admin-nav-dashboard = Dashboard
admin-nav-orders = Orders
admin-nav-pool = Pool
admin-nav-users = Users
admin-nav-settings = Pricing & settings
admin-nav-finance = Finance
admin-nav-alerts = Alerts
admin-nav-audit = Audit log
admin-nav-admins = Operators
admin-nav-account = My account

admin-signOut = Sign out

admin-signIn-title = Sign in to the admin console
admin-signIn-email = Email
admin-signIn-password = Password
admin-signIn-totp = Authenticator code
admin-signIn-totpNeeded = Enter the 6-digit code from your authenticator app.
admin-signIn-submit = Sign in
admin-signIn-firstStart = First start? On its first start with no admin, the app created an owner account and printed its email and a one-time password once in its console output: the terminal running npm run dev or npm start, or the server's log. Search it for "First start".
admin-signIn-lost = Lost it? Stop the app and run npm run admin:create -- --email you@example.com --role owner (with PostgreSQL this works while the app runs).

admin-forbidden = Your role does not allow this page.

admin-readOnly = Read-only: your role cannot change anything here.

admin-save = Save

admin-saved = Saved.

admin-done = Done.

admin-reason = Reason

admin-search = Search

admin-next = Next page

admin-none = Nothing here yet.

admin-dash-today = Today
admin-dash-7d = 7 days
admin-dash-30d = 30 days
admin-dash-orders = Orders
admin-dash-energy = Energy sold
admin-dash-revenue = Revenue (delivered)
admin-dash-cost = Cost
admin-dash-profit = Profit
admin-dash-refunds = Refunds
admin-dash-failureRate = Failure rate
admin-dash-median = Median delivery
admin-dash-poolNow = Pool: delegatable now
admin-dash-poolInUse = Pool: in use
admin-dash-openAlerts = Open alerts
admin-dash-inFlight = In flight
admin-dash-chart = Orders and revenue per day (30 days)

admin-health-title = Something the platform depends on is failing
admin-health-help = Orders and deposits wait until it is back. Details: /api/health.
admin-health-db = Database
admin-health-schema = Database schema (migrations pending: npm run db:migrate)
admin-health-inngest = Background jobs (Inngest)
admin-health-scanner = Deposit scanner
admin-health-chain = TRON node

admin-orders-status = Status
admin-orders-user = User (id, Telegram id or @name)
admin-orders-receiver = Receiver address
admin-orders-txid = Txid
admin-orders-from = From
admin-orders-to = To
admin-orders-any = Any
admin-orders-source = Source
admin-orders-batch = Batch
admin-orders-bad-filters = Some filters are not valid.
admin-orders-of-batch = Orders of batch #{ $id } (open the batch)

admin-order-timeline = Timeline
admin-order-delegations = Delegations
admin-order-retry = Retry (re-send the event)
admin-order-refund = Refund
admin-order-cancel = Cancel (paid only)
admin-order-reclaim = Reclaim now

admin-pool-import = Import a wallet
admin-pool-energyPerTrx = Energy per staked TRX now: { $n }
admin-pool-nodeDown = unknown (the TRON node is not answering)
admin-pool-address = Address
admin-pool-key = Private key (never shown again)
admin-pool-label = Label
admin-pool-priority = Priority
admin-pool-enable = Enable
admin-pool-disable = Disable
admin-pool-refresh = Refresh now
admin-pool-remove = Remove
admin-pool-outstanding = Outstanding delegations

admin-users-adjust = Manual adjustment
admin-users-amount = Amount in TRX (negative to debit)
admin-users-ban = Ban
admin-users-unban = Unban
admin-users-ledger = Ledger
admin-users-deposits = Deposits

admin-deposits-rescan = Rescan blocks for this address
admin-deposits-from = From block
admin-deposits-to = To block (solidified)
admin-deposits-scanner = Deposit scanner
admin-deposits-restart = Restart the scanner at this block

admin-users-wallets = Wallets

admin-settings-prices = Prices per duration (sun per energy)
admin-settings-limits = Order limits
admin-settings-deposits = Deposits
admin-settings-costs = Supplier costs
admin-settings-alerts = Alert thresholds
admin-settings-maintenance = Maintenance mode

admin-finance-export = Export CSV
admin-finance-note = Revenue is recognised when an order is delivered (active): its price minus what was refunded of that order; a per-transfer package counts the day it is bought, less its expiry refund the day it expires (its prepaid supplies are not sales). A payment for an order not delivered is not revenue; it shows under paid, not delivered until the order is delivered or refunded. Payments and refunds are the money that moved that day. Cost = chain fees of our transactions (including those a supplier's wallet burned, which we repay) + the opportunity cost of our own delegated TRX at { $apr } % a year + what suppliers earned + referral commissions less those taken back.
admin-finance-date = Date
admin-finance-payments = Payments
admin-finance-refunds = Refunds
admin-finance-revenue = Revenue (delivered)
admin-finance-packages = Of which packages
admin-finance-undelivered = Paid, not delivered
admin-finance-deliveredOrders = Orders delivered
admin-finance-chainCost = Chain fees
admin-finance-opportunityCost = Opportunity cost
admin-finance-supplierCost = Suppliers
admin-finance-referralCost = Referrals
admin-finance-cost = Cost
admin-finance-profit = Profit
admin-finance-total = Total

admin-chart-revenueTrx = Revenue, delivered (TRX)
admin-chart-orders = Orders
admin-chart-costTrx = Cost (TRX)
admin-chart-profitTrx = Profit (TRX)
admin-chart-deliveredOrders = Orders delivered

admin-dash-undelivered = Paid, not delivered
admin-dash-undeliveredOrders = { $n } orders waiting for delivery or refund

admin-finance-costs = Supplier cost per order

admin-nav-reconcile = Chain drift

admin-reconcile-run = Check now

admin-alerts-resolve = Resolve

admin-account-password = Change password
admin-account-current = Current password
admin-account-new = New password (12+ characters)
admin-account-first = This is your first sign-in: choose your own password to continue.
admin-account-totp = Two-factor authentication
admin-account-totpOn = Two-factor authentication is on.
admin-account-totpEnable = Enable
admin-account-totpDisable = Disable

admin-admins-create = Add an operator
admin-admins-role = Role
admin-admins-changeRole = Change role
admin-admins-disable = Disable
admin-admins-enable = Re-enable
admin-admins-disableConfirm = Disable this admin? They are signed out at once.
admin-admins-you = you
admin-admins-actions = Role and access

admin-error-bad_request = Some input is missing or not valid.
admin-error-invalid_amount = That amount is not valid.
admin-error-invalid_address = That is not a valid TRON address.
admin-error-not_activated = This address is not activated on TRON.
admin-error-unauthorized = Not signed in, or the sign-in was not accepted.
admin-error-forbidden = This is not allowed for your account.
admin-error-not_found = Not found.
admin-error-conflict = This conflicts with existing data.
admin-error-idempotency_conflict = This form was already sent with other values. Reload the page.
admin-error-insufficient_balance = The balance is too low for this.
admin-error-rate_limited = Too many attempts. Wait a moment.
admin-error-maintenance = Ordering is paused for maintenance.
admin-error-energy_out_of_range = The energy amount is outside the limits.
admin-error-unknown_duration = That rental duration is not offered.
admin-error-invalid_state = Not possible in the current state.
admin-error-no_capacity = The pool cannot deliver that much energy now.
admin-error-chain_error = The TRON network refused or did not answer.
admin-error-provider_unavailable = A service this needs is not reachable. Try again shortly.
admin-error-payload_too_large = The request is too large.
admin-error-busy = The service is busy right now. Please try again in a moment.
admin-error-internal = Something went wrong on our side. Please try again.

## Finance: supplier cost per order
admin-costs-orders = orders
admin-costs-burned = bandwidth burned
admin-costs-stakeHours = stake blocked (TRX·h): rented / after reclaim
admin-costs-opportunity = opportunity cost
admin-costs-margin = margin
admin-costs-burnedAvg = burned per order
admin-costs-feeNow = fee per order now
admin-costs-feeHint = Orders burn more bandwidth than the per-order fee covers: raise it on the settings page to at least { $amount }.
admin-costs-note = Stake blocked after the reclaim: the energy a customer used moves to the supplier wallet and keeps stake busy while it recovers over about 24 h. Margin = price − refunds − bandwidth burned − opportunity cost.
admin-costs-col-order = order
admin-costs-col-status = status
admin-costs-col-energy = energy
admin-costs-col-duration = duration
admin-costs-col-price = price
admin-costs-col-refunded = refunded
admin-costs-col-burned = bandwidth burned
admin-costs-col-rentedHours = TRX·h rented
admin-costs-col-afterHours = TRX·h after
admin-costs-col-opportunity = opportunity
admin-costs-col-margin = margin

## Chain drift
admin-reconcile-kind-orphan = on chain, no order explains it
admin-reconcile-kind-missing = an order's delegation is not on chain
admin-reconcile-kind-unreclaimed = marked reclaimed, still on chain
admin-reconcile-kind-lock_mismatch = the chain's lock ends later than the orders'
admin-reconcile-undelegated = undelegated { $amount }
admin-reconcile-undelegateSent = undelegate sent
admin-reconcile-undelegatingNext = undelegating next run
admin-reconcile-undelegatedIfSeen = undelegated if seen again
admin-reconcile-lockedUntil = locked until { $time }
admin-reconcile-col-kind = kind
admin-reconcile-col-wallet = wallet
admin-reconcile-col-receiver = receiver
admin-reconcile-col-chain = on chain
admin-reconcile-col-expected = orders expect
admin-reconcile-col-lockEnds = lock ends (chain / orders)
admin-reconcile-col-delegations = delegations
admin-reconcile-col-seen = seen
admin-reconcile-col-reclaim = reclaim
admin-reconcile-lastRun = Last check { $time }: { $wallets } wallets, { $receivers } receivers, { $open } open.
admin-reconcile-lastRunError = Last check { $time }: { $wallets } wallets, { $receivers } receivers, { $open } open — { $error }.
admin-reconcile-never = Not checked yet.
admin-reconcile-schedule = Checked every 5 minutes; stake no order explains is undelegated once its lock has ended and it was seen twice.
admin-reconcile-open = Open ({ $n })
admin-reconcile-resolved = Resolved lately
admin-reconcile-ownersOwn = Owners' own delegations (permission-mode wallets)
admin-reconcile-ownersOwnNote = Stake the owners of permission-mode wallets delegated themselves, seen by the last run. It is theirs: not a finding, never undelegated by the platform, and not counted as free.

## Other pages
admin-user-telegramId = Telegram id
admin-actions = Actions
admin-alerts-resolved = Resolved
admin-orders-badFilters = Some filters are not valid.
admin-pool-removeConfirm = Remove this wallet?

## What a console action did
admin-done-totpOn = Two-factor authentication is on.
admin-done-totpOff = Two-factor authentication is off.
admin-done-retry = Sent to the job queue (attempt { $attempt }): fulfilment starts shortly.
admin-done-refund = Refunded.
admin-done-cancel = Cancelled; the price went back to the user's balance.
admin-done-reclaim = Reclaim sent to the job queue for { $n } delegation(s).
admin-done-import = Imported { $address }. The key is stored encrypted and will not be shown again.
admin-done-walletStatus = Wallet { $id } is now { $status }.
admin-done-walletPriority = Wallet { $id } now has priority { $priority }.
admin-done-walletRefresh = Read from the chain: { $amount } delegatable.
admin-done-reconcile = Checked { $wallets } wallets and { $receivers } receivers: { $open } open findings{ $unread }.
admin-done-reconcileOne = Checked { $wallets } wallets and { $receivers } receivers: { $open } open finding{ $unread }.
admin-done-reconcileUnread = {" "}({ $n } wallets not read)
admin-done-walletRemoved = Wallet { $id } removed.
admin-done-rescan = Rescan of blocks { $from }–{ $to } queued; credits appear as it runs.
admin-done-scannerRestart = The scanner reads from block { $from } on its next run.
admin-done-adjustReplayed = Already applied (this form was sent before); the balance is { $amount }.
admin-done-adjusted = Adjusted; the balance is now { $amount }.
admin-done-userStatus = User { $id } is now { $status }.
admin-done-settings = Saved. New quotes use these values now.
admin-done-alertResolved = Resolved.
admin-done-alertUnchanged = Nothing changed: this alert was already resolved.
admin-done-adminCreated = Created { $email }. One-time password (shown once): { $password }
admin-done-roleChanged = { $email } is now { $role }.
admin-done-roleUnchanged = { $email } already was { $role }.
admin-done-adminDisabled = { $email } is disabled and signed out.
admin-done-adminDisabledSessions = { $email } is disabled and signed out ({ $n } session(s) ended).
admin-done-adminEnabled = { $email } can sign in again.

## Table columns
admin-col-time = time
admin-col-type = type
admin-col-amount = amount
admin-col-balanceAfter = balance after
admin-col-reference = reference
admin-col-memo = memo
admin-col-created = created
admin-col-receiver = receiver
admin-col-energy = energy
admin-col-price = price
admin-col-status = status
admin-col-currency = currency
admin-col-txid = txid
admin-col-confirmations = confirmations
admin-col-address = address
admin-col-label = label
admin-col-default = default
admin-col-wallet = wallet
admin-col-tx = tx
admin-col-fee = fee
admin-col-expires = expires
admin-col-reclaimTx = reclaim tx
admin-col-reclaimed = reclaimed
admin-col-delegation = delegation
admin-col-order = order
admin-col-staked = staked
admin-col-delegated = delegated
admin-col-delegatable = delegatable
admin-col-energyNow = energy now
admin-col-bandwidth = bandwidth
admin-col-open = open
admin-col-refreshed = refreshed
admin-col-telegram = Telegram
admin-col-username = username
admin-col-language = language
admin-col-balance = balance
admin-col-duration = duration
admin-col-user = user
admin-col-email = email
admin-col-role = role
admin-col-lastSignIn = last sign-in
admin-col-lockedUntil = locked until
admin-col-disabled = disabled
admin-col-who = who
admin-col-action = action
admin-col-target = target
admin-col-before = before
admin-col-after = after
admin-col-source = source
admin-col-delivered = delivered
admin-col-failure = failure
admin-col-refunded = refunded
admin-col-severity = severity
admin-col-rule = rule
admin-col-message = message
admin-col-first = first
admin-col-last = last
admin-col-notifiedResolved = notified / resolved

## Page titles and small labels
admin-order-title = Order { $id } ·
admin-user-title = User #{ $id }
admin-users-searchPlaceholder = id, Telegram id or @username
admin-account-totpQr = TOTP QR code
admin-alerts-open = Open ({ $n })
admin-audit-system = system

## Settings form: labels, units and help generated from the settings schema
admin-settings-field-enabled = on
admin-settings-field-energyMin = Minimum per order
admin-settings-field-energyMax = Maximum per order
admin-settings-field-presets = Presets (comma-separated)
admin-settings-field-delegatedAprBps = Finance APR
admin-settings-field-orderFeeTrx = Fee per order
admin-settings-field-minOrderPriceTrx = Minimum order price
admin-settings-field-driftHeadroomBpsPerDay = Weight-drift headroom
admin-settings-field-minDepositTrx = Minimum TRX deposit
admin-settings-field-minDepositUsdt = Minimum USDT deposit
admin-settings-field-usdtRateTrx = TRX credited per 1 USDT
admin-settings-field-poolLowEnergy = Pool energy below
admin-settings-field-walletLowTrx = Wallet TRX below
admin-settings-field-stuckOrderMinutes = Order stuck after
admin-settings-field-failureRatePercent = Failure rate over
admin-settings-field-scannerLagBlocks = Scanner lag over
admin-settings-field-walletMinTxs = Wallet transactions left below
admin-settings-field-maintenanceEnabled = On: the bot, portal and API refuse new orders
admin-settings-field-maintenanceMessage = Message
admin-settings-help-delegatedAprBps = What staked TRX would earn elsewhere; the finance page counts it as a cost.
admin-settings-help-orderFeeTrx = Each delegate and undelegate burns about 0.28 TRX of bandwidth once a wallet's 600 free bytes a day are used; the finance page shows what orders really cost.
admin-settings-help-minOrderPriceTrx = 0: no minimum.
admin-settings-help-driftHeadroomBpsPerDay = Extra energy delegated per started day of a rental, against the network's total weight drifting.
admin-settings-help-walletMinTxs = Warn when a pool wallet's bandwidth and TRX pay for fewer delegate / undelegate transactions than this.
admin-settings-unit-energy = energy
admin-settings-unit-sunPerEnergy = sun per energy
admin-settings-unit-trx = TRX
admin-settings-unit-usdt = USDT
admin-settings-unit-bp = basis points
admin-settings-unit-bpPerDay = bp per day
admin-settings-unit-percent = %
admin-settings-unit-minutes = min
admin-settings-unit-blocks = blocks
admin-confirm-cancel = Cancel

# Pay by transfer (转账即租): settings and the console page
admin-settings-transfers = Pay by transfer
admin-settings-field-transferEnabled = On: transfers to the rental address buy energy
admin-settings-field-transferOffers = Offers
admin-settings-field-transferRiskCapTrx = Deliver from the head block up to
admin-settings-field-transferRefundFeeTrx = Refund fee
admin-settings-unit-offers = TRX = energy / duration; …
admin-settings-help-transferOffers = e.g. "4 = 65000 / 1h; 8 = 131000 / 1h". Amounts must differ; energy within the limits; durations among the offered ones.
admin-settings-help-transferRiskCapTrx = Larger payments wait for their block to be solidified (about a minute). A head-block payment a fork drops costs at most this much.
admin-settings-help-transferRefundFeeTrx = Kept from every on-chain refund (it pays the refund's bandwidth). Amounts not above it are kept.
admin-nav-transfers = Transfers
admin-transfers-address = Rental address:
admin-transfers-disabled = pay by transfer is switched off
admin-transfers-rules = Head-block delivery up to { $cap }; refund fee { $fee }.
admin-transfers-filter = Filter by state
admin-transfers-all = All
admin-transfers-status-pending = pending solidification
admin-transfers-status-delivering = delivering
admin-transfers-status-delivered = delivered
admin-transfers-status-refunding = refunding
admin-transfers-status-refunded = refunded
admin-transfers-status-credited = credited
admin-transfers-status-kept = kept (below the fee)
admin-transfers-status-failed = failed
admin-transfers-status-vanished = vanished (fork)
admin-transfers-col-time = Block time
admin-transfers-col-from = From
admin-transfers-col-amount = Amount
admin-transfers-col-tx = Transaction
admin-transfers-col-status = State
admin-transfers-col-outcome = Outcome
admin-transfers-contract = sent by a contract; signed by { $origin }
admin-transfers-awaitingSolid = waiting for its block to be solidified
admin-transfers-reason-disabled = pay by transfer was off
admin-transfers-reason-no_offer = the amount matches no offer
admin-transfers-reason-contract_sender = the sender is a contract
admin-transfers-reason-no_capacity = the pool could not cover it
admin-transfers-reason-cannot_deliver = the chain cannot lock that duration
admin-transfers-reason-order_failed = the delegation failed
admin-transfers-order = Order #{ $id } ({ $energy } energy)
admin-transfers-refund = Refunded { $amount } (fee { $fee })
admin-transfers-credited = Credited { $amount } to user #{ $user }
admin-transfers-lost = Delegated for a payment that vanished: { $amount }
admin-transfers-older = Older transfers
## Referral commissions: settings, the Referrals report, who referred whom
admin-settings-referrals = Referral commissions
admin-settings-field-referralCommissionBps = Commission
admin-settings-field-referralWindowDays = Commission period
admin-settings-help-referralCommissionBps = Share of each delivered order of an invited user credited to whoever invited them (100 bp = 1 %); 0 turns commissions off.
admin-settings-help-referralWindowDays = Only orders placed within this many days of the invited user's first contact earn a commission; 0: no limit.
admin-settings-unit-days = days
admin-nav-referrals = Referrals
admin-referrals-terms = Commission: { $rate } · period: { $period }
admin-referrals-noLimit = no limit
admin-referrals-days = { $days } days
admin-referrals-off = off
admin-referrals-credited = Credited
admin-referrals-reversed = Taken back
admin-referrals-net = Net cost
admin-referrals-owed = Still owed by referrers
admin-referrals-referred = Referred users (all time)
admin-referrals-byDay = By day
admin-referrals-top = Top referrers
admin-referrals-col-day = Day
admin-referrals-col-referrer = Referrer
admin-referrals-col-invitees = Invitees
admin-referrals-col-orders = Orders
admin-referrals-none = No commissions in this period.
admin-user-referredBy = Referred by
admin-user-invitees = Users invited
admin-user-referralEarned = Commissions earned
admin-col-referredBy = referred by
## Keep-energy subscriptions (watched addresses)
admin-nav-subscriptions = Subscriptions
admin-subs-all = All statuses
admin-subs-status = Status
admin-subs-count = Subscriptions
admin-subs-user = User
admin-subs-address = Address
admin-subs-min = Keep at least
admin-subs-available = Available (last read)
admin-subs-topups = Top-ups
admin-subs-spent = Spent / budget
admin-subs-ends = Ends
admin-subs-error = Waiting because
admin-settings-field-subscriptionTopupDuration = Subscription top-up rental
admin-settings-help-subscriptionTopupDuration = One of the durations (e.g. 1h): how long each automatic top-up is delegated for.
admin-settings-field-subscriptionMaxDays = Longest subscription (days)
admin-settings-field-subscriptionLowBalanceTopups = Low-balance warning below (top-ups)
admin-settings-help-subscriptionLowBalanceTopups = The bot warns a subscriber once when the balance pays for fewer top-ups than this.

## Per-transfer packages: settings and the Packages page
admin-settings-unit-packages = transfers = TRX; …
admin-settings-field-packageOffers = Packages (transfers = TRX)
admin-settings-help-packageOffers = What users can buy, e.g. "10 = 30; 50 = 140; 100 = 270". Leave empty to sell none.
admin-settings-field-packageValidityDays = Package validity (days)
admin-settings-field-packageRefundPercent = Refund of unused transfers at expiry
admin-settings-help-packageRefundPercent = Percent of the unused transfers' share of the price given back when a package expires (0 = none).
admin-settings-field-packageSupplyDuration = Package supply rental
admin-settings-help-packageSupplyDuration = One of the durations (e.g. 1h): how long each supply for the next transfer is delegated for.
admin-nav-packages = Packages
admin-pkg-all = All statuses
admin-pkg-status = Status
admin-pkg-count = Packages
admin-pkg-user = User
admin-pkg-address = Address
admin-pkg-used = Used / bought
admin-pkg-price = Price
admin-pkg-refunded = Refunded
admin-pkg-supplies = Supplies
admin-pkg-cost = Supplies' cost
admin-pkg-margin = Margin
admin-pkg-ends = Ends
admin-pkg-error = Waiting because
# Permission-mode supplier wallets (pool page)
admin-pool-operator = Operator key (permission mode)
admin-pool-operatorAddress = Owners of permission-mode wallets grant this address: { $address }
admin-pool-operatorMissing = No operator key is configured: run `npm run pool:operator -- --generate` on the worker.
admin-pool-permissionSetup = Add a wallet in permission mode
admin-pool-permissionIntro = The owner keeps the private key. Enter the wallet's address to see the permission to add and the transaction to sign in the owner's own wallet.
admin-pool-permissionShow = Show the permission to add
admin-pool-permissionAdd = Add an Active permission named “{ $name }” to { $owner }:
admin-pool-permissionOps = Operations: { $ops } only. It cannot transfer TRX or tokens, unstake, vote or change permissions.
admin-pool-permissionKey = Key: { $operator } with weight { $weight }; threshold { $threshold }: the operator key alone signs delegations and undelegations.
admin-pool-permissionKept = The owner permission and the other Active permissions ({ $kept }) stay as they are.
admin-pool-permissionKeptNone = The owner permission stays as it is.
admin-pool-permissionFee = The update costs { $fee } (the chain's account permission update fee), paid by the wallet.
admin-pool-permissionCosts = Each delegation and undelegation uses about 300 bytes of the wallet's bandwidth, or burns TRX once its bandwidth is used up, never more per day than the caps set when importing.
admin-pool-permissionTx = Unsigned AccountPermissionUpdate transaction, built by the node (sign it before { $until }):
admin-pool-permissionSign = Sign and send with TronLink
admin-pool-permissionSent = Sent: { $txid }. Import the wallet once it is in a block.
admin-pool-permissionNoWallet = No TronLink in this browser: copy the transaction and sign it in the owner's wallet.
admin-pool-permissionLocked = TronLink has no account selected: unlock it, pick the owner's wallet and try again.
admin-pool-permissionRejected = Declined in TronLink: nothing was signed or sent.
admin-pool-permissionWrongAccount = TronLink has { $selected } selected, not { $address }: switch to the owner's wallet and try again.
admin-pool-permissionFailed = Not sent: { $reason }
admin-pool-permissionGranted = This wallet already grants the permission: import it below.
admin-pool-permissionImport = Import in permission mode
admin-pool-capBandwidth = Daily bandwidth cap (bytes)
admin-pool-capTrx = Daily TRX cap
admin-pool-capsSave = Save caps
admin-pool-ownerReclaims = Delegations their owners must undelegate
admin-pool-ownerReclaimsIntro = These wallets' owners revoked the platform's permission while these delegations were out: only the owner can undelegate them now. Each closes by itself once it is gone from the chain.
admin-done-importPermission = Imported { $address } in permission mode (permission id { $id }).
admin-done-walletCaps = Wallet { $id }: at most { $bytes } bytes of bandwidth and { $trx } a day.
# Batch orders (app/admin/(console)/batches, the batchMaxLines setting)
admin-nav-batches = Batch orders
admin-batches-title = Batch orders
admin-batches-user = User id
admin-batches-filter = Filter
admin-batches-empty = No batch orders yet.
admin-batches-col-id = Batch
admin-batches-col-source = Source
admin-batches-col-lines = Lines
admin-batches-col-ordered = Ordered
admin-batches-col-rejected = Rejected
admin-batches-col-total = Charged
admin-batches-col-created = Created
admin-batches-placing = placing…
admin-batches-next = Older batches →
admin-batches-col-orders = Orders
admin-batches-its-orders = Its orders
admin-batch-title = Batch #{ $id }
admin-batch-placed = Placed
admin-batch-paid = Paid (ordered lines)
admin-batch-refunded = Refunded
admin-batch-lines = Lines
admin-batch-col-receiver = Receiver
admin-batch-col-energy = Energy
admin-batch-col-duration = Duration
admin-batch-col-status = Status
admin-batch-col-order = Order
admin-batch-col-error = Why not ordered
admin-settings-field-batchMaxLines = Lines per batch order
admin-settings-help-batchMaxLines = The most receivers one batch order may list (portal, bot and API).
admin-batch-of-order = Batch order
# smart pricing: settings fields, held-quote errors and the price simulation page
admin-settings-field-pricingCurve = Price by pool utilisation
admin-settings-help-pricingCurve = Points "utilisation %:multiplier in basis points", e.g. 0:10000, 70:10000, 90:13000, 100:16000. Linear between points; utilisation must rise and the multiplier must not fall.
admin-settings-field-pricingVolumeDiscounts = Volume discounts
admin-settings-help-pricingVolumeDiscounts = "energy:percent" pairs, e.g. 500000:5, 2000000:10; the largest threshold an order reaches applies. Empty: none.
admin-settings-field-pricingResellerDiscount = Reseller API discount
admin-settings-help-pricingResellerDiscount = Off every order placed through the reseller API, after the volume discount.
admin-settings-field-pricingFloorMarginBps = Floor margin over cost
admin-settings-help-pricingFloorMarginBps = No price goes below the pool's cost of the order (bandwidth of the delegate and undelegate, and the stake held at the finance APR) plus this margin.
admin-settings-field-pricingLiveBurnPrice = Read the burn price from the chain
admin-error-quote_expired = The quote has expired; a fresh one was made.
admin-error-quote_invalid = The quote is not valid for this order; a fresh one was made.
admin-nav-pricingSimulation = Price simulation
admin-sim-title = Price simulation
admin-sim-intro = Replays one day's delivered orders with the pricing settings below (the current ones unless you edit them). Utilisation is the one recorded when each order was paid, or the pool's current one for orders from before it was recorded.
admin-sim-day = Day (UTC)
admin-sim-run = Simulate
admin-sim-orders = Delivered orders
admin-sim-oldRevenue = Revenue (charged)
admin-sim-newRevenue = Revenue (simulated)
admin-sim-difference = Difference
admin-sim-floor = Sum of floors
admin-sim-margin = Simulated margin over the floor
admin-sim-atFloor = Orders at the floor
admin-sim-utilisationNow = Current pool utilisation: { $percent }%
admin-sim-col-order = Order
admin-sim-col-energy = Energy
admin-sim-col-duration = Duration
admin-sim-col-utilisation = Utilisation
admin-sim-col-old = Charged
admin-sim-col-new = Simulated
admin-sim-col-floor = Floor
admin-sim-none = No orders were delivered that day.
admin-sim-now = now
admin-sim-unitPrices = Unit prices (sun per energy)

# Third-party suppliers
admin-settings-suppliers = Third-party suppliers
admin-settings-field-supplierSelection = Wallet selection
admin-settings-help-supplierSelection = own_first: the platform's own wallets first, then suppliers'; suppliers_first: suppliers' wallets first; cheapest: own wallets, then suppliers by their minimum price, lowest first.
admin-settings-field-supplierCommissionBps = Platform commission
admin-settings-help-supplierCommissionBps = Kept by the platform from each supplier's share of a delivered order (100 bp = 1 %).
admin-settings-field-supplierPayoutAutoMaxTrx = Pay without approval up to
admin-settings-help-supplierPayoutAutoMaxTrx = Payouts of at most this amount are sent without an operator's approval; 0: every payout waits for approval.
admin-settings-field-supplierPayoutAutoAboveTrx = Automatic payout from
admin-settings-help-supplierPayoutAutoAboveTrx = A supplier's earnings are paid out by themselves once their balance reaches this; 0: only on request.
admin-settings-field-supplierPayoutMinTrx = Smallest payout
admin-settings-help-supplierPayoutMinTrx = A supplier cannot request a payout below this.
admin-nav-suppliers = Suppliers
admin-suppliers-terms = Selection: { $rule } · platform commission: { $commission } · paid without approval up to { $auto }
admin-suppliers-list = Suppliers
admin-suppliers-none = No supplier yet.
admin-suppliers-col-user = Supplier
admin-suppliers-col-available = Available
admin-suppliers-col-min = Minimum (sun / energy-day)
admin-suppliers-col-wallets = Wallets
admin-suppliers-col-earned = Earned
admin-suppliers-col-feesRepaid = Fees repaid
admin-suppliers-col-balance = Balance
admin-suppliers-col-payout = Payout address
admin-suppliers-on = on
admin-suppliers-off = off
admin-suppliers-queue = Payouts waiting for approval
admin-suppliers-queueEmpty = No payout is waiting.
admin-suppliers-col-amount = Amount
admin-suppliers-col-to = To
admin-suppliers-col-decide = Decision
admin-suppliers-approve = Approve
admin-suppliers-approveConfirm = Send { $amount } from the rental address?
admin-suppliers-reject = Reject
admin-suppliers-reason = Reason
admin-suppliers-payouts = Recent payouts
admin-suppliers-col-status = Status
admin-suppliers-col-tx = Transaction
admin-done-supplierPayout = Payout { $id }: { $status }.
# Offers against the pricing floor (settings, transfers and packages pages)
admin-offer-below-floor-tick = sell below the floor
admin-offer-margin = floor { $floor }, margin { $margin } ({ $percent } of the price)
admin-offer-below-floor = floor { $floor }: { $margin } below it ({ $percent } of the price)
admin-offers-floor-title = Offers against the pricing floor
admin-offers-floor-help = The floor is what the same energy and duration cost at the pricing floor now (the pool's cost plus the floor margin); a package's is its transfers × one transfer's energy for the supply rental. Offers below it are saved only when ticked "sell below the floor" in the settings.
admin-offers-col-offer = Offer
admin-offers-col-price = Price
admin-offers-col-floor = Floor
admin-offers-col-margin = Margin
admin-offers-col-allowed = Sold below the floor
admin-offers-yes = yes (ticked)
