// Locale-aware helpers shared by pages.
import { inLanguage, reasonText } from '$lib/notifications';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatNumber, formatYear } from '$lib/format';
import type { RubricCriterion } from '$lib/schemas/curation';

const regionMessages = {
	North: m.region_North,
	Northeast: m.region_Northeast,
	Central: m.region_Central,
	East: m.region_East,
	West: m.region_West,
	South: m.region_South
} as const;

export function regionName(region: keyof typeof regionMessages): string {
	return regionMessages[region]();
}

const roleMessages = {
	startup: m.role_startup,
	buyer: m.role_buyer,
	officer: m.role_officer,
	admin: m.role_admin
} as const;

export function roleName(role: keyof typeof roleMessages): string {
	return roleMessages[role]();
}

const startupStatusMessages: Record<string, () => string> = {
	draft: m.startup_status_draft,
	submitted: m.startup_status_submitted,
	approved: m.startup_status_approved,
	rejected: m.startup_status_rejected,
	suspended: m.startup_status_suspended
};

export function startupStatusName(status: string): string {
	return (startupStatusMessages[status] ?? m.startup_status_draft)();
}

// What each rubric score means, per criterion, from 0 to 5: the anchors officers score against.
const rubricAnchors: Record<RubricCriterion, (() => string)[]> = {
	market: [
		m.rubric_market_0,
		m.rubric_market_1,
		m.rubric_market_2,
		m.rubric_market_3,
		m.rubric_market_4,
		m.rubric_market_5
	],
	innovation: [
		m.rubric_innovation_0,
		m.rubric_innovation_1,
		m.rubric_innovation_2,
		m.rubric_innovation_3,
		m.rubric_innovation_4,
		m.rubric_innovation_5
	],
	readiness: [
		m.rubric_readiness_0,
		m.rubric_readiness_1,
		m.rubric_readiness_2,
		m.rubric_readiness_3,
		m.rubric_readiness_4,
		m.rubric_readiness_5
	],
	compliance: [
		m.rubric_compliance_0,
		m.rubric_compliance_1,
		m.rubric_compliance_2,
		m.rubric_compliance_3,
		m.rubric_compliance_4,
		m.rubric_compliance_5
	]
};

/** The anchored description of `score` (0–5) on a rubric criterion. */
export function rubricAnchor(criterion: RubricCriterion, score: number): string {
	return rubricAnchors[criterion][score]!();
}

const decisionMessages: Record<string, () => string> = {
	approve: m.review_approve,
	revise: m.review_revise,
	reject: m.review_reject
};

/** An office's decision on an application (approve, return for revision, reject). */
export function reviewDecisionName(decision: string): string {
	return (decisionMessages[decision] ?? m.review_reject)();
}

export function rejectReasonName(code: string): string {
	return reasonText(code, getLocale());
}

// Each unit's English name has a singular and a plural variant chosen by the count (messages/en.json); Thai has one.
const unitMessages: Record<string, (inputs: { count: number }) => string> = {
	kg: m.unit_kg,
	tonne: m.unit_tonne,
	litre: m.unit_litre,
	piece: m.unit_piece,
	box: m.unit_box,
	pack: m.unit_pack,
	set: m.unit_set,
	metre: m.unit_metre,
	square_metre: m.unit_square_metre,
	cubic_metre: m.unit_cubic_metre
};

/** A unit's name in the reader's language, in the form for `count` of it ("metre" for 1, "metres" otherwise). */
export function unitName(unit: string, count = 1): string {
	return unitMessages[unit]?.({ count }) ?? unit;
}

/** "1,200 kg", "500 metres": a figure with its unit, the unit agreeing with the figure as it is shown. */
export function quantityText(quantity: number, unit: string): string {
	// formatNumber shows up to three decimals; 1.0004 shows as "1" and so reads "1 metre".
	return `${formatNumber(quantity)} ${unitName(unit, Math.round(quantity * 1000) / 1000)}`;
}

/** "900–1,500 THB per kg", "from 900 THB per kg": a product's price band with its unit; null when none is given. */
export function priceRangeText(min: number | null, max: number | null, unit: string): string | null {
	const name = unitName(unit);
	if (min !== null && max !== null && min !== max)
		return m.price_range_unit({ min: formatNumber(min), max: formatNumber(max), unit: name });
	if (max !== null && min === null) return m.price_up_to_unit({ max: formatNumber(max), unit: name });
	if (min !== null && max === null) return m.price_from_unit({ min: formatNumber(min), unit: name });
	const only = min ?? max;
	return only === null ? null : m.price_unit({ price: formatNumber(only), unit: name });
}

/** "a month" or "once": how often a demand recurs, written to follow its quantity. */
export function recurrenceText(recurrence: string): string {
	return recurrence === 'monthly' ? m.demand_per_month() : m.demand_once();
}

const offerStatusMessages: Record<string, () => string> = {
	pending: m.offer_status_pending,
	accepted: m.offer_status_accepted,
	declined: m.offer_status_declined,
	withdrawn: m.offer_status_withdrawn
};

