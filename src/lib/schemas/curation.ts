// The office's review rubric and its choice of the province's startup.
import { z } from 'zod';

const score = z
	.string({ error: 'score_invalid' })
	.regex(/^[0-5]$/, { error: 'score_invalid' })
	.transform(Number);
const comment = z
	.string()
	.trim()
	.max(2000, { error: 'too_long' })
	.transform((value) => value || null);

export const REJECT_REASONS = [
	'incomplete',
	'capacity_unproven',
	'certification_missing',
	'not_in_province',
	'other'
] as const;

export const RUBRIC = ['market', 'innovation', 'readiness', 'compliance'] as const;

export const reviewSchema = z
	.object({
		marketScore: score,
		innovationScore: score,
		readinessScore: score,
		complianceScore: score,
		marketComment: comment,
		innovationComment: comment,
		readinessComment: comment,
		complianceComment: comment,
		decision: z.enum(['approve', 'reject'], { error: 'decision_required' }),
		reasonCode: z
			.string()
			.transform((value) => value || null)
			.pipe(z.enum(REJECT_REASONS, { error: 'reason_required' }).nullable()),
		note: comment
	})
	.superRefine((review, ctx) => {
		if (review.decision === 'reject' && !review.reasonCode)
			ctx.addIssue({ code: 'custom', path: ['reasonCode'], message: 'reason_required' });
		if (review.decision === 'reject' && review.reasonCode === 'other' && !review.note)
			ctx.addIssue({ code: 'custom', path: ['note'], message: 'reason_required' });
	});

export type ReviewInput = z.output<typeof reviewSchema>;

export const selectionSchema = z.object({
	startupId: z.uuid({ error: 'startup_not_approved' }),
	year: z.coerce
		.number({ error: 'year_invalid' })
		.int({ error: 'year_invalid' })
		.min(2020, { error: 'year_invalid' })
		.max(2100, { error: 'year_invalid' }),
	reason: comment
});

export type SelectionInput = z.output<typeof selectionSchema>;

/** An office's later decision on an approved startup, always with a reason the startup reads. */
export const standingSchema = z.object({
	startupId: z.uuid({ error: 'not_found' }),
	decision: z.enum(['suspend', 'revoke', 'reinstate'], { error: 'decision_required' }),
	reason: z.string().trim().min(1, { error: 'reason_required' }).max(1000, { error: 'too_long' })
});

export type StandingInput = z.output<typeof standingSchema>;
