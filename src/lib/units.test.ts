import { describe, expect, it } from 'vitest';
import { alternativeWeight, convertQuantity } from './units';

describe('units', () => {
	it('converts kilograms and tonnes both ways and nothing else', () => {
		expect(convertQuantity(2, 'tonne', 'kg')).toBe(2000);
		expect(convertQuantity(1500, 'kg', 'tonne')).toBe(1.5);
		expect(convertQuantity(3, 'litre', 'kg')).toBeNull();
		expect(convertQuantity(7, 'box', 'box')).toBe(7);
	});

	it('offers the other weight unit only where it reads naturally', () => {
		expect(alternativeWeight(2, 'tonne')).toEqual({ quantity: 2000, unit: 'kg' });
		expect(alternativeWeight(2500, 'kg')).toEqual({ quantity: 2.5, unit: 'tonne' });
		expect(alternativeWeight(300, 'kg')).toBeNull();
		expect(alternativeWeight(5, 'piece')).toBeNull();
	});
});
