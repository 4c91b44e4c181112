// Account fields shared by the forms, the CLI and the API: one definition each. Each message is an error
// code, not text: pages turn it into Thai or English next to the field (see $lib/form-errors).
import { z } from 'zod';
import { isCommonPassword } from './common-passwords';

const required = { error: 'required' } as const;

export const emailSchema = z
	.string(required)
	.trim()
	.toLowerCase()
	.min(1, required)
	.max(254, { error: 'email_invalid' })
	.pipe(z.email({ error: 'email_invalid' }));

export const passwordSchema = z
	.string(required)
	.min(1, required)
	.min(10, { error: 'password_too_short' })
	.max(256, { error: 'password_too_long' })
	.refine((password) => !isCommonPassword(password), { error: 'password_common' });

export const localeSchema = z.enum(['th', 'en'], { error: 'invalid_value' });

const organisationName = z.string(required).trim().min(1, required).max(200, { error: 'too_long' });

export const provinceCodeSchema = z.string(required).regex(/^TH-\d{2}$/, { error: 'province_unknown' });

const memberFields = z.object({
	accountType: z.enum(['startup', 'buyer'], { error: 'account_type_required' }),
	organisationName,
	// Only startups belong to a province; a buyer's choice, if any, is ignored.
	provinceCode: z.string().optional(),
	email: emailSchema,
	locale: localeSchema
});

/** A startup names its province; a buyer's is dropped. */
function withProvinceRule<S extends typeof memberFields>(schema: S) {
	return schema
		.superRefine((input, ctx) => {
			if (input.accountType !== 'startup') return;
			const province = provinceCodeSchema.safeParse(input.provinceCode ?? '');
			if (!province.success) {
				ctx.addIssue({
					code: 'custom',
					path: ['provinceCode'],
					message: input.provinceCode ? 'province_unknown' : 'province_required'
				});
			}
		})
		.transform((input) => ({
			...input,
			provinceCode: input.accountType === 'startup' ? input.provinceCode! : null
		}));
}

export const signUpSchema = withProvinceRule(memberFields.extend({ password: passwordSchema }));

/** Sign-up with a digital identity: the same fields, no password. */
export const identitySignUpSchema = withProvinceRule(memberFields);

export type SignUpInput = z.input<typeof signUpSchema>;

// Sign-in checks only that something was typed: the rules for new passwords do not apply to old ones.
export const signInSchema = z.object({
	email: emailSchema,
	password: z.string(required).min(1, required).max(1024, { error: 'password_too_long' })
});

export const resetRequestSchema = z.object({ email: emailSchema });

export const newPasswordSchema = z
	.object({ password: passwordSchema, confirmPassword: z.string(required) })
	.refine((input) => input.password === input.confirmPassword, {
		path: ['confirmPassword'],
		error: 'password_mismatch'
	});

export const changePasswordSchema = z
	.object({
		currentPassword: z.string(required).min(1, required).max(1024, { error: 'password_too_long' }),
		password: passwordSchema,
		confirmPassword: z.string(required)
	})
	.refine((input) => input.password === input.confirmPassword, {
		path: ['confirmPassword'],
		error: 'password_mismatch'
	});

export const changeEmailSchema = z.object({
	email: emailSchema,
	currentPassword: z.string(required).min(1, required).max(1024, { error: 'password_too_long' })
});

export const inviteOfficerSchema = z.object({
	email: emailSchema,
	provinceCode: provinceCodeSchema,
	// A checkbox: ticked sends "on", unticked nothing.
	identityRequired: z
		.enum(['on', ''], { error: 'invalid_value' })
		.optional()
		.transform((value) => value === 'on')
});

export const tokenSchema = z.string().regex(/^[a-z2-7]{32}$/);
