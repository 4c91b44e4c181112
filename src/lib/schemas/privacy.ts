// The privacy forms (consents, requests, account deletion, contact details): one definition each. Messages are
// error codes that pages turn into Thai or English (see $lib/form-errors).
import { z } from 'zod';

const required = { error: 'required' } as const;

export const consentPurposeSchema = z.enum(['marketing', 'line_notifications'], { error: 'invalid_value' });

export const consentFormSchema = z.object({ purpose: consentPurposeSchema });

export const correctionSchema = z.object({
	detail: z.string(required).trim().min(1, required).max(2000, { error: 'too_long' })
});

export const deleteAccountSchema = z.object({
	// Empty for an account without a password: a recent sign-in confirms it instead.
	currentPassword: z.string({ error: 'invalid_value' }).max(256, { error: 'too_long' }).default(''),
	confirm: z.literal('yes', { error: 'privacy_confirm_required' })
});

export const contactVisibilitySchema = z.object({
	visibility: z.enum(['form', 'counterparts', 'public'], { error: 'invalid_value' })
});

export const contactMessageSchema = z.object({
	message: z.string(required).trim().min(1, required).max(2000, { error: 'too_long' })
});
