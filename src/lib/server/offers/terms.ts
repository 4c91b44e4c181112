// Where an offer departs from what its demand asked for. A startup may still offer outside the terms (less
// certification, a higher price can be worth it to a buyer), but both sides see it said plainly: the startup
// confirms before sending, and the buyer's comparison flags it.

export type TermsFlag = 'over_quantity' | 'over_price' | 'certification_missing';

export interface DemandTerms {
	quantity: number;
	priceThbMax: number | null;
}

/** The ways an offer departs from its demand's terms, in a fixed order; empty when it keeps to them. */
export function termsFlags(
	offer: { quantity: number; unitPriceThb: number },
	demand: DemandTerms,
	missingCertifications: readonly string[]
): TermsFlag[] {
	const flags: TermsFlag[] = [];
	if (offer.quantity > demand.quantity) flags.push('over_quantity');
	if (demand.priceThbMax !== null && offer.unitPriceThb > demand.priceThbMax) flags.push('over_price');
	if (missingCertifications.length > 0) flags.push('certification_missing');
	return flags;
}
