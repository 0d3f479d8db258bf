/** What an admin form's server action answers (read with useActionState). */
export type ActionState =
  | { status: "idle" }
  | { status: "totp_required" }
  | { status: "success"; message: string }
  | { status: "failed"; code: string; message: string; fields?: Record<string, string> };

export const idle: ActionState = { status: "idle" };
