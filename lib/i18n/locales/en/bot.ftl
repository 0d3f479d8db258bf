## Main menu
menu-title = <b>⚡ TRON Energy Helper</b>
menu-balance = Balance: <b>{ $amount }</b>
menu-default-wallet = Default wallet: <code>{ $address }</code>
menu-no-wallet = No saved wallet yet.
menu-burn-hint = Without energy, a USDT transfer burns about { $low } (recipient holds USDT) or { $high } (recipient holds none).
maintenance-banner = ⚠️ Ordering is paused for maintenance. Balances and deposits are not affected.

btn-rent = ⚡ Flash rent
btn-wallets = 👛 Wallets
btn-lookup = 🔍 Look-up
btn-topup = 💰 Top up
btn-orders = 📋 Orders
btn-language = 🌐 中文 / English
btn-help = ❓ Help
btn-portal = 🖥 Open portal
btn-miniapp = 🖥 Open Mini App
btn-menu = ‹ Menu
btn-back = ‹ Back
btn-cancel = Cancel
btn-skip = Skip
btn-support = Support
btn-portal-web = Portal
btn-prev = ‹ Prev
btn-next = Next ›

## Help and language
help-text =
    <b>❓ Help</b>
    <blockquote expandable><b>Energy</b>
    Sending USDT (TRC20) uses energy. Without energy the network burns TRX from the sender instead. Renting energy for the sending address costs much less than the burn.</blockquote>
    <blockquote expandable><b>65,000 or 131,000 energy?</b>
    It depends on the address you send USDT to: about 65,000 energy when it already holds USDT ({ $holder } burned without energy), about 131,000 when it holds none ({ $empty } burned). Tell the bot the USDT recipient and it suggests the right amount.</blockquote>
    <blockquote expandable><b>Expiry</b>
    The energy stays on your address for the rental duration, then it is reclaimed. Unused energy is not refunded.</blockquote>
    <blockquote expandable><b>Refunds</b>
    If we cannot deliver the energy, the full price goes back to your balance at once. An order that is still waiting can be cancelled from its card.</blockquote>
language-title = 🌐 Choose your language.
toast-language = Language: English

## Wallets
bot-wallets-title = 👛 Your saved wallets ({ $count } of { $max }). ⭐ is the default.
bot-wallets-empty = 👛 No saved wallets yet. Save the addresses you rent energy for.
btn-add-wallet = ➕ Add
btn-rename = ✏️ Rename
btn-make-default = ⭐ Default
btn-remove = 🗑 Remove
btn-remove-yes = 🗑 Yes, remove
btn-rent-for-this = ⚡ Rent for this
wallet-add-prompt = ➕ Send the TRON address to save (starts with T). You can add a label after it, e.g. <code>TXyz… Main wallet</code>.
wallet-saved = ✅ Saved { $address }.
wallet-saved-label = ✅ Saved { $address }. Send a label for it (e.g. "Exchange"), or tap Skip.
wallet-label-saved = ✅ Label saved.
wallet-label-too-long = A label has at most 64 characters. Send a shorter one.
wallet-rename-prompt = ✏️ Send a new label for { $address }.
wallet-remove-confirm = 🗑 Remove { $address } from your saved wallets? Orders are not affected.
wallet-duplicate = This address is already in your saved wallets.
wallet-limit = You can save at most { $max } wallets. Remove one first.
toast-wallet-gone = This wallet was removed.
toast-wallet-removed = Wallet removed.
toast-default-set = Default wallet set.

## Addresses
addr-empty = Enter a TRON address.
addr-whitespace = The address has spaces or line breaks inside it. Send it as one word.
addr-evm-format = This looks like an Ethereum/EVM address (0x…). A TRON address starts with T.
addr-bad-length = This address has the wrong length. A TRON address has 34 characters.
addr-bad-checksum = The checksum doesn't match: a character is wrong or missing. Copy the address again.
addr-bad-characters = The address contains characters that cannot appear in a TRON address.
addr-other-chain = This looks like an address from another chain, not a TRON address.
addr-bad-prefix = A TRON address starts with T.
addr-contract = This is a smart-contract address: energy cannot be delegated to a contract. Use the wallet that sends the transfers.
addr-invalid = This is not a valid TRON address.

