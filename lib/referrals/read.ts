import { eq, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { referralCommissions, users } from "@/db/schema";
import { env } from "@/lib/env";
import { botUsername } from "@/lib/bot/username";
import { ledgerTotalsByDay } from "@/lib/ledger/daily";
import { getSettings } from "@/lib/settings";
import { inviteStartParam } from "./codes";

/** What a user sees of their invitations: links, terms, invitees and earnings. */
export type InviteSummary = {
  code: string;
  /** `https://t.me/<bot>?start=ref_<code>`; null without a bot. */
  botLink: string | null;
  /** `<APP_URL>/r/<code>`. */
  portalLink: string;
  rateBps: number;
  windowDays: number;
  invitees: number;
  /** Invitees who have at least one commissioned order. */
  earningInvitees: number;
  /** Commissions credited minus what was taken back or is owed. */
  earnedSun: bigint;
  /** Still to be taken back from future commissions (refunds the balance could not cover). */
  owedSun: bigint;
  /** Newest first, at most `limit`: masked names only. */
  recent: { name: string; joinedAt: Date; earnedSun: bigint }[];
};

/**
 * A name others may see of someone they invited: the first character and a mask ("T•••"), never
 * a Telegram id; "•••" when the person set no name.
 */
export function maskName(firstName: string | null, username: string | null): string {
  const n = (firstName ?? username ?? "").trim();
  if (!n) return "•••";
  return `${Array.from(n)[0]}•••`;
}

export async function inviteLinks(code: string): Promise<{ botLink: string | null; portalLink: string }> {
  const bot = await botUsername();
  return {
    botLink: bot ? `https://t.me/${bot}?start=${inviteStartParam(code)}` : null,
    portalLink: new URL(`/r/${code}`, env.APP_URL).toString(),
  };
}

export async function getInviteSummary(userId: number, limit = 10): Promise<InviteSummary> {
  const db = await getDb();
  const [[me], totals, recent, settings] = await Promise.all([
    db.select({ code: users.referralCode }).from(users).where(eq(users.id, userId)),
    db.execute(sql`
      select
        (select count(*) from users where referred_by_user_id = ${userId}) as invitees,
        (select count(distinct referee_user_id) from referral_commissions where referrer_user_id = ${userId}) as earning,
        (select coalesce(sum(commission_sun - reversed_sun - owed_sun), 0) from referral_commissions
          where referrer_user_id = ${userId}) as earned,
        (select coalesce(sum(owed_sun), 0) from referral_commissions where referrer_user_id = ${userId}) as owed`),
    db.execute(sql`
      select u.first_name, u.username, u.created_at,
        coalesce((select sum(c.commission_sun - c.reversed_sun - c.owed_sun) from referral_commissions c
          where c.referrer_user_id = ${userId} and c.referee_user_id = u.id), 0) as earned
      from users u where u.referred_by_user_id = ${userId}
      order by u.id desc limit ${limit}`),
    getSettings(),
  ]);
  const t = rowsOf<Record<string, unknown>>(totals)[0];
  const links = await inviteLinks(me.code);
  return {
    code: me.code,
    ...links,
    rateBps: settings.referral.commissionBps,
    windowDays: settings.referral.windowDays,
    invitees: Number(t.invitees),
    earningInvitees: Number(t.earning),
    earnedSun: BigInt(String(t.earned)),
    owedSun: BigInt(String(t.owed)),
    recent: rowsOf<Record<string, unknown>>(recent).map((r) => ({
      name: maskName(r.first_name as string | null, r.username as string | null),
      joinedAt: new Date(r.created_at as string),
      earnedSun: BigInt(String(r.earned)),
    })),
  };
}

/** The console's referral report for [from, to) (UTC days). */
export type ReferralReport = {
  days: { day: string; commissionSun: bigint; reversedSun: bigint; netSun: bigint }[];
  totals: { commissionSun: bigint; reversedSun: bigint; netSun: bigint; owedSun: bigint; referred: number };
  top: {
    userId: number;
    name: string | null;
    username: string | null;
    invitees: number;
    orders: number;
    netSun: bigint;
    owedSun: bigint;
  }[];
};

export async function referralReport(input: { from: Date; to: Date }, topN = 10): Promise<ReferralReport> {
  const db = await getDb();
  const [byDay, topRows, totalRows] = await Promise.all([
    ledgerTotalsByDay(input, { types: ["referral_commission", "referral_reversal"] }),
    db.execute(sql`
      select c.referrer_user_id as id, u.first_name, u.username,
        (select count(*) from users r where r.referred_by_user_id = c.referrer_user_id) as invitees,
        count(*) as orders,
        sum(c.commission_sun - c.reversed_sun - c.owed_sun) as net,
        sum(c.owed_sun) as owed
      from referral_commissions c join users u on u.id = c.referrer_user_id
      where c.created_at >= ${input.from.toISOString()}::timestamptz and c.created_at < ${input.to.toISOString()}::timestamptz
      group by c.referrer_user_id, u.first_name, u.username
      order by net desc, c.referrer_user_id
      limit ${topN}`),
    db.execute(sql`
      select (select coalesce(sum(owed_sun), 0) from referral_commissions) as owed,
        (select count(*) from users where referred_by_user_id is not null) as referred`),
  ]);
  const days: ReferralReport["days"] = [];
  let commission = 0n;
  let reversed = 0n;
  for (let t = input.from.getTime(); t < input.to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const d = byDay.get(day);
    const c = d?.referral_commission ?? 0n;
    const r = -(d?.referral_reversal ?? 0n);
    commission += c;
    reversed += r;
    days.push({ day, commissionSun: c, reversedSun: r, netSun: c - r });
  }
  const tot = rowsOf<Record<string, unknown>>(totalRows)[0];
  return {
    days,
    totals: {
      commissionSun: commission,
      reversedSun: reversed,
      netSun: commission - reversed,
      owedSun: BigInt(String(tot.owed)),
      referred: Number(tot.referred),
    },
    top: rowsOf<Record<string, unknown>>(topRows).map((r) => ({
      userId: Number(r.id),
      name: (r.first_name as string | null) ?? null,
      username: (r.username as string | null) ?? null,
      invitees: Number(r.invitees),
      orders: Number(r.orders),
      netSun: BigInt(String(r.net)),
      owedSun: BigInt(String(r.owed)),
    })),
  };
}

/** Who invited this user (for the console's user page), and how many they invited. */
export async function referralOfUser(userId: number): Promise<{
  referrer: { id: number; name: string | null; username: string | null } | null;
  invitees: number;
  earnedSun: bigint;
}> {
  const db = await getDb();
  const referrerUser = sql`(select referred_by_user_id from users where id = ${userId})`;
  const [[ref], [stats]] = await Promise.all([
    db
      .select({ id: users.id, name: users.firstName, username: users.username })
      .from(users)
      .where(eq(users.id, referrerUser)),
    db
      .select({
        invitees: sql<number>`(select count(*)::int from users where referred_by_user_id = ${userId})`,
        earned: sql<string>`coalesce(sum(${referralCommissions.commissionSun} - ${referralCommissions.reversedSun} - ${referralCommissions.owedSun}), 0)::text`,
      })
      .from(referralCommissions)
      .where(eq(referralCommissions.referrerUserId, userId)),
  ]);
  return {
    referrer: ref ?? null,
    invitees: Number(stats?.invitees ?? 0),
    earnedSun: BigInt(stats?.earned ?? "0"),
  };
}
