"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { type AdminAction, adminActions } from "@/lib/admin/actions";
import { ADMIN_COOKIE, changePassword, disableTotp, enableTotp, signIn, signOut } from "@/lib/admin/auth";
import { clearAdminSessionCookie, clientIp, requireAdmin, setAdminSessionCookie } from "@/lib/admin/guard";
import { settingsPatchFromForm } from "@/lib/admin/settings-form";
import { getRequestLocale } from "@/lib/i18n/server";
import { formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import type { ActionState } from "./_components/action-state";
import { adminFailure } from "./_components/errors";

/**
 * The admin console's server actions: thin. Each one passes the session through `requireAdmin`
 * (the permission comes from the action's own definition in lib/admin/actions) and maps errors to
 * a user-safe state for the form through the error catalogue (./_components/errors).
 */
async function failed(thrown: unknown): Promise<ActionState> {
  const { locale } = await getRequestLocale();
  return adminFailure(thrown, locale);
}

const formObject = (fd: FormData) =>
  Object.fromEntries([...fd.entries()].filter(([k]) => !k.startsWith("$")).map(([k, v]) => [k, String(v)]));

async function runAdminAction<R>(
  action: AdminAction<unknown, R>,
  input: unknown,
  opts: { revalidate?: string; message?: (r: R) => string } = {},
): Promise<ActionState> {
  try {
    const ctx = await requireAdmin(action.permission);
    const r = await action(ctx, input);
    if (opts.revalidate) revalidatePath(opts.revalidate, "layout");
    return { status: "success", message: opts.message?.(r) ?? "Done." };
  } catch (e) {
    return failed(e);
  }
}

// ----------------------------------------------------------------------------- sign-in / out

export async function signInAction(_: ActionState, fd: FormData): Promise<ActionState> {
  let ok = false;
  try {
    const h = await headers();
    const r = await signIn({
      email: String(fd.get("email") ?? ""),
      password: String(fd.get("password") ?? ""),
      totp: String(fd.get("totp") ?? "") || undefined,
      ip: await clientIp(),
      userAgent: h.get("user-agent"),
    });
    if (r.status === "totp_required") return { status: "totp_required" };
    await setAdminSessionCookie(r.token, r.expiresAt);
    ok = true;
  } catch (e) {
    return failed(e);
  }
  if (ok) redirect("/admin");
  return { status: "idle" };
}

export async function signOutAction(): Promise<void> {
  await requireAdmin("self.update").catch(() => null);
  const token = (await cookies()).get(ADMIN_COOKIE)?.value;
  await signOut(token);
  await clearAdminSessionCookie();
  redirect("/admin/sign-in");
}

export async function changePasswordAction(_: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const ctx = await requireAdmin("self.update");
    await changePassword(ctx, {
      current: String(fd.get("current") ?? ""),
      next: String(fd.get("next") ?? ""),
    });
  } catch (e) {
    return failed(e);
  }
  redirect("/admin");
}

export async function enableTotpAction(_: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const ctx = await requireAdmin("self.update");
    await enableTotp(ctx, { secret: String(fd.get("secret") ?? ""), code: String(fd.get("code") ?? "") });
    revalidatePath("/admin/account");
    return { status: "success", message: "Two-factor authentication is on." };
  } catch (e) {
    return failed(e);
  }
}

export async function disableTotpAction(_: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const ctx = await requireAdmin("self.update");
    await disableTotp(ctx, { code: String(fd.get("code") ?? "") });
    revalidatePath("/admin/account");
    return { status: "success", message: "Two-factor authentication is off." };
  } catch (e) {
    return failed(e);
  }
}

// ------------------------------------------------------------------------------------ orders

export async function retryOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.retryOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (r) => `Sent to the job queue (attempt ${r.attempt}): fulfilment starts shortly.`,
  });
}
export async function refundOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.refundOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: () => "Refunded.",
  });
}
export async function cancelOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.cancelOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: () => "Cancelled; the price went back to the user's balance.",
  });
}
export async function reclaimOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.reclaimOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (r) => `Reclaim sent to the job queue for ${r.delegationIds.length} delegation(s).`,
  });
}