## Look-up
lookup-title = 🔍 Address
lookup-prompt = 🔍 Send a TRON address to look up, or pick a saved wallet.
lookup-loading = Looking up on the TRON network… this message updates when the answer arrives.
btn-rent-for-it = ⚡ Rent for it
btn-save = ➕ Save
btn-lookup-another = 🔍 Another
card-trx = TRX: <b>{ $amount }</b>
card-usdt = USDT: { $amount }
card-energy = Energy: { $available } / { $limit } energy
card-bandwidth = Bandwidth: { $available } / { $limit } bandwidth
card-activated = Activated: yes
card-not-activated = Activated: <b>no</b>
card-as-of = as of { $time }
card-fallback = via TronScan (backup provider)
card-stale = the network did not answer, last known figures
hint-not-activated = Not activated: send it any amount of TRX before renting energy for it.
hint-enough-energy = This address already has enough energy for a USDT transfer.

## Flash rent
bot-rent-title = ⚡ Flash rent
bot-rent-receiver = Receiver: { $address }
rent-receiver-none = Receiver: <i>not chosen</i>
bot-rent-energy = Energy: <b>{ $energy } energy</b>
bot-rent-duration = Duration: { $duration }
bot-rent-recipient = USDT recipient: { $address }
bot-rent-price = Price: <b>{ $amount }</b> ({ $unit } sun/energy)
rent-reason-holder = recipient holds USDT
rent-reason-empty = recipient holds no USDT
bot-rent-suggest-holder = The recipient holds USDT: { $energy } energy suggested.
bot-rent-suggest-empty = The recipient holds no USDT: { $energy } energy suggested.
rent-receiver-prompt = 👛 Pick a saved wallet, or send the address that will send USDT (it receives the energy).
rent-recipient-prompt = 🎯 Send the address you will send USDT to. The energy needed depends on it.
rent-energy-prompt = ✏️ Send the amount of energy, from { $min } to { $max }.
rent-need-receiver = Choose the receiver first.
btn-energy-other = ✏️ Other
btn-receiver-set = 👛 Receiver: { $address }
btn-receiver-choose = 👛 Choose receiver
btn-recipient = 🎯 USDT recipient (optional)
btn-review = Review ›
review-title = ⚡ Review your rental
review-energy = Energy: <b>{ $energy } energy</b>
review-duration = Duration: { $duration }, ends about { $time }
review-price = Price: <b>{ $amount }</b> ({ $unit } sun/energy)
review-burn = Without energy: { $amount } burned ({ $unit } sun/energy)
review-saving = You save: { $amount } ({ $percent }%)
review-balance = Balance: { $balance } → { $after } after paying
review-short = You need { $price }, you have { $balance } ({ $missing } short).
review-held = Price held for { $minutes } minutes.
btn-pay = ✅ Pay { $amount }
btn-change = ✏️ Change
btn-cancel-x = ✖️ Cancel
toast-paid = Paid, order #{ $id }
toast-repriced = The price was updated. Check it and tap Pay again.
toast-quote-outdated = This quote is no longer valid.

## Durations and times
dur-chip-h = { $n }h
dur-chip-d = { $n }d
dur-long-h1 = { $n } hour
dur-long-h = { $n } hours
dur-long-d1 = { $n } day
dur-long-d = { $n } days

