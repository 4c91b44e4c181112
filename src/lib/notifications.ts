// What each kind of notification says, in the recipient's language: the in-app list and the emails share it.
import { formatDate, formatYear } from '$lib/format';
import { m } from '$lib/paraglide/messages';

export type NotificationKind =
	| 'application_received'
	| 'application_waiting'
	| 'application_approved'
	| 'application_rejected'
	| 'changes_rejected'
	| 'startup_suspended'
	| 'startup_revoked'
	| 'startup_reinstated'
	| 'offer_withdrawn_suspended'
	| 'offer_withdrawn_reported'
	| 'offer_withdrawn_by_office'
	| 'report_received'
	| 'demand_hidden'
	| 'certificate_expiring'
	| 'application_returned'
	| 'startup_selected'
	| 'offer_received'
	| 'offer_changed'
	| 'offer_accepted'
	| 'offer_declined'
	| 'demand_closing'
	| 'message_received'
	| 'demand_matches_you'
	| 'quote_invited'
	| 'referral_offered'
	| 'organisation_verified'
	| 'organisation_refused'
	| 'organisation_revoked'
	| 'saved_search_alert'
	| 'verification_requested'
	| 'certificate_waiting'
	| 'waste_lot_ending'
	| 'waste_want_idle'
	| 'waste_step_pending';

export interface NotificationPayload {
	/** Path on the portal the notification leads to. */
	link: string;
	/** The startup's Thai name, or its English one when it has no Thai one. */
	startupName?: string;
	/** Its English name, read by English-language recipients when there is one. */
	startupNameEn?: string;
	reason?: string;
	year?: number;
	demandTitle?: string;
	demandTitleEn?: string;
	[key: string]: unknown;
}

/** A payload field as text: a string as is, a number written out, anything else (absent) empty. */
const textOf = (value: unknown): string =>
	typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** A payload field that holds text, or null. */
const str = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** A name kept in Thai and English, in `locale` when it has one, else in the other. */
export function inLanguage(locale: 'th' | 'en', th: string | null, en: string | null): string {
	return (locale === 'th' ? (th ?? en) : (en ?? th)) ?? '';
}

/** The payload fields that name a demand, so each recipient reads its title in their own language. */
export function demandTitled(demand: { titleTh: string | null; titleEn: string | null }) {
	return { demandTitle: demand.titleTh ?? demand.titleEn ?? '', demandTitleEn: demand.titleEn ?? undefined };
}

/** The payload fields that name a startup, in both languages like a demand's title. */
export function startupNamed(startup: { nameTh: string | null; nameEn: string | null }) {
	return { startupName: startup.nameTh ?? startup.nameEn ?? '', startupNameEn: startup.nameEn ?? undefined };
}

