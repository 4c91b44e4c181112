// What a provincial office decides: approve, return for revision or reject an application on a scored rubric
// (against the office's own approval threshold), and choose the province's one startup for a year. Each decision writes its audit event, notifications and search update
// in one transaction; the database itself refuses a second startup for a province-year.
import { and, eq } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import { pgErrorOf, PG } from '../db/errors';
import { officeSettings, provinceSelections, reviews, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound, UserError } from '../errors';
import { membersOf, notify } from '../notifications/service';
import { approvalThreshold } from '../offices/queries';
import { enqueueSearchSync } from '../search/outbox';
import { loadProfile } from '../startups/queries';
import { restoreApprovedProfile } from '../startups/service';
import { isPublicStartup } from '../startups/public';
import {
	rubricTotal,
	type ReviewInput,
	type SelectionInput,
	type ThresholdInput
} from '$lib/schemas/curation';
import { startupNamed } from '$lib/notifications';
import { one } from '../db/rows';
import type { Actor } from '../auth/actor';

/**
 * A province's startup, locked for the office's decision. A startup of another province reads as missing: the
 * office learns nothing about it.
 */
export async function lockStartupInProvince(tx: Tx, provinceCode: string, startupId: string) {
	const [startup] = await tx
		.select()
		.from(startups)
		.where(and(eq(startups.id, startupId), eq(startups.provinceCode, provinceCode)))
		.for('update');
	if (!startup) throw notFound('startup in this province');
	return startup;
}

const OUTCOME = {
	approve: { status: 'approved', action: 'startup.approve', notice: 'application_approved' },
	revise: { status: 'draft', action: 'startup.return', notice: 'application_returned' },
	reject: { status: 'rejected', action: 'startup.reject', notice: 'application_rejected' }
} as const;

/**
 * Decides a submitted application of `provinceCode`. Approval freezes the public snapshot and, below the
 * office's threshold, needs a reason. Returning a first application puts it back in the startup's hands as a
 * draft with the officer's notes. A re-review of an approved startup that is rejected or returned drops the changes
 * it was about: the startup stays approved as it was, and the reason or notes say what to change.
 */
export async function decideApplication(
	db: Db,
	officer: Pick<Actor, 'id' | 'email'>,
	provinceCode: string,
	startupId: string,
	input: ReviewInput,
	origin: string
) {
	return db.transaction(async (tx) => {
		const startup = await lockStartupInProvince(tx, provinceCode, startupId);
		if (startup.status !== 'submitted')
			throw new UserError('not_in_queue', 'not waiting for review', { status: 409 });
		const scores = {
			marketScore: input.marketScore,
			innovationScore: input.innovationScore,
			readinessScore: input.readinessScore,
			complianceScore: input.complianceScore
		};
		const total = rubricTotal(scores);
		const threshold = await approvalThreshold(tx, provinceCode);
		const approve = input.decision === 'approve';
		const belowThreshold = approve && total < threshold;
		if (belowThreshold && !input.thresholdReason)
			throw new UserError(
				'threshold_reason_required',
				`approving ${total} below the threshold ${threshold} needs a reason`,
				{ field: 'thresholdReason' }
			);
		const profile = await loadProfile(tx, startup);
		const comments = {
			market: input.marketComment,
			innovation: input.innovationComment,
			readiness: input.readinessComment,
			compliance: input.complianceComment,
			note: input.note,
			...(belowThreshold ? { thresholdReason: input.thresholdReason } : {})
		};
		const outcome = OUTCOME[input.decision];
		const review = one(
			await tx
				.insert(reviews)
				.values({
					startupId,
					reviewerId: officer.id,
					...scores,
					comments,
					decision: input.decision,
					reason: input.decision === 'reject' ? input.reasonCode : null,
					submittedAt: startup.submittedAt
				})
				.returning(),
			'insert into reviews'
		);
		const now = new Date();
		// A re-review that is rejected or returned drops the changes it was about: the startup stays public as it was
		// approved, and the reason or the officer's notes tell it what to change before it edits again.
		const reReview = !approve && startup.approvedSnapshot !== null;
		if (reReview) await restoreApprovedProfile(tx, startup);
		const status = approve || reReview ? 'approved' : outcome.status;
		await tx
			.update(startups)
			.set(
				approve
					? {
							status: 'approved',
							approvedAt: now,
							approvedSnapshot: { ...profile, approvedAt: now.toISOString() }
						}
					: { status }
			)
			.where(eq(startups.id, startupId));
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: reReview && input.decision === 'reject' ? 'startup.reject_changes' : outcome.action,
			subjectType: 'startup',
			subjectId: startupId,
			provinceCode,
			before: { status: startup.status },
			after: {
				status,
				...scores,
				total,
				threshold,
				comments,
				reason: review.reason
			}
		});
		await notify(
			tx,
			await membersOf(tx, startup.organisationId),
			reReview && input.decision === 'reject' ? 'changes_rejected' : outcome.notice,
			{ link: '/startup', ...startupNamed(profile), reason: review.reason ?? undefined, note: input.note },
			origin
		);
		await enqueueSearchSync(tx, 'startup', [startupId]);
		return review;
	});
}