## Orders
bot-orders-title = 📋 Your orders
bot-orders-empty = 📋 No orders yet.
order-title = 📋 Order #{ $id }
order-receiver = Receiver: { $address }
order-energy = Energy: { $energy } energy · { $duration }
order-price = Price: { $amount }
order-tx = Transaction: { $tx }
order-st-paid = Paid { $amount }, preparing
order-st-delegating = Delegating on chain…
order-st-active = Active: { $energy } energy on { $address }
order-ends = Ends { $time }, { $left }
order-st-completed = Ended { $time }, energy reclaimed
order-partial-refund = { $amount } of the price was refunded (part of the energy could not be delivered).
order-st-failed = Couldn't delegate. A refund to your balance is on its way.
order-st-failed-short = Couldn't delegate
order-st-cancelled = Cancelled, refund to your balance in progress.
order-st-refunded = { $amount } back in your balance
order-st-cancelled-refunded = Cancelled · ↩️ { $amount } back in your balance
order-timeline = Timeline
order-cancel-confirm = Cancel order #{ $id }? The full price goes back to your balance.
btn-cancel-order = ✖️ Cancel order
btn-cancel-order-yes = ✖️ Yes, cancel
btn-check-address = 🔍 Check address
btn-rent-again = ⚡ Rent again
btn-try-again = Try again
toast-order-cancelled = Order cancelled and refunded.
notice-failed = ⚠️ Order #{ $id }: we couldn't delegate the energy. Your payment is being returned to your balance.
notice-refunded = ↩️ Order #{ $id }: { $amount } is back in your balance.
bot-status-paid = Paid
bot-status-delegating = Delegating
bot-status-active = Active
bot-status-reclaiming = Ended
bot-status-completed = Ended
bot-status-failed = Failed
bot-status-cancelled = Cancelled
bot-status-refunded = Refunded

## Top-up
bot-topup-title = 💰 Top up
bot-topup-address = Your deposit address: { $address }
bot-topup-network = Network: { $network }
topup-min = Minimum: { $trx } or { $usdt }
bot-topup-rate = USDT is credited at 1 USDT = { $rate }
bot-topup-confirmations = Credited after ~{ $blocks } blocks. Send only TRX or USDT (TRC20) to this address.
bot-topup-accepted = ✅ Accepted: TRX (also TRX sent by a contract, e.g. an exchange withdrawal) and USDT TRC20 ({ $usdt }).
topup-not-accepted = ⛔ Not accepted: TRC10 tokens, other TRC20 tokens, and deposits below the minimum. They are not credited to your balance and are not returned automatically.
topup-qr-caption = 🔳 Your deposit address: { $address }
btn-copy = 📋 Copy
btn-qr = 🔳 QR
deposit-seen = 💰 Incoming { $amount }, confirming…
deposit-credited = ✅ Credited { $credited } (received { $amount }) · Balance { $balance }
    Transaction: { $tx }

## Portal
portal-text = 🖥 Your sign-in link for the web portal. It works once and expires at { $time }. Don't share it.
btn-open-portal = 🖥 Open portal

## Errors and notices
err-maintenance = Ordering is paused for maintenance. Nothing was charged. Please try again later.
err-insufficient = Your balance is too low for this order. Nothing was charged. Top up to continue.
err-not-activated = This address is not activated on TRON yet: send it any TRX first.
err-energy-range = This amount of energy is outside the limits.
err-energy-range-n = Energy must be between { $min } and { $max }.
err-energy-format = Send the energy as a whole number, e.g. 65000 or 65k.
err-duration = This duration is not offered any more.
err-no-capacity = Not enough energy in the pool right now. Nothing was charged. Try a smaller amount or later.
err-no-capacity-max = The pool can deliver at most { $energy } energy right now. Nothing was charged.
btn-rent-max = ⚡ Rent { $energy } instead
err-chain = The TRON network did not answer. Nothing was charged. Try again in a minute.
err-not-found = This item no longer exists.
err-invalid-state = This order can no longer be cancelled: delivery has started.
err-stale-quote = This quote was already used. Review again.
err-bad-request = That request was not valid. Check it and try again.
err-invalid-amount = That is not a valid amount.
err-unauthorized = Your session has ended. Send /start and try again.
err-conflict = This changed in the meantime. Open it again from the menu.
err-too-large = That message is too long.
err-busy = The service is busy right now. Nothing was charged. Try again in a moment.
error-internal = Something went wrong on our side. Nothing was charged. Try again in a minute (ref { $ref }).
toast-outdated = This screen is out of date. Here is the current one.
toast-cancelled = Cancelled.
unknown-input = I didn't understand that. Use the menu below.
rate-limited = Too many taps. Please wait a moment.
banned = This account can't use the bot. Contact support if you think this is a mistake.

