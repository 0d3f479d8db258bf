import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { User } from "@/db/schema";
import { AppError, isAppError } from "@/lib/errors";
import { getUserById } from "@/lib/users";
import { auth } from "./auth";

/**
 * The signed-in user of this request, read fresh from the database (so a ban or a deleted user
 * takes effect at once), or null. Cached per request.
 */
export const getSessionUser = cache(async (): Promise<User | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  try {
    return await getUserById(id);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  }
});

/**
 * For pages and server actions: the signed-in, non-banned user. Signed out → redirect to /login;
 * banned → redirect to /login?error=banned (no portal access).
 */
export async function requireUser(): Promise<User> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.status === "banned") redirect("/login?error=banned");
  return user;
}

/**
 * For JSON route handlers: the signed-in, non-banned user, else an AppError (`unauthorized` /
 * `forbidden`) that the handler turns into a response with `errorResponse`.
 */
export async function requireApiUser(): Promise<User> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthorized", "Please sign in.");
  if (user.status === "banned") throw new AppError("forbidden", "This account is suspended.");
  return user;
}
