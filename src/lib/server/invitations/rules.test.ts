import { describe, expect, it } from 'vitest';
import { todayInThailand } from '$lib/schemas/demand';
import { daysFromToday } from '../../../../tests/helpers/dates';
import { invitationStatus, offerPrefill } from './rules';

describe('where an invitation stands', () => {
	const at = new Date();
	it('reads offered over declined over viewed over invited', () => {
		expect(invitationStatus({ viewedAt: null, declinedAt: null }, false)).toBe('invited');
		expect(invitationStatus({ viewedAt: at, declinedAt: null }, false)).toBe('viewed');
		expect(invitationStatus({ viewedAt: at, declinedAt: at }, false)).toBe('declined');
		// Declined, then offered after all.
		expect(invitationStatus({ viewedAt: at, declinedAt: at }, true)).toBe('offered');
	});
});

describe('the offer form an invited startup first sees', () => {
	const today = todayInThailand();
	it('asks for the whole quantity at the ceiling, by the needed-by date', () => {
		expect(offerPrefill({ quantity: 1.5, priceThbMax: 45000, neededBy: daysFromToday(45) }, today)).toEqual({
			quantity: '1.5',
			unitPriceThb: '45000',
			leadTimeDays: '45',
			message: ''
		});
	});
	it('leaves the price empty without a ceiling and keeps the lead time in the allowed range', () => {
		expect(
			offerPrefill({ quantity: 2, priceThbMax: null, neededBy: daysFromToday(-3) }, today)
		).toMatchObject({
			unitPriceThb: '',
			leadTimeDays: '0'
		});
		expect(
			offerPrefill({ quantity: 2, priceThbMax: null, neededBy: daysFromToday(5000) }, today).leadTimeDays
		).toBe('3650');
	});
});
