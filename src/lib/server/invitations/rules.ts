// Invitations to quote as pure rules: where one stands for the buyer, and the offer form an invited startup first sees.

export type InvitationStatus = 'invited' | 'viewed' | 'offered' | 'declined';

/**
 * An offer outranks everything (a startup that declined and then offered after all has offered); then a refusal;
 * then whether the startup opened the demand since it was invited.
 */
export function invitationStatus(
	invitation: { viewedAt: Date | null; declinedAt: Date | null },
	offered: boolean
): InvitationStatus {
	if (offered) return 'offered';
	if (invitation.declinedAt) return 'declined';
	return invitation.viewedAt ? 'viewed' : 'invited';
}

const DAY_MS = 86_400_000;
const MAX_LEAD_TIME_DAYS = 3650;

/**
 * The offer form as an invited startup first sees it, filled from the demand: the whole quantity, the buyer's
 * price ceiling (empty when there is none) and the days left until the needed-by date. Strings, as typed.
 */
export function offerPrefill(
	demand: { quantity: number; priceThbMax: number | null; neededBy: string },
	today: string
): Record<'quantity' | 'unitPriceThb' | 'leadTimeDays' | 'message', string> & Record<string, string> {
	const daysLeft = Math.round((Date.parse(demand.neededBy) - Date.parse(today)) / DAY_MS);
	return {
		quantity: String(demand.quantity),
		unitPriceThb: demand.priceThbMax === null ? '' : String(demand.priceThbMax),
		leadTimeDays: String(Math.min(MAX_LEAD_TIME_DAYS, Math.max(0, daysLeft))),
		message: ''
	};
}
