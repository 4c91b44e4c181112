// By-product words in the reader's language: handling, statuses, checklist steps, match reasons and prices.
import { formatBaht, formatDate, formatNumber } from '$lib/format';
import { unitName } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';

const pick = (table: Record<string, () => string>, key: string) => (table[key] ?? (() => key))();

export const handlingName = (handling: string) =>
	pick(
		{
			landfill: m.waste_handling_landfill,
			incineration: m.waste_handling_incineration,
			sold: m.waste_handling_sold,
			given_away: m.waste_handling_given_away,
			stored: m.waste_handling_stored
		},
		handling
	);

export const lotStatusName = (status: string) =>
	pick(
		{
			draft: m.waste_status_draft,
			submitted: m.waste_status_submitted,
			approved: m.waste_status_approved,
			rejected: m.waste_status_rejected,
			withdrawn: m.waste_status_withdrawn
		},
		status
	);

/** The badge tone of a lot's status: published, refused, waiting for the office, or neither. */
export const lotStatusTone = (status: string) =>
	status === 'approved'
		? ('success' as const)
		: status === 'rejected'
			? ('danger' as const)
			: status === 'submitted'
				? ('warning' as const)
				: ('neutral' as const);

export const agreementStatusName = (status: string) =>
	pick(
		{
			proposed: m.waste_agreement_status_proposed,
			agreed: m.waste_agreement_status_agreed,
			declined: m.waste_agreement_status_declined,
			withdrawn: m.waste_agreement_status_withdrawn
		},
		status
	);

export const stepName = (step: string) =>
	pick(
		{
			removal_permit: m.waste_step_removal_permit,
			licensed_receiver: m.waste_step_licensed_receiver,
			transport_manifest: m.waste_step_transport_manifest
		},
		step
	);

export const stepStatusName = (status: string) =>
	pick({ todo: m.waste_step_todo, done: m.waste_step_done, not_needed: m.waste_step_not_needed }, status);

export const codeFitName = (fit: string) =>
	pick(
		{
			same_code: m.waste_reason_same_code,
			same_sub_chapter: m.waste_reason_same_sub_chapter,
			substitute: m.waste_reason_substitute
		},
		fit
	);

/** "20 tonnes a month". */
export const perMonth = (quantity: number, unit: string) =>
	m.waste_per_month({ quantity: formatNumber(quantity), unit: unitName(unit, quantity) });

/** A price that may be negative: what the factory pays to have the lot removed. */
export function wastePrice(price: number | null): string {
	if (price === null) return m.waste_price_open();
	if (price < 0) return m.waste_price_pays({ baht: formatBaht(-price) });
	return m.waste_price_per_unit({ baht: formatBaht(price) });
}

/**
 * A lot's last day on offer as the reader counts dates (Buddhist era in Thai): "available until …", or that it
 * ended on that day once `today` (a Thai calendar date) is past it; empty when it has none.
 */
export function availabilityEnd(availableUntil: string | null, today: string): string {
	if (!availableUntil) return '';
	const date = formatDate(availableUntil);
	return availableUntil < today ? m.waste_available_ended({ date }) : m.waste_available_until_on({ date });
}