// -------------------------------------------------------------------------------------- pool

export async function importWalletFormAction(_: ActionState, fd: FormData) {
  const input = formObject(fd);
  if (input.priority === "") delete input.priority;
  return runAdminAction(adminActions.importWallet, input, {
    revalidate: "/admin/pool",
    message: (r) => `Imported ${r.address}. The key is stored encrypted and will not be shown again.`,
  });
}
export async function setWalletStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setWalletStatus, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r) => `Wallet ${r.walletId} is now ${r.status}.`,
  });
}
export async function setWalletPriorityFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setWalletPriority, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r) => `Wallet ${r.walletId} now has priority ${r.priority}.`,
  });
}
export async function refreshWalletFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.refreshWallet, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r) => `Read from the chain: ${formatTrx(r.delegatableSun)} delegatable.`,
  });
}
export async function reconcileNowFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.reconcileNow, formObject(fd), {
    revalidate: "/admin/reconcile",
    message: (r) =>
      `Checked ${r.wallets} wallets and ${r.receivers} receivers: ${r.open} open finding${r.open === 1 ? "" : "s"}${r.failedWallets.length ? ` (${r.failedWallets.length} wallets not read)` : ""}.`,
  });
}
export async function removeWalletFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.removeWallet, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r) => `Wallet ${r.walletId} removed.`,
  });
}

// ------------------------------------------------------------------------------------- users

export async function rescanDepositsFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.rescanDeposits, formObject(fd), {
    message: (r) => `Rescan of blocks ${r.fromBlock}–${r.toBlock} queued; credits appear as it runs.`,
  });
}

export async function restartScannerFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.restartScanner, formObject(fd), {
    revalidate: "/admin/users",
    message: (r) => `The scanner reads from block ${r.fromBlock} on its next run.`,
  });
}

export async function adjustBalanceFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.adjustBalance, formObject(fd), {
    revalidate: "/admin/users",
    message: (r) =>
      r.replayed
        ? `Already applied (this form was sent before); the balance is ${formatTrx(r.balanceSun)}.`
        : `Adjusted; the balance is now ${formatTrx(r.balanceSun)}.`,
  });
}
export async function setUserStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setUserStatus, formObject(fd), {
    revalidate: "/admin/users",
    message: (r) => `User ${r.userId} is now ${r.status}.`,
  });
}

// ---------------------------------------------------------------------------------- settings

export async function updateSettingsFormAction(_: ActionState, fd: FormData): Promise<ActionState> {
  try {
    // The guard runs before the form is even read.
    const ctx = await requireAdmin(adminActions.updateSettings.permission);
    const patch = settingsPatchFromForm(fd, await getSettings());
    await adminActions.updateSettings(ctx, patch);
    revalidatePath("/", "layout");
    return { status: "success", message: "Saved. New quotes use these values now." };
  } catch (e) {
    return failed(e);
  }
}

// ------------------------------------------------------------------------------ alerts/admins

export async function resolveAlertFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.resolveAlert, formObject(fd), {
    revalidate: "/admin/alerts",
    message: (r) => (r.resolved ? "Resolved." : "Nothing changed: this alert was already resolved."),
  });
}
export async function createAdminFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.createAdmin, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r) => `Created ${r.email}. One-time password (shown once): ${r.oneTimePassword}`,
  });
}
export async function setAdminRoleFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setAdminRole, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r) => (r.changed ? `${r.email} is now ${r.role}.` : `${r.email} already was ${r.role}.`),
  });
}
export async function setAdminStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setAdminStatus, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r) =>
      r.disabled
        ? `${r.email} is disabled and signed out${r.sessionsEnded ? ` (${r.sessionsEnded} session(s) ended)` : ""}.`
        : `${r.email} can sign in again.`,
  });
}