## Command list (setMyCommands)
cmd-start = Main menu
cmd-rent = Flash rent energy
cmd-wallets = Saved wallets
cmd-balance = Look up an address
cmd-topup = Top up your balance
cmd-orders = Your orders
cmd-portal = Sign in to the web portal
cmd-language = 中文 / English
cmd-help = Help

# Pay by transfer (转账即租)
btn-transfer = ⚡ Pay by transfer (no balance)
cmd-transfer = Rent energy by a plain TRX transfer
bot-transfer-address = Rental address: { $address }
bot-transfer-qr-caption = 🔳 Rental address: { $address }
## Referral commissions: the invite screen (/invite) and what /start says about an invite link
btn-invite = 👥 Invite friends
btn-invite-share = Share link
cmd-invite = Invite friends and earn
invite-title = <b>👥 Invite friends</b>
invite-terms = Friends who join through your link: you earn { $rate } of each order they receive, credited to your balance once the energy is delivered.
invite-terms-window = Commissions count for { $days } days after a friend joins.
invite-off = Commissions are paused right now; friends who join through your link still count as yours.
invite-bot-link = Bot link: { $link }
invite-portal-link = Web link: { $link }
invite-stats = Friends invited: <b>{ $count }</b> · Earned: <b>{ $amount }</b>
invite-owed = Taken from your next commissions: { $amount } (orders refunded after you were paid)
invite-recent = Latest friends:
invite-recent-line = { $name } · joined { $date } · { $amount }
invite-none = No one has joined through your link yet.
invite-share-text = Rent TRON energy and pay less for USDT transfers.
start-ref-welcome = Welcome! You joined through a friend's invite link.
start-ref-invalid = ⚠️ This invite link isn't valid. You can use the bot as usual.
start-ref-existing = Invite links count only for new accounts; yours is unchanged.
start-ref-self = This is your own invite link: share it with friends (👥 Invite friends).
## Keep-energy subscriptions (watched addresses)
cmd-keep = Keep energy on an address
btn-keep = 🔋 Keep energy
btn-keep-new = ➕ New subscription
btn-keep-open = Open the subscription
btn-keep-pause = ⏸ Pause
btn-keep-resume = ▶️ Resume
btn-keep-cancel = ✖️ Cancel
btn-keep-cancel-yes = Yes, cancel it
bot-keep-title = 🔋 Keep-energy subscriptions
bot-keep-empty = 🔋 <b>Keep energy on an address</b>
    We watch the address and delegate more energy whenever it falls below your minimum, paid per top-up from your balance, within a budget you set. You have no subscriptions yet.
bot-keep-line = #{ $id } · <code>{ $address }</code> · at least { $energy } · { $status }
bot-keep-status-active = active
bot-keep-status-paused = paused
bot-keep-status-exhausted = budget spent
bot-keep-status-ended = ended
bot-keep-status-cancelled = cancelled
bot-keep-card-title = 🔋 Subscription #{ $id }
bot-keep-card-status = Status: { $status }
bot-keep-card-min = Keep at least: { $energy } energy
bot-keep-card-now = Available at the last check: { $energy } energy
bot-keep-card-budget = Spent { $spent } of { $budget } ({ $topups } top-ups)
bot-keep-card-ends = Until: { $date }
bot-keep-card-waiting = The last top-up could not be placed (balance or capacity); we try again every minute.
bot-keep-done-pause = Paused.
bot-keep-done-resume = Resumed.
bot-keep-done-cancel = Cancelled.
bot-keep-cancel-confirm = Cancel subscription #{ $id }? Energy already delegated stays until its time is up; nothing more is charged.
bot-keep-new-prompt = Send the address, the minimum energy to keep, the number of days and your budget in TRX, in one message:
    <code>TXyz… 65000 7 50</code>
