// An office's later decisions on an approved startup: suspend it (hidden until reinstated), revoke its approval (it
// applies again from the start), or reinstate a suspended one. Each takes a reason, is audited, tells the startup,
// withdraws its pending offers (their buyers are told) and updates the search index, in one transaction.
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db';
import { offers, reports, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import { UserError } from '../errors';
import { membersOf, notify } from '../notifications/service';
import { withdrawOffersOfStartup } from '../offers/service';
import { enqueueSearchSync } from '../search/outbox';
import { isPublicStartup } from '../startups/public';
import { hasUnreviewedChanges } from '../startups/service';
import type { Actor } from '../auth/actor';
import { lockStartupInProvince } from './service';
import type { StandingInput } from '$lib/schemas/curation';
import { startupNamed } from '$lib/notifications';

const KIND = {
	suspend: 'startup_suspended',
	revoke: 'startup_revoked',
	reinstate: 'startup_reinstated'
} as const;

export async function decideStanding(
	db: Db,
	officer: Pick<Actor, 'id' | 'email'>,
	provinceCode: string,
	startupId: string,
	input: StandingInput,
	origin: string
) {
	return db.transaction(async (tx) => {
		const startup = await lockStartupInProvince(tx, provinceCode, startupId);
		const suspended = startup.status === 'suspended' && startup.approvedSnapshot !== null;
		const allowed =
			input.decision === 'suspend'
				? isPublicStartup(startup)
				: input.decision === 'revoke'
					? isPublicStartup(startup) || suspended
					: suspended;
		if (!allowed)
			throw new UserError('standing_not_allowed', `cannot ${input.decision} now`, { status: 409 });
		// A reinstated startup whose edits were never reviewed goes back to the queue, still public as approved.
		const status =
			input.decision === 'suspend'
				? ('suspended' as const)
				: input.decision === 'revoke'
					? ('rejected' as const)
					: (await hasUnreviewedChanges(tx, startup))
						? ('submitted' as const)
						: ('approved' as const);
		await tx
			.update(startups)
			.set(input.decision === 'revoke' ? { status, approvedSnapshot: null } : { status })
			.where(eq(startups.id, startupId));
		const withdrawn =
			input.decision === 'reinstate' ? [] : await withdrawOffersOfStartup(tx, startup, origin);
		if (input.decision !== 'reinstate') {
			// Reports on its profile and on its offers are settled by the decision.
			const offerIds = tx.select({ id: offers.id }).from(offers).where(eq(offers.startupId, startupId));
			await tx
				.update(reports)
				.set({ status: 'resolved', resolvedBy: officer.id, resolvedAt: new Date() })
				.where(
					and(
						eq(reports.status, 'open'),
						or(
							and(eq(reports.subjectType, 'startup'), eq(reports.subjectId, startupId)),
							and(eq(reports.subjectType, 'offer'), inArray(reports.subjectId, offerIds))
						)
					)
				);
		}
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: `startup.${input.decision}`,
			subjectType: 'startup',
			subjectId: startupId,
			provinceCode,
			before: { status: startup.status },
			after: { status, reason: input.reason, withdrawnOffers: withdrawn }
		});
		await notify(
			tx,
			await membersOf(tx, startup.organisationId),
			KIND[input.decision],
			{ link: '/startup', ...startupNamed(startup), reason: input.reason },
			origin
		);
		await enqueueSearchSync(tx, 'startup', [startupId]);
		return { status, withdrawn };
	});
}
