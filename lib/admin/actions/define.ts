import { z } from "zod";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { type AdminContext, authorize } from "../auth";
import type { Permission } from "../permissions";

/**
 * Every mutating admin action, as `(ctx, input) → result`: the permission is checked FIRST (before
 * the input is even parsed), then the input is parsed with zod, then one lib/ function does the
 * work and the audit row is written. Server actions and routes only add the session lookup.
 */
export type AdminAction<I, R> = ((ctx: AdminContext | null, input: unknown) => Promise<R>) & {
  permission: Permission;
  schema: z.ZodType<I>;
};

export function defineAction<S extends z.ZodType, R>(
  permission: Permission,
  schema: S,
  run: (ctx: AdminContext, input: z.output<S>) => Promise<R>,
): AdminAction<z.output<S>, R> {
  const fn = async (ctx: AdminContext | null, input: unknown) => {
    const c = authorize(ctx, permission);
    const p = schema.safeParse(input);
    if (!p.success)
      throw new AppError("bad_request", "Some fields are missing or invalid.", {
        fields: fieldErrorsFromZod(p.error.issues),
      });
    return run(c, p.data);
  };
  return Object.assign(fn, { permission, schema: schema as unknown as z.ZodType<z.output<S>> });
}

export const id = z.coerce.number().int().positive();
export const reason = z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500);