export function notificationText(
	kind: NotificationKind,
	payload: NotificationPayload,
	locale: 'th' | 'en'
): { title: string; body: string } {
	const options = { locale };
	const name = inLanguage(locale, payload.startupName ?? null, payload.startupNameEn ?? null);
	const demand = inLanguage(locale, payload.demandTitle ?? null, payload.demandTitleEn ?? null);
	switch (kind) {
		case 'application_received':
			return {
				title: m.notify_received_title({}, options),
				body: m.notify_received_body({ name }, options)
			};
		case 'application_waiting':
			return {
				title: m.notify_waiting_title({ name }, options),
				body: m.notify_waiting_body({ name }, options)
			};
		case 'application_approved':
			return { title: m.notify_approved_title({}, options), body: m.notify_approved_body({ name }, options) };
		case 'application_rejected':
			return {
				title: m.notify_rejected_title({}, options),
				body: m.notify_rejected_body({ name, reason: reasonText(payload.reason, locale) }, options)
			};
		case 'changes_rejected':
			return {
				title: m.notify_changes_rejected_title({}, options),
				body: m.notify_changes_rejected_body({ name, reason: reasonText(payload.reason, locale) }, options)
			};
		case 'startup_suspended':
			return {
				title: m.notify_suspended_title({}, options),
				body: m.notify_suspended_body({ name, reason: payload.reason ?? '' }, options)
			};
		case 'startup_revoked':
			return {
				title: m.notify_revoked_title({}, options),
				body: m.notify_revoked_body({ name, reason: payload.reason ?? '' }, options)
			};
		case 'startup_reinstated':
			return {
				title: m.notify_reinstated_title({}, options),
				body: m.notify_reinstated_body({ name, reason: payload.reason ?? '' }, options)
			};
		case 'offer_withdrawn_suspended':
			return {
				title: m.notify_offer_withdrawn_title({ demand }, options),
				body: m.notify_offer_withdrawn_body({ name, demand }, options)
			};
		case 'offer_withdrawn_reported':
			return {
				title: m.notify_offer_withdrawn_title({ demand }, options),
				body: m.notify_offer_withdrawn_reported_body({ name, demand, reason: payload.reason ?? '' }, options)
			};
		case 'offer_withdrawn_by_office':
			return {
				title: m.notify_offer_withdrawn_by_office_title({ demand }, options),
				body: m.notify_offer_withdrawn_by_office_body({ demand, reason: payload.reason ?? '' }, options)
			};
		case 'report_received':
			return {
				title: m.notify_report_title({}, options),
				body: m.notify_report_body({ reason: payload.reason ?? '' }, options)
			};
		case 'demand_hidden':
			return {
				title: m.notify_demand_hidden_title({ demand }, options),
				body: m.notify_demand_hidden_body({ demand, reason: payload.reason ?? '' }, options)
			};
		case 'certificate_expiring':
			return {
				title: m.notify_certificate_expiring_title({}, options),
				body: m.notify_certificate_expiring_body(
					{
						certificate: textOf(locale === 'th' ? payload.certificateTh : payload.certificateEn),
						date: typeof payload.expiresOn === 'string' ? formatDate(payload.expiresOn, locale) : ''
					},
					options
				)
			};
		case 'waste_lot_ending':
			return {
				title: m.notify_waste_lot_ending_title({}, options),
				body: m.notify_waste_lot_ending_body(
					{
						lot: inLanguage(locale, str(payload.lotName), str(payload.lotNameEn)),
						date: typeof payload.endsOn === 'string' ? formatDate(payload.endsOn, locale) : ''
					},
					options
				)
			};
		case 'waste_want_idle':
			return {
				title: m.notify_waste_want_idle_title({}, options),
				body: m.notify_waste_want_idle_body(
					{
						want: inLanguage(locale, str(payload.wantName), str(payload.wantNameEn)),
						days: textOf(payload.days)
					},
					options
				)
			};
		case 'waste_step_pending':
			return {
				title: m.notify_waste_step_pending_title({}, options),
				body: m.notify_waste_step_pending_body(
					{
						lot: inLanguage(locale, str(payload.lotName), str(payload.lotNameEn)),
						days: textOf(payload.days),
						steps: (Array.isArray(payload.steps) ? payload.steps : [])
							.map((step) => permitStepText(String(step), locale))
							.join('; ')
					},
					options
				)
			};
		case 'application_returned':
			return {
				title: m.notify_returned_title({}, options),
				body: m.notify_returned_body({ name, note: textOf(payload.note) }, options)
			};
		case 'offer_received':
			return {
				title: m.notify_offer_received_title({ demand }, options),
				body: m.notify_offer_received_body({ name, demand }, options)
			};
		case 'offer_changed':
			return {
				title: m.notify_offer_changed_title({ demand }, options),
				body: m.notify_offer_changed_body({ name, demand }, options)
			};
		case 'offer_accepted':
			return {
				title: m.notify_offer_accepted_title({}, options),
				body: m.notify_offer_accepted_body({ demand }, options)
			};
		case 'offer_declined':
			return {
				title: m.notify_offer_declined_title({}, options),
				body: m.notify_offer_declined_body({ demand, reason: declineText(payload.reason, locale) }, options)
			};
		case 'demand_closing':
			return {
				title: m.notify_demand_closing_title({}, options),
				body: m.notify_demand_closing_body({ demand }, options)
			};
		case 'message_received':
			return {
				title: m.notify_message_title({ demand }, options),
				body: m.notify_message_body({ demand }, options)
			};
		case 'demand_matches_you':
			return {
				title: m.notify_match_title({ demand }, options),
				body: m.notify_match_body({ demand }, options)
			};
		case 'quote_invited':
			return {
				title: m.notify_quote_invited_title({ demand }, options),
				body: m.notify_quote_invited_body({ demand, buyer: textOf(payload.buyerName) }, options)
			};
		case 'organisation_verified':
		case 'organisation_refused':
		case 'organisation_revoked': {
			const organisation = textOf(payload.organisationName);
			const reason = payload.reason ?? '';
			if (kind === 'organisation_verified')
				return {
					title: m.notify_org_verified_title({}, options),
					body: m.notify_org_verified_body({ name: organisation }, options)
				};
			return kind === 'organisation_refused'
				? {
						title: m.notify_org_refused_title({}, options),
						body: m.notify_org_refused_body({ name: organisation, reason }, options)
					}
				: {
						title: m.notify_org_revoked_title({}, options),
						body: m.notify_org_revoked_body({ name: organisation, reason }, options)
					};
		}
		case 'verification_requested':
			return {
				title: m.notify_verification_requested_title({}, options),
				body: m.notify_verification_requested_body({ name: textOf(payload.organisationName) }, options)
			};
		case 'certificate_waiting':
			return {
				title: m.notify_certificate_waiting_title({}, options),
				body: m.notify_certificate_waiting_body(
					{
						name,
						certificate: textOf(locale === 'th' ? payload.certificateTh : payload.certificateEn)
					},
					options
				)
			};
		case 'referral_offered': {
			const agency = textOf(locale === 'th' ? payload.agencyTh : payload.agencyEn);
			return {
				title: m.referrals_notify_title({ agency }, options),
				body: (payload.reason === 'offer_exceeds_capacity'
					? m.referrals_notify_offer_body
					: m.referrals_notify_demand_body)({ agency }, options)
			};
		}
		case 'saved_search_alert': {
			const items = Array.isArray(payload.items)
				? (payload.items as { th: string; en: string | null; url?: string }[])
				: [];
			const count = Number(payload.count ?? items.length);
			// Each listing with its own address (alerts since by-products carry one), under its name.
			const listed = items
				.map((item) => `• ${inLanguage(locale, item.th, item.en)}${item.url ? `\n  ${item.url}` : ''}`)
				.join('\n');
			const search = textOf(payload.searchName);
			const more =
				count > items.length ? `\n${m.notify_saved_search_more({ n: count - items.length }, options)}` : '';
			return {
				title: m.notify_saved_search_title({ search, count }, options),
				body: `${m.notify_saved_search_body({ search, count }, options)}\n${listed}${more}\n\n${m.notify_saved_search_unsubscribe({ url: textOf(payload.unsubscribeUrl) }, options)}`
			};
		}
		case 'startup_selected': {
			const year = payload.year === undefined ? '' : formatYear(payload.year, locale);
			return {
				title: m.notify_selected_title({ year }, options),
				body: m.notify_selected_body({ name, year }, options)
			};
		}
	}
}

