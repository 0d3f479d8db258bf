export {
  findReferrerByCode,
  inviteCodeOf,
  inviteCodeSchema,
  inviteStartParam,
  looksLikeInvite,
} from "./codes";
export {
  commissionKey,
  commissionOf,
  recoveryKey,
  reversalKey,
  type SettleResult,
  settleReferralCommission,
} from "./commission";
export {
  getInviteSummary,
  type InviteSummary,
  inviteLinks,
  maskName,
  type ReferralReport,
  referralOfUser,
  referralReport,
} from "./read";