bot-keep-new-format = Please send four values separated by spaces: address, energy, days, budget in TRX. Example: <code>TXyz… 65000 7 50</code>
bot-keep-warn-low = ⚠️ Your balance ({ $balance }) is running low for subscription #{ $id } (<code>{ $address }</code>): one top-up costs about { $price }. Top up so the address keeps its energy.
bot-keep-warn-empty = ⚠️ Subscription #{ $id } (<code>{ $address }</code>) needs a top-up of { $price }, but your balance is { $balance }. Top up and we continue automatically.
bot-keep-warn-exhausted = Subscription #{ $id } (<code>{ $address }</code>) has spent its budget: no more top-ups. Start a new one to continue.

## Per-transfer packages (/packages)
cmd-packages = Packages of USDT transfers
btn-packages = 📦 Packages
btn-pkg-buy = ➕ Buy a package
btn-pkg-size = { $n } transfers · { $price }
bot-pkg-title = 📦 Transfer packages
bot-pkg-empty = 📦 <b>Packages of USDT transfers</b>
    Buy a number of USDT transfers for one address at a package price, paid once. We keep the address supplied with energy for its next transfer until they are used up. You have no packages yet.
bot-pkg-line = #{ $id } · <code>{ $address }</code> · { $left } of { $total } left · { $status }
bot-pkg-status-active = active
bot-pkg-status-completed = used up
bot-pkg-status-expired = expired
bot-pkg-card-title = 📦 Package #{ $id }
bot-pkg-card-status = Status: { $status }
bot-pkg-card-left = Transfers left: { $left } of { $total }
bot-pkg-card-price = Paid: { $price }
bot-pkg-card-ends = Valid until: { $date }
bot-pkg-card-supplying = ⏳ Energy for the next transfer is being delegated.
bot-pkg-card-ready = ✅ The address is supplied for its next USDT transfer.
bot-pkg-card-refunded = Refunded for unused transfers: { $amount }
bot-pkg-card-uses = Counted transfers
bot-pkg-buy-prompt = Choose a package. It is paid once from your balance and valid for { $days } days; at expiry { $percent }% of the unused transfers' share is refunded.
bot-pkg-none-on-sale = No packages are on sale right now.
bot-pkg-address-prompt = { $n } transfers for { $price }. Send the address that will send the USDT (it must be activated):
btn-pkg-open = 📦 Open
bot-pkg-ended-completed = 📦 Package #{ $id } (<code>{ $address }</code>) is used up: all { $n } transfers were made.
bot-pkg-ended-expired = 📦 Package #{ $id } (<code>{ $address }</code>) has expired. Refunded for unused transfers: { $refund }.
# Batch rent (lib/bot/features/batch.ts)
cmd-batch = Rent for several addresses at once
btn-batch = 📑 Batch rent
bot-batch-title = 📑 Batch rent
bot-batch-ask = Send the addresses, one per line (up to { $max }), each optionally followed by energy and duration:
bot-batch-defaults = Lines without energy or duration get <b>{ $energy } energy · { $duration }</b> (change it with the buttons).
bot-batch-review-title = 📑 Batch rent: review
bot-batch-total = Orders: { $count } · { $energy } energy · { $price }
bot-batch-short = ⚠️ Your balance ({ $balance }) does not cover every line: lines are paid in list order while it lasts; the rest are not ordered and cost nothing.
bot-batch-invalid = ⚠️ Lines that cannot be ordered: { $count } (nothing is charged for them).
bot-batch-more = … more lines: { $count }
bot-batch-duplicate = already in line { $line }
bot-batch-empty = Send at least one address.
bot-batch-too-many = A batch has at most { $max } lines; you sent { $count }.
bot-batch-line-pending = being placed
btn-batch-pay = ✅ Pay { $price }
btn-batch-edit = ✏️ Send other addresses
btn-batch-refresh = 🔄 Refresh
toast-batch-placed = Orders placed: { $ordered }
bot-batch-card-title = 📑 Batch #{ $id }
bot-batch-card-summary = Ordered: { $ordered } · not ordered: { $rejected } · paid { $paid }
bot-batch-card-refunded = ↩️ { $amount } back in your balance (orders that could not be delivered)
# smart pricing: the review's discount, demand and live burn price; held quotes refused
review-discount = Volume discount: −{ $amount } ({ $percent }%)
review-demand = The pool is busy: prices are { $percent }% higher right now.
review-burn-live = Without energy: { $amount } burned (chain price now: { $unit } sun/energy)
err-quote-expired = This price has expired. Review the new price and tap Pay again.
err-quote-invalid = This price is no longer valid. Review the new price and tap Pay again.
## A supplier's own supply (/supplier, lib/bot/features/supplier.ts)
cmd-supplier = Your energy supply (suppliers)
btn-supplier = ⚡ My energy supply
btn-sup-manage = 🖥 Wallets and prices
btn-sup-join = 🖥 Become a supplier
btn-sup-pause = ⏸ Pause supplying
btn-sup-resume = ▶️ Resume supplying
btn-sup-payout = 💰 Pay out { $amount }
btn-sup-payout-yes = 💰 Yes, pay out
bot-sup-none = ⚡ <b>Supply energy and earn</b>
    Stake TRX for energy and let the platform lend it with a permission that can only delegate and undelegate: you earn on every delivered order. Set your terms and add a wallet on the portal's supplier page; then run your supply from here.