const REASONS = {
	incomplete: m.reject_reason_incomplete,
	capacity_unproven: m.reject_reason_capacity_unproven,
	certification_missing: m.reject_reason_certification_missing,
	not_in_province: m.reject_reason_not_in_province,
	other: m.reject_reason_other
} as const;

/** A rejection's reason code as a sentence in `locale`. */
export function reasonText(code: string | undefined, locale: 'th' | 'en'): string {
	return (REASONS[(code ?? 'other') as keyof typeof REASONS] ?? REASONS.other)({}, { locale });
}

/** Why an offer was declined: the buyer's own words, or a reason the portal gave. */
function declineText(reason: string | undefined, locale: 'th' | 'en'): string {
	if (reason === 'demand_closed') return m.decline_demand_closed({}, { locale });
	if (reason === 'demand_covered') return m.decline_demand_covered({}, { locale });
	return reason || m.decline_no_reason({}, { locale });
}

/** A permit checklist step by name, in the recipient's language. */
function permitStepText(step: string, locale: 'th' | 'en'): string {
	const options = { locale };
	switch (step) {
		case 'removal_permit':
			return m.waste_step_removal_permit({}, options);
		case 'licensed_receiver':
			return m.waste_step_licensed_receiver({}, options);
		case 'transport_manifest':
			return m.waste_step_transport_manifest({}, options);
		default:
			return step;
	}
}
