/**
 * Security headers for every response (next.config.ts `headers()`; computed at build time, so a
 * production build carries the production set).
 *
 * - Content-Security-Policy: our own origin only, plus Telegram's scripts (the Mini App's
 *   telegram-web-app.js and the sign-in's telegram-widget.js) and Telegram's sign-in frame; no
 *   plugins, no foreign forms or base URLs. Scripts may be inline: Next.js inlines its hydration
 *   data, and nonces would make every page dynamic and run the proxy on every view. React
 *   escapes what it renders, so the inline allowance does not open a path for injected markup.
 * - Framing: the portal only by Telegram's web clients (the Mini App runs in their iframe) and
 *   ourselves; the admin console by nobody (frame-ancestors 'none' and X-Frame-Options DENY).
 * - HSTS in production; nosniff; a Referrer-Policy that sends other sites only our origin, so
 *   a one-time sign-in link's token never leaves in a Referer.
 */
const TELEGRAM_WEB_ORIGINS = [
  "https://web.telegram.org",
  "https://webk.telegram.org",
  "https://webz.telegram.org",
] as const;

type Rule = { source: string; headers: { key: string; value: string }[] };

function csp(opts: { production: boolean; frameAncestors: string }): string {
  const dev = !opts.production;
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline' https://telegram.org${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-src 'self' https://oauth.telegram.org",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${opts.frameAncestors}`,
  ].join("; ");
}

export function securityHeaders(opts: { production: boolean }): Rule[] {
  const common = [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    ...(opts.production
      ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
      : []),
  ];
  const admin = [
    { key: "Content-Security-Policy", value: csp({ ...opts, frameAncestors: "'none'" }) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
  return [
    {
      source: "/:path*",
      headers: [
        ...common,
        {
          key: "Content-Security-Policy",
          value: csp({ ...opts, frameAncestors: `'self' ${TELEGRAM_WEB_ORIGINS.join(" ")}` }),
        },
        // Telegram's sign-in window talks back to its opener.
        { key: "Cross-Origin-Opener-Policy", value: "same-origin-allow-popups" },
      ],
    },
    { source: "/admin", headers: admin },
    { source: "/admin/:path*", headers: admin },
  ];
}
