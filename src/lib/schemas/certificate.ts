// The office's answer to a certificate's evidence: checked, or refused with a reason the startup reads.
import { z } from 'zod';

export const certificateDecisionSchema = z.discriminatedUnion(
	'decision',
	[
		z.object({
			startupId: z.uuid({ error: 'not_found' }),
			certificationId: z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'not_found' }),
			decision: z.literal('check')
		}),
		z.object({
			startupId: z.uuid({ error: 'not_found' }),
			certificationId: z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'not_found' }),
			decision: z.literal('refuse'),
			reason: z.string().trim().min(1, { error: 'reason_required' }).max(1000, { error: 'too_long' })
		})
	],
	{ error: 'decision_required' }
);

export type CertificateDecision = z.output<typeof certificateDecisionSchema>;
