/** What an admin form's server action answers (read with useActionState). */
export type ActionState =
  | { status: "idle" }
  | { status: "totp_required" }
  | { status: "success"; message: string }
  | {
      status: "failed";
      code: string;
      /** The catalogue's sentence for `code`, in the console's language. */
      message: string;
      /** The library's own (English) sentence when it says more than `message`. */
      detail?: string;
      fields?: Record<string, string>;
    };

export const idle: ActionState = { status: "idle" };
