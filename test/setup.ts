// Runs in the test worker before the suites: an in-memory embedded database unless a real one is given.
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://test";
process.env.TRON_NETWORK ??= "devnet";
// Concurrency suites use 20 connections against a real PostgreSQL.
if (process.env.DATABASE_URL) process.env.DATABASE_POOL_SIZE ??= "20";
