# One image for every process role of the app: APP_ROLE=all (default) | web | worker | migrate, each
# started with the same command. deploy/compose.yaml runs it; docs/operations.md, "First deploy".
#
#   docker build -t tron-energy-helper .
#
# The runner holds Next's standalone server (.next/standalone: server.js and only the node_modules
# files it reaches), the static assets and public/ it does not copy itself, and the two folders the
# app reads from disk at run time: db/migrations (the migrate role, and the start-up schema check)
# and lib/i18n/locales (the Fluent catalogues of every surface).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies: exactly the lockfile ---------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
# No install scripts: the only ones are inngest-cli's (it downloads the Inngest dev server binary,
# which production never runs) and protobufjs's version check. Native code (@node-rs/argon2) comes
# as prebuilt platform packages, which need none.
RUN npm ci --ignore-scripts --no-audit --no-fund

# --- build: next build with output "standalone" --------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# No secret is needed to build: lib/env.ts checks production secrets when a server starts, not
# while `next build` imports the modules. public/ is optional in the repository; the runner copies it.
RUN npx next build && mkdir -p public

# --- runner --------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_TELEMETRY_DISABLED=1

# Root owns the code (the app cannot rewrite itself); the app user may write only Next's cache.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/lib/i18n/locales ./lib/i18n/locales
RUN mkdir -p .next/cache && chown node:node .next/cache

# The unprivileged user of the official Node images (uid 1000).
USER node
EXPOSE 3000

# GET /api/health: 200 when every check passes, 503 naming the failing ones (the image has no curl).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM itself (the app drains requests and stops within
# SHUTDOWN_TIMEOUT_MS; give the container a longer stop grace period). The semi-space flags are those
# of `npm start` (see README, Scripts); Node refuses them in NODE_OPTIONS, so they go here.
STOPSIGNAL SIGTERM
CMD ["node", "--min-semi-space-size=64", "--max-semi-space-size=64", "server.js"]
