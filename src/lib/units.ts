// Quantities in kilograms and tonnes are the same thing at different scales; other units do not convert.
export function convertQuantity(quantity: number, from: string, to: string): number | null {
	if (from === to) return quantity;
	if (from === 'tonne' && to === 'kg') return quantity * 1000;
	if (from === 'kg' && to === 'tonne') return quantity / 1000;
	return null;
}

/** The same quantity in the other weight unit, for showing beside it ("2 tonne = 2,000 kg"); null otherwise. */
export function alternativeWeight(
	quantity: number,
	unit: string
): { quantity: number; unit: 'kg' | 'tonne' } | null {
	if (unit === 'tonne') return { quantity: quantity * 1000, unit: 'kg' };
	if (unit === 'kg' && quantity >= 1000) return { quantity: quantity / 1000, unit: 'tonne' };
	return null;
}
