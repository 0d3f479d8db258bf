"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { type AdminAction, adminActions } from "@/lib/admin/actions";
import { ADMIN_COOKIE, changePassword, disableTotp, enableTotp, signIn, signOut } from "@/lib/admin/auth";
import { clearAdminSessionCookie, clientIp, requireAdmin, setAdminSessionCookie } from "@/lib/admin/guard";
import { settingsPatchFromForm } from "@/lib/admin/settings-form";
import { formatInteger, formatTrx } from "@/lib/format";
import type { Translate } from "@/lib/i18n";
import { getRequestLocale } from "@/lib/i18n/server";
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
  opts: { revalidate?: string; message?: (r: R, t: Translate) => string } = {},
): Promise<ActionState> {
  try {
    const ctx = await requireAdmin(action.permission);
    const r = await action(ctx, input);
    if (opts.revalidate) revalidatePath(opts.revalidate, "layout");
    const { t } = await getRequestLocale();
    return { status: "success", message: opts.message?.(r, t) ?? t("admin-done") };
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
    return { status: "success", message: (await getRequestLocale()).t("admin-done-totpOn") };
  } catch (e) {
    return failed(e);
  }
}

export async function disableTotpAction(_: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const ctx = await requireAdmin("self.update");
    await disableTotp(ctx, { code: String(fd.get("code") ?? "") });
    revalidatePath("/admin/account");
    return { status: "success", message: (await getRequestLocale()).t("admin-done-totpOff") };
  } catch (e) {
    return failed(e);
  }
}

// ------------------------------------------------------------------------------------ orders

export async function retryOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.retryOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (r, t) => t("admin-done-retry", { attempt: formatInteger(r.attempt) }),
  });
}
export async function refundOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.refundOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (_, t) => t("admin-done-refund"),
  });
}
export async function cancelOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.cancelOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (_, t) => t("admin-done-cancel"),
  });
}
export async function reclaimOrderFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.reclaimOrder, formObject(fd), {
    revalidate: "/admin/orders",
    message: (r, t) => t("admin-done-reclaim", { n: formatInteger(r.delegationIds.length) }),
  });
}

// -------------------------------------------------------------------------------------- pool

export async function importWalletFormAction(_: ActionState, fd: FormData) {
  const input = formObject(fd);
  if (input.priority === "") delete input.priority;
  return runAdminAction(adminActions.importWallet, input, {
    revalidate: "/admin/pool",
    message: (r, t) => t("admin-done-import", { address: r.address }),
  });
}
export async function setWalletStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setWalletStatus, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r, t) => t("admin-done-walletStatus", { id: String(r.walletId), status: r.status }),
  });
}
export async function setWalletPriorityFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setWalletPriority, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r, t) =>
      t("admin-done-walletPriority", { id: String(r.walletId), priority: formatInteger(r.priority) }),
  });
}
export async function refreshWalletFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.refreshWallet, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r, t) => t("admin-done-walletRefresh", { amount: formatTrx(r.delegatableSun) }),
  });
}
export async function reconcileNowFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.reconcileNow, formObject(fd), {
    revalidate: "/admin/reconcile",
    message: (r, t) =>
      t(r.open === 1 ? "admin-done-reconcileOne" : "admin-done-reconcile", {
        wallets: formatInteger(r.wallets),
        receivers: formatInteger(r.receivers),
        open: formatInteger(r.open),
        unread: r.failedWallets.length
          ? t("admin-done-reconcileUnread", { n: formatInteger(r.failedWallets.length) })
          : "",
      }),
  });
}
export async function importPermissionWalletFormAction(_: ActionState, fd: FormData) {
  const input = formObject(fd);
  for (const k of ["priority", "dailyBandwidthCap", "dailyTrxCap", "label"])
    if (input[k] === "") delete input[k];
  return runAdminAction(adminActions.importPermissionWallet, input, {
    revalidate: "/admin/pool",
    message: (r, t) =>
      t("admin-done-importPermission", { address: r.address, id: String(r.permissionId ?? "") }),
  });
}
export async function setWalletCapsFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setWalletCaps, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r, t) =>
      t("admin-done-walletCaps", {
        id: String(r.walletId),
        bytes: formatInteger(r.dailyBandwidthCap),
        trx: formatTrx(r.dailyTrxCapSun),
      }),
  });
}
export async function removeWalletFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.removeWallet, formObject(fd), {
    revalidate: "/admin/pool",
    message: (r, t) => t("admin-done-walletRemoved", { id: String(r.walletId) }),
  });
}

// ------------------------------------------------------------------------------------- users

export async function rescanDepositsFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.rescanDeposits, formObject(fd), {
    message: (r, t) => t("admin-done-rescan", { from: String(r.fromBlock), to: String(r.toBlock) }),
  });
}

export async function restartScannerFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.restartScanner, formObject(fd), {
    revalidate: "/admin/users",
    message: (r, t) => t("admin-done-scannerRestart", { from: String(r.fromBlock) }),
  });
}

export async function adjustBalanceFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.adjustBalance, formObject(fd), {
    revalidate: "/admin/users",
    message: (r, t) =>
      t(r.replayed ? "admin-done-adjustReplayed" : "admin-done-adjusted", {
        amount: formatTrx(r.balanceSun),
      }),
  });
}
export async function setUserStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setUserStatus, formObject(fd), {
    revalidate: "/admin/users",
    message: (r, t) => t("admin-done-userStatus", { id: String(r.userId), status: r.status }),
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
    return { status: "success", message: (await getRequestLocale()).t("admin-done-settings") };
  } catch (e) {
    return failed(e);
  }
}

// ------------------------------------------------------------------------------ alerts/admins

export async function resolveAlertFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.resolveAlert, formObject(fd), {
    revalidate: "/admin/alerts",
    message: (r, t) => t(r.resolved ? "admin-done-alertResolved" : "admin-done-alertUnchanged"),
  });
}
export async function createAdminFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.createAdmin, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r, t) => t("admin-done-adminCreated", { email: r.email, password: r.oneTimePassword }),
  });
}
export async function setAdminRoleFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setAdminRole, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r, t) =>
      t(r.changed ? "admin-done-roleChanged" : "admin-done-roleUnchanged", { email: r.email, role: r.role }),
  });
}
export async function setAdminStatusFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.setAdminStatus, formObject(fd), {
    revalidate: "/admin/admins",
    message: (r, t) =>
      !r.disabled
        ? t("admin-done-adminEnabled", { email: r.email })
        : r.sessionsEnded
          ? t("admin-done-adminDisabledSessions", { email: r.email, n: formatInteger(r.sessionsEnded) })
          : t("admin-done-adminDisabled", { email: r.email }),
  });
}

export async function decideSupplierPayoutFormAction(_: ActionState, fd: FormData) {
  return runAdminAction(adminActions.decideSupplierPayout, formObject(fd), {
    revalidate: "/admin/suppliers",
    message: (r, t) => t("admin-done-supplierPayout", { id: String(r.payoutId), status: r.status }),
  });
}