export function offerStatusName(status: string): string {
	return (offerStatusMessages[status] ?? m.offer_status_pending)();
}

const invitationStatusMessages: Record<string, () => string> = {
	invited: m.quote_invitation_status_invited,
	viewed: m.quote_invitation_status_viewed,
	offered: m.quote_invitation_status_offered,
	declined: m.quote_invitation_status_declined
};

/** Where an invitation to quote stands (see server/invitations/rules.ts), in the current language. */
export function invitationStatusName(status: string): string {
	return (invitationStatusMessages[status] ?? m.quote_invitation_status_invited)();
}

const termsFlagMessages: Record<string, () => string> = {
	over_quantity: m.offer_terms_over_quantity,
	over_price: m.offer_terms_over_price,
	certification_missing: m.offer_terms_certification_missing
};

/** How an offer departs from its demand's terms (see server/offers/terms.ts), in the current language. */
export function termsFlagName(flag: string): string {
	return (termsFlagMessages[flag] ?? m.error_invalid_value)();
}

const demandStatusMessages: Record<string, () => string> = {
	draft: m.demand_status_draft,
	open: m.demand_status_open,
	closed: m.demand_status_closed,
	fulfilled: m.demand_status_fulfilled,
	expired: m.demand_status_expired,
	hidden: m.demand_status_hidden
};

export function demandStatusName(status: string): string {
	return (demandStatusMessages[status] ?? m.demand_status_open)();
}

const auditActionMessages: Record<string, () => string> = {
	'demand.close': m.audit_demand_close,
	'demand.create': m.audit_demand_create,
	'demand.api_create': m.api_audit_demand_create,
	'demand.api_update': m.api_audit_demand_update,
	'api_token.issue': m.api_audit_token_issue,
	'api_token.revoke': m.api_audit_token_revoke,
	'demand.hide': m.audit_demand_hide,
	'demand.import_create': m.audit_demand_import_create,
	'demand.import_update': m.audit_demand_import_update,
	'demand.publish': m.audit_demand_publish,
	'demand.update': m.audit_demand_update,
	'office.set_threshold': m.audit_office_set_threshold,
	'referral.dismiss': m.referrals_audit_dismiss,
	'referral.request': m.referrals_audit_request,
	'selection.create': m.audit_selection_create,
	'selection.replace': m.audit_selection_replace,
	'startup.add_product': m.audit_startup_add_product,
	'startup.approve': m.audit_startup_approve,
	'startup.certificate_check': m.audit_startup_certificate_check,
	'startup.certificate_evidence': m.audit_startup_certificate_evidence,
	'startup.certificate_refuse': m.audit_startup_certificate_refuse,
	'startup.delete_product': m.audit_startup_delete_product,
	'startup.import_create': m.audit_startup_import_create,
	'startup.import_update': m.audit_startup_import_update,
	'startup.move_province': m.audit_startup_move_province,
	'startup.reject': m.audit_startup_reject,
	'startup.reject_changes': m.audit_startup_reject_changes,
	'startup.return': m.audit_startup_return,
	'startup.set_logo': m.audit_startup_set_logo,
	'startup.set_product_photo': m.audit_startup_set_product_photo,
	'organisation.refuse': m.audit_organisation_refuse,
	'organisation.request_verification': m.audit_organisation_request_verification,
	'organisation.revoke': m.audit_organisation_revoke,
	'organisation.verify': m.audit_organisation_verify,
	'startup.submit': m.audit_startup_submit,
	'startup.update_product': m.audit_startup_update_product,
	'startup.update_profile': m.audit_startup_update_profile,
	'user.accept_invite': m.audit_user_accept_invite,
	'user.change_email': m.audit_user_change_email,
	'user.delete': m.audit_user_delete,
	'user.link_identity': m.audit_user_link_identity,
	'user.change_password': m.audit_user_change_password,
	'user.change_role': m.audit_user_change_role,
	'user.create_admin': m.audit_user_create_admin,
	'user.invite_officer': m.audit_user_invite_officer,
	'user.reactivate': m.audit_user_reactivate,
	'user.reset_password': m.audit_user_reset_password,
	'user.sign_up': m.audit_user_sign_up,
	'user.suspend': m.audit_user_suspend,
	'user.unlink_identity': m.audit_user_unlink_identity,
	'user.verify_email': m.audit_user_verify_email,
	'waste_lot.create': m.audit_waste_lot_create,
	'waste_lot.submit': m.audit_waste_lot_submit,
	'waste_lot.update': m.audit_waste_lot_update,
	'waste_lot.withdraw': m.audit_waste_lot_withdraw,
	'waste_lot.availability': m.audit_waste_lot_availability,
	'waste_lot.approve': m.audit_waste_lot_approve,
	'waste_lot.reject': m.audit_waste_lot_reject,
	'material_want.create': m.audit_material_want_create,
	'material_want.update': m.audit_material_want_update,
	'material_want.close': m.audit_material_want_close,
	'waste_lot.import_create': m.audit_waste_lot_import_create,
	'waste_lot.file_add': m.audit_waste_lot_file_add,
	'waste_lot.file_remove': m.audit_waste_lot_file_remove,
	'waste_lot.import_update': m.audit_waste_lot_import_update,
	'material_want.import_create': m.audit_material_want_import_create,
	'material_want.import_update': m.audit_material_want_import_update,
	'waste_agreement.propose': m.audit_waste_agreement_propose,
	'waste_agreement.agree': m.audit_waste_agreement_agree,
	'waste_agreement.decline': m.audit_waste_agreement_decline,
	'waste_agreement.withdraw': m.audit_waste_agreement_withdraw,
	'waste_agreement.step': m.audit_waste_agreement_step,
	'waste_transfer.record': m.audit_waste_transfer_record,
	'waste_transfer.confirm': m.audit_waste_transfer_confirm,
	'waste_settings.rate': m.audit_waste_settings_rate,
	'offer.accept': m.audit_offer_accept,
	'offer.decline': m.audit_offer_decline,
	'offer.withdraw_reported': m.audit_offer_withdraw_reported,
	'report.dismiss': m.audit_report_dismiss,
	'startup.reinstate': m.audit_startup_reinstate,
	'startup.revoke': m.audit_startup_revoke,
	'startup.suspend': m.audit_startup_suspend,
	'holiday.add': m.audit_holiday_add,
	'holiday.remove': m.audit_holiday_remove
};

