/**
 * npm run bot:webhook — registers the webhook with Telegram: URL (APP_URL/api/telegram, or the first
 * argument), the secret (TELEGRAM_WEBHOOK_SECRET), allowed updates (message, callback_query), and
 * the command list per language. `npm run bot:webhook -- --delete` removes it (for polling).
 */
import { envFiles } from "@/scripts/load-env";
import { Api } from "grammy";
import { env } from "@/lib/env";
import { tr } from "@/lib/bot/i18n";

async function main() {
  if (!env.TELEGRAM_BOT_TOKEN) throw new Error("TELEGRAM_BOT_TOKEN is not set.");
  const api = new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
  const args = process.argv.slice(2);
  console.log(
    [
      `bot:webhook${args.includes("--delete") ? " --delete" : ""}:`,
      `  bot       ${env.TELEGRAM_BOT_USERNAME ? `@${env.TELEGRAM_BOT_USERNAME}` : "(TELEGRAM_BOT_USERNAME not set)"}, id ${env.TELEGRAM_BOT_TOKEN.split(":")[0]}, through ${env.TELEGRAM_API_ROOT}`,
      `  env files ${envFiles.length ? envFiles.join(", ") : "none"}`,
    ].join("\n"),
  );
  if (args.includes("--delete")) {
    await api.deleteWebhook();
    console.log("webhook deleted");
    return;
  }
  if (!env.TELEGRAM_WEBHOOK_SECRET) throw new Error("TELEGRAM_WEBHOOK_SECRET is not set.");
  const url = args.find((a) => !a.startsWith("--")) ?? new URL("/api/telegram", env.APP_URL).toString();
  if (!url.startsWith("https://") && !args.includes("--insecure"))
    throw new Error(`Telegram needs an https URL (got ${url}); pass --insecure for a fake Bot API.`);
  await api.setWebhook(url, {
    secret_token: env.TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: ["message", "callback_query"],
    max_connections: 40,
    drop_pending_updates: false,
  });
  const commands = (l: "en" | "zh") => [
    { command: "start", description: tr(l, "cmd-start") },
    { command: "rent", description: tr(l, "cmd-rent") },
    { command: "batch", description: tr(l, "cmd-batch") },
    { command: "wallets", description: tr(l, "cmd-wallets") },
    { command: "balance", description: tr(l, "cmd-balance") },
    { command: "topup", description: tr(l, "cmd-topup") },
    { command: "transfer", description: tr(l, "cmd-transfer") },
    { command: "orders", description: tr(l, "cmd-orders") },
    { command: "keep", description: tr(l, "cmd-keep") },
    { command: "packages", description: tr(l, "cmd-packages") },
    { command: "portal", description: tr(l, "cmd-portal") },
    { command: "language", description: tr(l, "cmd-language") },
    { command: "help", description: tr(l, "cmd-help") },
    { command: "invite", description: tr(l, "cmd-invite") },
    { command: "supplier", description: tr(l, "cmd-supplier") },
  ];
  await api.setMyCommands(commands("en"));
  await api.setMyCommands(commands("zh"), { language_code: "zh" });
  if (env.TELEGRAM_MINI_APP_URL)
    await api.setChatMenuButton({
      menu_button: { type: "web_app", text: "Portal", web_app: { url: env.TELEGRAM_MINI_APP_URL } },
    });
  const info = await api.getWebhookInfo();
  console.log(`webhook set: ${url} (pending updates: ${info.pending_update_count})`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
