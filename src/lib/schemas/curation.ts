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
export type RubricCriterion = (typeof RUBRIC)[number];
export const RUBRIC_SCORES = [0, 1, 2, 3, 4, 5] as const;
/** The most a rubric can total: four criteria of at most 5. */
export const RUBRIC_MAX = RUBRIC.length * 5;
/**
 * The threshold an office starts with: 12 of 20, an average of 3 ("meets the standard") on each criterion.
 * Each office sets its own; approving below it needs a reason.
 */
export const DEFAULT_APPROVAL_THRESHOLD = 12;

export const DECISIONS = ['approve', 'revise', 'reject'] as const;

export function rubricTotal(scores: Record<`${(typeof RUBRIC)[number]}Score`, number>): number {
	return RUBRIC.reduce((sum, key) => sum + scores[`${key}Score`], 0);
}

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
		decision: z.enum(DECISIONS, { error: 'decision_required' }),
		reasonCode: z
			.string()
			.transform((value) => value || null)
			.pipe(z.enum(REJECT_REASONS, { error: 'reason_required' }).nullable()),
		note: comment,
		// Only asked for when approving below the office's threshold (the service knows the threshold).
		thresholdReason: comment.optional().transform((value) => value ?? null)
	})
	.superRefine((review, ctx) => {
		// Returning an application says what to revise: the notes are what the startup acts on.
		if (review.decision === 'revise' && !review.note)
			ctx.addIssue({ code: 'custom', path: ['note'], message: 'revise_note_required' });
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

export const thresholdSchema = z.object({
	approvalThreshold: z
		.string()
		.trim()
		.regex(/^\d{1,2}$/, { error: 'threshold_invalid' })
		.transform(Number)
		.pipe(z.number().min(0, { error: 'threshold_invalid' }).max(RUBRIC_MAX, { error: 'threshold_invalid' }))
});

export type ThresholdInput = z.output<typeof thresholdSchema>;
