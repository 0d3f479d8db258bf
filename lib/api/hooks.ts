/** The reseller API subscribes to order changes here (signed callbacks). */
export {};