/** Sets the rubric total below which the office's approvals need a reason; audited. */
export async function setApprovalThreshold(
	db: Db,
	officer: Pick<Actor, 'id' | 'email'>,
	provinceCode: string,
	input: ThresholdInput
) {
	return db.transaction(async (tx) => {
		const before = await approvalThreshold(tx, provinceCode);
		const values = {
			provinceCode,
			approvalThreshold: input.approvalThreshold,
			updatedBy: officer.id,
			updatedAt: new Date()
		};
		await tx
			.insert(officeSettings)
			.values(values)
			.onConflictDoUpdate({ target: officeSettings.provinceCode, set: values });
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: 'office.set_threshold',
			subjectType: 'office',
			subjectId: provinceCode,
			provinceCode,
			before: { approvalThreshold: before },
			after: { approvalThreshold: input.approvalThreshold }
		});
	});
}

/**
 * The rules a selection must meet, shared by the confirmation step and the selection itself: an approved
 * startup of the province, and a reason when it replaces another choice for that year.
 */
async function checkSelection(tx: Queryable, provinceCode: string, input: SelectionInput, lock: boolean) {
	const [startup] = await tx
		.select()
		.from(startups)
		.where(and(eq(startups.id, input.startupId), eq(startups.provinceCode, provinceCode)));
	if (!startup || !isPublicStartup(startup))
		throw new UserError('startup_not_approved', 'not an approved startup of this province', {
			field: 'startupId'
		});
	const currentQuery = tx
		.select()
		.from(provinceSelections)
		.where(and(eq(provinceSelections.provinceCode, provinceCode), eq(provinceSelections.year, input.year)));
	const [current] = lock ? await currentQuery.for('update') : await currentQuery;
	if (current && current.startupId !== startup.id && !input.reason)
		throw new UserError('replace_reason_required', 'replacing needs a reason', { field: 'reason' });
	return { startup, current };
}

/**
 * What the office is about to confirm: the startup it chose, for which year, and the choice it replaces.
 * Refuses exactly what `selectProvinceStartup` would refuse, so the confirmation never promises a failure.
 */
export async function previewSelection(db: Queryable, provinceCode: string, input: SelectionInput) {
	const { startup, current } = await checkSelection(db, provinceCode, input, false);
	return {
		startupId: startup.id,
		nameTh: startup.nameTh,
		nameEn: startup.nameEn,
		year: input.year,
		reason: input.reason,
		unchanged: current?.startupId === startup.id,
		replaces: current && current.startupId !== startup.id ? current.startupId : null
	};
}

/**
 * Makes an approved startup of the province the province's startup for a year. Replacing an earlier choice
 * needs a reason. Two offices clicking at once: the unique (province, year) key lets exactly one win.
 */
export async function selectProvinceStartup(
	db: Db,
	officer: Pick<Actor, 'id' | 'email'>,
	provinceCode: string,
	input: SelectionInput,
	origin: string
) {
	try {
		return await db.transaction(async (tx) => {
			const { startup, current } = await checkSelection(tx, provinceCode, input, true);
			if (current?.startupId === startup.id) return current;
			const values = {
				provinceCode,
				year: input.year,
				startupId: startup.id,
				reason: input.reason,
				selectedBy: officer.id
			};
			const [selection] = current
				? await tx
						.update(provinceSelections)
						.set(values)
						.where(eq(provinceSelections.id, current.id))
						.returning()
				: await tx.insert(provinceSelections).values(values).returning();
			await recordAudit(tx, {
				actorId: officer.id,
				actorLabel: officer.email,
				action: current ? 'selection.replace' : 'selection.create',
				subjectType: 'province_selection',
				subjectId: `${provinceCode}/${input.year}`,
				provinceCode,
				before: current ? { startupId: current.startupId } : null,
				after: { startupId: startup.id, year: input.year, reason: input.reason }
			});
			await notify(
				tx,
				await membersOf(tx, startup.organisationId),
				'startup_selected',
				{
					link: `/startups/${startup.slug}`,
					...startupNamed(startup),
					year: input.year
				},
				origin
			);
			await enqueueSearchSync(tx, 'startup', [startup.id, ...(current ? [current.startupId] : [])]);
			return selection!;
		});
	} catch (error) {
		if (pgErrorOf(error)?.code === PG.uniqueViolation)
			throw new UserError('selection_taken', 'another selection won', { status: 409 });
		throw error;
	}
}
