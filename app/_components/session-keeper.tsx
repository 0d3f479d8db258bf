"use client";

import { useEffect } from "react";

const KEY = "teh.session-rolled-at";
const DAY_MS = 86_400_000;

/**
 * Keeps the 30-day session rolling: once a day per browser, asks Auth.js for the session, which
 * re-issues the cookie with a fresh expiry (what next-auth's own SessionProvider does by polling).
 * proxy.ts no longer sees signed-in page views, so the refresh happens here.
 */
export function SessionKeeper() {
  useEffect(() => {
    let last = 0;
    try {
      last = Number(localStorage.getItem(KEY)) || 0;
    } catch {}
    if (Date.now() - last < DAY_MS) return;
    fetch("/api/auth/session", { cache: "no-store", credentials: "same-origin" })
      .then((r) => {
        if (r.ok) localStorage.setItem(KEY, String(Date.now()));
      })
      .catch(() => {});
  }, []);
  return null;
}
