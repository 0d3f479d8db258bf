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
admin-finance-note = Revenue is recognised when an order is delivered (active): its price minus what was refunded of that order. A payment for an order not delivered is not revenue; it shows under paid, not delivered until the order is delivered or refunded. Payments and refunds are the money that moved that day. Cost = chain fees we paid + the opportunity cost of delegated TRX at { $apr } % a year.
admin-finance-date = Date
admin-finance-payments = Payments
admin-finance-refunds = Refunds
admin-finance-revenue = Revenue (delivered)
admin-finance-undelivered = Paid, not delivered
admin-finance-deliveredOrders = Orders delivered
admin-finance-chainCost = Chain fees
admin-finance-opportunityCost = Opportunity cost
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
