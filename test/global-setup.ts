/**
 * Runs once before all suites. With DATABASE_URL (CI, or a local PostgreSQL) the schema is
 * migrated there; without it every suite uses an in-memory PGlite migrated on first use.
 */
export default async function setup() {
  (process.env as Record<string, string>).NODE_ENV = "test";
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
  } finally {
    await client.end();
  }
}
