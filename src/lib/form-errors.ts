// Field errors travel as codes (from the zod schemas and the services) and become text only on the page,
// in the reader's language.
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

export type FieldErrors = Record<string, string>;

/** The first problem with each field, keyed by the field's name. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return errors;
}

const messages: Record<string, () => string> = {
	required: m.error_required,
	invalid_value: m.error_invalid_value,
	too_long: m.error_too_long,
	email_invalid: m.error_email_invalid,
	email_taken: m.error_email_taken,
	password_too_short: m.error_password_too_short,
	password_too_long: m.error_password_too_long,
	password_common: m.error_password_common,
	password_mismatch: m.error_password_mismatch,
	wrong_password: m.error_wrong_password,
	account_type_required: m.error_account_type_required,
	province_required: m.error_province_required,
	province_unknown: m.error_province_unknown,
	province_has_no_office: m.error_province_has_no_office,
	invalid_credentials: m.error_invalid_credentials,
	account_suspended: m.error_account_suspended,
	identity_failed: m.error_identity_failed,
	identity_unavailable: m.error_identity_unavailable,
	identity_provider_unknown: m.error_identity_provider_unknown,
	identity_taken: m.error_identity_taken,
	identity_provider_linked: m.error_identity_provider_linked,
	identity_last_way_in: m.error_identity_last_way_in,
	line_not_linked: m.error_line_not_linked,
	line_consent_required: m.error_line_consent_required,
	identity_reauthenticate: m.error_identity_reauthenticate,
	identity_sign_up_expired: m.error_identity_sign_up_expired,
	identity_required: m.error_identity_required,
	rate_limited: m.error_rate_limited,
	privacy_staff_account: m.error_privacy_staff_account,
	privacy_reauthenticate: m.error_privacy_reauthenticate,
	privacy_confirm_required: m.error_privacy_confirm_required,
	saved_search_limit: m.error_saved_search_limit,
	saved_search_line_unavailable: m.error_saved_search_line_unavailable,
	token_invalid: m.error_token_invalid,
	session_not_found: m.error_session_not_found,
	not_found: m.error_not_found,
	not_allowed: m.error_not_allowed,
	phone_invalid: m.error_phone_invalid,
	website_invalid: m.error_website_invalid,
	divisions_required: m.error_divisions_required,
	divisions_too_many: m.error_divisions_too_many,
	date_invalid: m.error_date_invalid,
	date_buddhist_era: m.error_date_buddhist_era,
	date_out_of_range: m.error_date_out_of_range,
	name_required: m.error_name_required,
	number_invalid: m.error_number_invalid,
	number_too_large: m.error_number_too_large,
	quantity_too_large: m.error_quantity_too_large,
	price_too_large: m.error_price_too_large,
	decimals_0: m.error_decimals_0,
	decimals_2: m.error_decimals_2,
	decimals_3: m.error_decimals_3,
	offer_value_too_large: m.error_offer_value_too_large,
	demand_value_too_large: m.error_demand_value_too_large,
	unit_required: m.error_unit_required,
	capacity_required: m.error_capacity_required,
	price_band_reversed: m.error_price_band_reversed,
	submit_email_unverified: m.error_submit_email_unverified,
	juristic_number_required: m.error_juristic_number_required,
	juristic_number_format: m.error_juristic_number_format,
	juristic_number_check_digit: m.error_juristic_number_check_digit,
	juristic_number_taken: m.error_juristic_number_taken,
	holiday_exists: m.error_holiday_exists,
	verification_locked: m.error_verification_locked,
	verification_documents_required: m.error_verification_documents_required,
	verification_not_allowed: m.error_verification_not_allowed,
	document_missing: m.error_document_missing,
	document_type: m.error_document_type,
	documents_too_many: m.error_documents_too_many,
	offer_verified_only: m.error_offer_verified_only,
	email_unconfirmed: m.error_email_unconfirmed,
	submit_summary_missing: m.error_submit_summary_missing,
	submit_products_missing: m.error_submit_products_missing,
	already_submitted: m.error_already_submitted,
	already_approved: m.error_already_approved,
	reason_required: m.error_reason_required,
	score_invalid: m.error_score_invalid,
	revise_note_required: m.error_revise_note_required,
	threshold_reason_required: m.error_threshold_reason_required,
	threshold_invalid: m.error_threshold_invalid,
	not_in_queue: m.error_not_in_queue,
	report_closed: m.error_report_closed,
	offer_not_pending: m.error_offer_not_pending,
	standing_not_allowed: m.error_standing_not_allowed,
	selection_taken: m.error_selection_taken,
	replace_reason_required: m.error_replace_reason_required,
	startup_not_approved: m.error_startup_not_approved,
	year_invalid: m.error_year_invalid,
	decision_required: m.error_decision_required,
	image_missing: m.error_image_missing,
	image_too_large: m.error_image_too_large,
	image_too_many_pixels: m.error_image_too_many_pixels,
	image_type: m.error_image_type,
	image_unreadable: m.error_image_unreadable,
	upload_rate_limited: m.error_upload_rate_limited,
	province_fixed: m.error_province_fixed,
	startup_selected_cannot_move: m.error_startup_selected_cannot_move,
	recurrence_required: m.error_recurrence_required,
	title_required: m.error_title_required,
	division_required: m.error_division_required,
	quantity_required: m.error_quantity_required,
	needed_by_future: m.error_needed_by_future,
	max_offers_range: m.error_max_offers_range,
	price_required: m.error_price_required,
	lead_time_invalid: m.error_lead_time_invalid,
	demand_has_offers: m.error_demand_has_offers,
	demand_not_editable: m.error_demand_not_editable,
	demand_not_open: m.error_demand_not_open,
	referral_decided: m.referrals_error_decided,
	offer_cap_reached: m.error_offer_cap_reached,
	offer_exists: m.error_offer_exists,
	invite_choose_startup: m.error_invite_choose_startup,
	invite_too_many: m.error_invite_too_many,
	invite_not_a_match: m.error_invite_not_a_match,
	invitation_has_offer: m.error_invitation_has_offer,
	offer_needs_approval: m.error_offer_needs_approval,
	offer_decided: m.error_offer_decided,
	offer_outside_terms: m.error_offer_outside_terms,
	offer_changed: m.error_offer_changed,
	demand_covered: m.error_demand_covered,
	attachment_too_large: m.error_attachment_too_large,
	attachment_type: m.error_attachment_type,
	evidence_file_missing: m.error_evidence_file_missing,
	certificate_not_waiting: m.error_certificate_not_waiting,
	// By-products and waste (issue 23).
	waste_code_invalid: m.error_waste_code_invalid,
	waste_code_unknown: m.error_waste_code_unknown,
	waste_codes_required: m.error_waste_codes_required,
	waste_codes_too_many: m.error_waste_codes_too_many,
	handling_required: m.error_handling_required,
	distance_range: m.error_distance_range,
	licence_class_unknown: m.error_licence_class_unknown,
	transfer_date_future: m.error_transfer_date_future,
	available_until_past: m.error_available_until_past,
	photo_missing: m.error_photo_missing,
	waste_files_too_many: m.error_waste_files_too_many,
	waste_not_available: m.error_waste_not_available,
	waste_excluded_code: m.error_waste_excluded_code,
	waste_excluded_licence: m.error_waste_excluded_licence,
	waste_excluded_distance: m.error_waste_excluded_distance,
	waste_agreement_exists: m.error_waste_agreement_exists,
	waste_agreement_decided: m.error_waste_agreement_decided,
	waste_agreement_own: m.error_waste_agreement_own,
	waste_agreement_not_agreed: m.error_waste_agreement_not_agreed,
	waste_lot_province: m.error_waste_lot_province,
	waste_already_withdrawn: m.error_waste_already_withdrawn,
	waste_want_closed: m.error_waste_want_closed,
	manifest_required: m.error_manifest_required,
	permit_required: m.error_permit_required,
	checklist_incomplete: m.error_checklist_incomplete,
	scopes_required: m.api_tokens_error_scopes_required,
	expiry_past: m.api_tokens_error_expiry_past
};

/** Codes whose fix is on another page: the summary links there, e.g. to send the confirmation link again. */
const remedies: Record<string, { href: string; label: () => string }> = {
	email_unconfirmed: { href: '/account', label: m.account_resend_verification }
};

/** Where to fix the problem a code names, when that is another page. */
export function errorRemedy(code: string): { href: string; label: string } | undefined {
	const remedy = remedies[code];
	return remedy && { href: remedy.href, label: remedy.label() };
}

/** Whether a code has a message of its own (tests check that every code a form can answer with does). */
export function hasErrorText(code: string): boolean {
	return Object.hasOwn(messages, code);
}

/** The message for a code in the current language; an unknown code reads as "this value is not valid". */
export function errorText(code: string): string {
	return (messages[code] ?? m.error_invalid_value)();
}
