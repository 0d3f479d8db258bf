/**
 * Writes lib/i18n/keys.generated.ts (the typed message ids) from the Fluent catalogues in
 * lib/i18n/locales. Run after adding, renaming or removing a message: `npm run i18n:keys`.
 */
import { writeFileSync } from "node:fs";
import { loadCatalog } from "@/lib/i18n/catalog";
import { KEYS_FILE, keysSource } from "@/lib/i18n/keys";

writeFileSync(KEYS_FILE, keysSource(loadCatalog()));
console.log(`wrote ${KEYS_FILE}`);
