import { AsyncLocalStorage } from "node:async_hooks";

// Runs in the test worker before the suites: an in-memory embedded database unless a real one is given.
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://test";
process.env.TRON_NETWORK ??= "devnet";
// Concurrency suites use 20 connections against a real PostgreSQL.
if (process.env.DATABASE_URL) process.env.DATABASE_POOL_SIZE ??= "20";
// As Next's server runtime does before any module loads: Next's request storage (loaded by routes,
// next-auth, server actions) binds to the real AsyncLocalStorage only if it exists when that module
// is first imported, and the test worker shares modules across files.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;

// Events are captured, never sent to an Inngest server: the test runner's own sender, the one
// `setEventSender(null)` returns to (suites that run the consumers set test/domain-events').
const { captureSender, setDefaultEventSender } = await import("@/lib/events");
setDefaultEventSender(captureSender);