bot-sup-title = ⚡ <b>Your energy supply</b>
bot-sup-on = ✅ Available: your wallets lend energy.
bot-sup-off = ⚠️ Paused: no new order uses your wallets; energy already lent comes back when its rental ends.
bot-sup-min = Minimum price: <b>{ $price }</b> sun per energy per day
bot-sup-cap = Energy cap: <b>{ $cap }</b>
bot-sup-cap-none = Energy cap: none
bot-sup-wallets = 👛 Wallets:
bot-sup-wallets-none = 👛 No wallet yet: add one on the portal.
bot-sup-wallet-line = { $address } · { $grant } · { $selection } · lent now { $percent }
bot-sup-grant-ok = granted
bot-sup-grant-revoked = permission revoked
bot-sup-grant-paused = paused by the operator
bot-sup-in-selection = in selection
bot-sup-not-in-selection = not in selection
bot-sup-earned = 💰 Earned today: <b>{ $today }</b> · last 7 days: <b>{ $week }</b>
bot-sup-withdrawable = You can be paid: <b>{ $amount }</b> (smallest payout { $min })
bot-sup-payout-open = ⏳ Payout #{ $id } of { $amount }: { $status } ({ $date })
bot-sup-payout-pending = waiting for approval
bot-sup-payout-approved = approved
bot-sup-payout-signed = sending
bot-sup-payout-broadcast = sending
bot-sup-payout-confirmed = paid
bot-sup-payout-rejected = rejected, returned to your balance
bot-sup-payout-failed = failed, returned to your balance
bot-sup-payout-address = Payout address: { $address }
bot-sup-no-payout-address = Set a payout address on the portal's supplier page to be paid.
bot-sup-payout-confirm = Pay out <b>{ $amount }</b> in TRX to { $address }? It is taken from your balance now; larger payouts wait for an operator's approval.
bot-sup-pay-nothing = Nothing to pay out now: you can be paid { $amount }; the smallest payout is { $min }.
bot-sup-pay-changed = What you can be paid has changed (now { $amount }). Nothing was paid: look again and confirm.
toast-sup-on = Your wallets are available again.
toast-sup-off = Paused: no new order uses your wallets.
toast-sup-payout = Payout of { $amount } requested: { $status }.
