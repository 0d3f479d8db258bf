# The reseller API pages of the portal: API keys, callback deliveries, API documentation.

apiKeys-title = API keys
apiKeys-intro = Order energy from your own bot, wallet or exchange. Send the key as Authorization: Bearer <key>. Keys and callback secrets are shown once, when created.
apiKeys-docsLink = Read the API documentation
apiKeys-create = Create a key
apiKeys-name = Name
apiKeys-namePlaceholder = e.g. my-bot production
apiKeys-creating = Creating…
apiKeys-created = Your new key. Copy both values now: they will not be shown again.
apiKeys-key = API key
apiKeys-secret = Callback signing secret
apiKeys-copy = Copy
apiKeys-copied = Copied
apiKeys-done = I have saved them
apiKeys-empty = No keys yet.
apiKeys-prefix = Key
apiKeys-createdAt = Created
apiKeys-lastUsed = Last used
apiKeys-never = never
apiKeys-limit = Limit
apiKeys-limitValue = { $n }/min
apiKeys-status = Status
apiKeys-active = active
apiKeys-revoked = revoked { $at }
apiKeys-revoke = Revoke
apiKeys-revokeConfirm = Revoke this key? Requests with it stop working at once.
apiKeys-revokedToast = Key revoked.
apiKeys-failed = That did not work. Please try again.

deliveries-title = Callback deliveries
deliveries-intro = Every status change of an order with a callback URL is POSTed there, signed. Failed deliveries are retried for about 5 hours.
deliveries-empty = No callbacks sent yet.
deliveries-order = Order
deliveries-event = Status
deliveries-url = URL
deliveries-state = Delivery
deliveries-pending = retrying
deliveries-delivered = delivered
deliveries-failed = failed
deliveries-attempts = Attempts
deliveries-attempt = #{ $n } { $when }: { $result } ({ $ms } ms)
deliveries-ok = accepted

docs-title = Reseller API
docs-intro = JSON over HTTPS at { $base }. Sun amounts are decimal strings (1 TRX = 1,000,000 sun); times are ISO 8601 in UTC.
docs-openapi = OpenAPI 3.1 document
docs-auth-title = Authentication
docs-auth-body = Send Authorization: Bearer <key>. Create and revoke keys under Account → API keys. Each key has a per-minute request limit; over it you get 429 with Retry-After.
docs-endpoints = Endpoints
docs-params = Parameters
docs-body = Request body
docs-responses = Responses
docs-public = public
docs-required = required
docs-errors-title = Errors
docs-errors-body = Every error has the same shape; match on code, show message to people.
docs-errors-code = Code
docs-errors-status = HTTP
docs-errors-meaning = Meaning
docs-idem-title = Idempotency
docs-idem-body = POST /orders needs an Idempotency-Key header (1–100 printable characters). Repeating it with the same body returns the same order (200) and charges once; with another body you get 409 idempotency_conflict.
docs-callbacks-title = Signed callbacks
docs-callbacks-verify = Verify a callback (Node.js)

# smart pricing: held quotes and reseller prices
docs-quote-title = Held quotes
docs-quote-body = GET /price quotes the reseller price (your discount included) and returns quote_id and expires_at. Send quote_id with POST /orders before it expires and the order is charged exactly price_sun, even if prices changed since. An expired quote answers 409 quote_expired, one altered or made for another energy or duration 409 quote_invalid; nothing is charged and error.quote holds a fresh quote. Without quote_id the order is priced when it is made.
