// An organisation's juristic person number (เลขทะเบียนนิติบุคคล) and the office's decisions on it. Messages are
// error codes.
import { z } from 'zod';

/**
 * Whether `digits` is a 13-digit Thai juristic person (or citizen) number whose last digit is its check digit:
 * the first twelve weighted 13 down to 2, check = (11 − sum mod 11) mod 10. A mistyped digit or two swapped
 * neighbours is caught at entry, before an officer spends time on it.
 */
export function isJuristicNumber(digits: string): boolean {
	if (!/^\d{13}$/.test(digits)) return false;
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (13 - i);
	return (11 - (sum % 11)) % 10 === Number(digits[12]);
}

/** As people type it: spaces and dashes ("0-1055-12345-67-8") are taken out first. */
export const juristicNumberSchema = z
	.string()
	.transform((value) => value.replace(/[\s-]/g, ''))
	.refine((value) => value.length > 0, { error: 'juristic_number_required' })
	.refine((value) => value.length === 0 || /^\d{13}$/.test(value), { error: 'juristic_number_format' })
	.refine((value) => !/^\d{13}$/.test(value) || isJuristicNumber(value), {
		error: 'juristic_number_check_digit'
	});

export const verificationRequestSchema = z.object({
	registrationNumber: juristicNumberSchema,
	// A buyer's registered office, whose provincial office checks it; empty: Bangkok or nationwide, the
	// administrators. (A startup's office is its startup's province, fixed elsewhere.)
	provinceCode: z
		.string()
		.optional()
		.transform((value) => value || null)
		.pipe(
			z
				.string()
				.regex(/^TH-\d{2}$/, { error: 'province_unknown' })
				.nullable()
		)
});

export const verificationDecisionSchema = z
	.object({
		decision: z.enum(['verify', 'refuse', 'revoke'], { error: 'decision_required' }),
		reason: z.string().trim().max(1000, { error: 'too_long' })
	})
	// Refusing or revoking tells the organisation what to fix; a verification needs no reason.
	.refine((input) => input.decision === 'verify' || input.reason.length > 0, {
		path: ['reason'],
		error: 'reason_required'
	});

export type VerificationDecision = z.output<typeof verificationDecisionSchema>;
