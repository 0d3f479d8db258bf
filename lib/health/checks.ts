/**
 * Every health check, registered by importing its module: `db` and `schema` (lib/health), `inngest` (the job
 * queue, lib/events), `scanner` (deposits, lib/deposits) and `chain` (the TRON node).
 */
import "@/lib/events";
import "@/lib/deposits";
import "./chain";

export { recentHealth, runHealthChecks } from "./index";