/** An audit event's action in the reader's language; an action without a text shows its code. */
export function auditActionName(action: string): string {
	return auditActionMessages[action]?.() ?? action;
}

const auditSubjectMessages: Record<string, (inputs: { name: string; year: string }) => string> = {
	startup: m.audit_subject_startup,
	demand: m.audit_subject_demand,
	offer: m.audit_subject_offer,
	user: m.audit_subject_user,
	office: m.audit_subject_office,
	province_selection: m.audit_subject_selection,
	organisation: m.audit_subject_organisation,
	api_token: m.audit_subject_api_token,
	waste_lot: m.audit_subject_waste_lot,
	material_want: m.audit_subject_material_want,
	holiday: m.audit_subject_holiday
};

/**
 * What an audit event acted on, named in the reader's language ("Selection for 2026: Khon Kaen", the year in the
 * reader's era); a subject without a name (gone, or of a type that has none) shows its type and identifier.
 */
export function auditSubjectText(
	type: string,
	id: string,
	name: { th: string | null; en: string | null; year?: number } | undefined
): string {
	const message = auditSubjectMessages[type];
	if (!name || !message) return `${type} ${id}`;
	const year = name.year === undefined ? '' : formatYear(name.year);
	return message({ name: inReaderLanguage(name.th, name.en), year });
}

/** "1,200 kilograms + 40 boxes": quantities in several units, each in the reader's language. */
export function quantitiesText(list: { unit: string; quantity: number }[]): string {
	return list.length ? list.map((q) => quantityText(q.quantity, q.unit)).join(' + ') : '—';
}

const coverageMessages = {
	covered: m.coverage_covered,
	unmet: m.coverage_unmet,
	pending: m.coverage_pending
} as const;

export function coverageName(coverage: keyof typeof coverageMessages): string {
	return coverageMessages[coverage]();
}

/**
 * A sum of values in baht beside the count of items whose value is not stated: "value not stated" rather than
 * ฿0 when none is, and the count added when some are. `baht` formats the amount (whole or compact).
 */
export function valueText(value: number, notStated: number, baht: (value: number) => string): string {
	if (notStated === 0) return baht(value);
	if (value === 0) return m.value_not_stated();
	return m.gap_value_with_unstated({ value: baht(value), count: formatNumber(notStated) });
}

/** A name kept in Thai and English, in the reader's language when it has one, else in the other. */
export function inReaderLanguage(th: string | null | undefined, en: string | null | undefined): string {
	return inLanguage(getLocale(), th ?? null, en ?? null);
}

/** A record with a field kept in both languages: `nameTh` and `nameEn` for the field `name`. */
export type Bilingual<Field extends string> = { [Key in `${Field}Th` | `${Field}En`]?: string | null };

/**
 * `row`'s `field` in the reader's language, else in the other, else '': `localized(province, 'name')` reads
 * `nameTh` for a Thai reader and `nameEn` for an English one. The one place pages choose between the two.
 */
export function localized<Field extends string>(row: Bilingual<NoInfer<Field>>, field: Field): string {
	return inReaderLanguage(row[`${field}Th`], row[`${field}En`]);
}

const privacyRequestMessages: Record<string, () => string> = {
	access: m.privacy_request_access,
	deletion: m.privacy_request_deletion,
	correction: m.privacy_request_correction,
	withdrawal: m.privacy_request_withdrawal
};

export function privacyRequestName(kind: string): string {
	return privacyRequestMessages[kind]?.() ?? kind;
}

const consentPurposeMessages: Record<string, () => string> = {
	marketing: m.privacy_purpose_marketing,
	line_notifications: m.privacy_purpose_line
};

export function consentPurposeName(purpose: string): string {
	return consentPurposeMessages[purpose]?.() ?? purpose;
}
