import { describe, expect, it } from 'vitest';
import { fieldErrors } from '$lib/form-errors';
import { emailSchema, newPasswordSchema, passwordSchema, signUpSchema } from './account';

const codes = (result: { success: boolean; error?: unknown }) =>
	result.success ? {} : fieldErrors(result.error as Parameters<typeof fieldErrors>[0]);

describe('account schemas', () => {
	it('refuses short, common and one-character passwords with a code per rule', () => {
		expect(codes(passwordSchema.safeParse('short'))).toEqual({ form: 'password_too_short' });
		expect(codes(passwordSchema.safeParse('Password123'))).toEqual({ form: 'password_common' });
		// 1234567890 typed on a Thai Kedmanee keyboard.
		expect(codes(passwordSchema.safeParse('ๅ/-ภถุึคตจ'))).toEqual({ form: 'password_common' });
		expect(codes(passwordSchema.safeParse('zzzzzzzzzzzz'))).toEqual({ form: 'password_common' });
		expect(passwordSchema.safeParse('ข้าวหอมมะลิทุ่งกุลา').success).toBe(true);
	});

	it('normalises email addresses and explains a wrong one', () => {
		expect(emailSchema.parse('  Somchai@Example.ORG ')).toBe('somchai@example.org');
		expect(codes(emailSchema.safeParse('somchai@'))).toEqual({ form: 'email_invalid' });
		expect(codes(emailSchema.safeParse(''))).toEqual({ form: 'required' });
	});

	it('asks startups for a province and ignores a buyer’s', () => {
		const base = {
			organisationName: 'ร้านข้าว',
			email: 'a@example.org',
			password: 'long passphrase',
			locale: 'th'
		};
		expect(codes(signUpSchema.safeParse({ ...base, accountType: 'startup' }))).toEqual({
			provinceCode: 'province_required'
		});
		expect(
			codes(signUpSchema.safeParse({ ...base, accountType: 'startup', provinceCode: 'Chiang Mai' }))
		).toEqual({
			provinceCode: 'province_unknown'
		});
		expect(
			signUpSchema.parse({ ...base, accountType: 'buyer', provinceCode: 'TH-50' }).provinceCode
		).toBeNull();
		expect(codes(signUpSchema.safeParse({ ...base, accountType: 'officer' }))).toEqual({
			accountType: 'account_type_required'
		});
	});

	it('puts a mismatch on the confirmation field', () => {
		expect(
			codes(newPasswordSchema.safeParse({ password: 'long passphrase', confirmPassword: 'other' }))
		).toEqual({
			confirmPassword: 'password_mismatch'
		});
	});
});
