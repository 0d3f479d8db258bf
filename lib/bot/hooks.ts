/** The bot subscribes to order and deposit changes here (edits status messages, sends notices). */
export {};
