import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { requireRole, requireUser } from './guard';
import type { SessionUser } from './session';

const user = (overrides: Partial<SessionUser>): SessionUser => ({
	id: '00000000-0000-0000-0000-000000000001',
	email: 'a@example.org',
	role: 'startup',
	status: 'active',
	locale: 'th',
	provinceCode: null,
	organisationId: null,
	emailVerifiedAt: null,
	...overrides
});

function statusOf(run: () => unknown): number | 'allowed' {
	try {
		run();
		return 'allowed';
	} catch (error) {
		if (isHttpError(error)) return error.status;
		throw error;
	}
}

describe('guard', () => {
	const chiangMaiOfficer = user({ role: 'officer', provinceCode: 'TH-50' });
	const admin = user({ role: 'admin' });
	const buyer = user({ role: 'buyer' });

	it('refuses anonymous visitors with 401', () => {
		expect(statusOf(() => requireUser({ user: null }))).toBe(401);
		expect(statusOf(() => requireRole({ user: null }, 'officer'))).toBe(401);
	});

	it('lets an officer act for their own province only', () => {
		expect(statusOf(() => requireRole({ user: chiangMaiOfficer }, 'officer', { province: 'TH-50' }))).toBe(
			'allowed'
		);
		expect(statusOf(() => requireRole({ user: chiangMaiOfficer }, 'officer', { province: 'TH-52' }))).toBe(
			403
		);
	});

	it('lets an admin act wherever an officer may, including Bangkok', () => {
		expect(statusOf(() => requireRole({ user: admin }, 'officer', { province: 'TH-10' }))).toBe('allowed');
		expect(statusOf(() => requireRole({ user: admin }, 'admin'))).toBe('allowed');
	});

	it('refuses roles that are not listed', () => {
		expect(statusOf(() => requireRole({ user: buyer }, 'officer', { province: 'TH-50' }))).toBe(403);
		expect(statusOf(() => requireRole({ user: buyer }, ['startup']))).toBe(403);
		expect(statusOf(() => requireRole({ user: chiangMaiOfficer }, 'admin'))).toBe(403);
		expect(statusOf(() => requireRole({ user: buyer }, ['buyer', 'startup']))).toBe('allowed');
	});
});
