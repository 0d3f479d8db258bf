/**
 * Side-effect imports that subscribe the surfaces to domain changes (order status, deposits). Imported
 * by every process that runs domain work: the Inngest functions (`inngest/index.ts`) and scripts.
 */
import "@/lib/bot/hooks";
import "@/lib/api/hooks";
