// How a referral reads, for the startup's dashboard and the office and admin tables alike.
import { m } from '$lib/paraglide/messages';
import { localized } from '$lib/i18n';

export function agencyName(referral: { agencyNameTh: string; agencyNameEn: string }): string {
	return localized(referral, 'agencyName');
}

const reasonMessages = {
	offer_exceeds_capacity: m.referrals_reason_offer_exceeds_capacity,
	matched_demand_exceeds_capacity: m.referrals_reason_matched_demand_exceeds_capacity
} as const;

export function referralReasonName(reason: keyof typeof reasonMessages): string {
	return reasonMessages[reason]();
}

const statusMessages = {
	offered: m.referrals_status_offered,
	requested: m.referrals_status_requested,
	dismissed: m.referrals_status_dismissed
} as const;

export function referralStatusName(status: keyof typeof statusMessages): string {
	return statusMessages[status]();
}
