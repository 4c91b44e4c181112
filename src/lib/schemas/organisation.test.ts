import { describe, expect, it } from 'vitest';
import { isJuristicNumber, juristicNumberSchema, verificationDecisionSchema } from './organisation';

/** Appends the check digit to twelve digits, computed independently of the module under test. */
function withCheckDigit(twelve: string): string {
	const sum = [...twelve].reduce((total, digit, i) => total + Number(digit) * (13 - i), 0);
	return twelve + String((11 - (sum % 11)) % 10);
}

describe('juristic person number', () => {
	it('accepts a number whose last digit is its check digit, and refuses every other last digit', () => {
		const valid = withCheckDigit('010555012345');
		expect(isJuristicNumber(valid)).toBe(true);
		for (let digit = 0; digit <= 9; digit++) {
			const candidate = valid.slice(0, 12) + String(digit);
			expect(isJuristicNumber(candidate)).toBe(candidate === valid);
		}
	});

	it('catches two swapped neighbours', () => {
		const valid = withCheckDigit('010553712345');
		const swapped = valid.slice(0, 5) + valid[6] + valid[5] + valid.slice(7);
		expect(swapped).not.toBe(valid);
		expect(isJuristicNumber(swapped)).toBe(false);
	});

	it('reads the number as people type it, and names each problem', () => {
		const valid = withCheckDigit('010555012345');
		const typed = `${valid.slice(0, 1)}-${valid.slice(1, 5)}-${valid.slice(5, 10)}-${valid.slice(10, 12)}-${valid[12]}`;
		expect(juristicNumberSchema.parse(typed)).toBe(valid);
		const codeOf = (value: string) => juristicNumberSchema.safeParse(value).error?.issues[0]?.message;
		expect(codeOf('')).toBe('juristic_number_required');
		expect(codeOf('12345')).toBe('juristic_number_format');
		expect(codeOf('๐๑๐๕๕๕๐๑๒๓๔๕๖')).toBe('juristic_number_format');
		expect(codeOf(valid.slice(0, 12) + String((Number(valid[12]) + 1) % 10))).toBe(
			'juristic_number_check_digit'
		);
	});

	it('asks for a reason when refusing or revoking, not when verifying', () => {
		expect(verificationDecisionSchema.safeParse({ decision: 'verify', reason: '' }).success).toBe(true);
		for (const decision of ['refuse', 'revoke'])
			expect(verificationDecisionSchema.safeParse({ decision, reason: ' ' }).error?.issues[0]?.message).toBe(
				'reason_required'
			);
	});
});
