// Referrals to partner agencies: made inside the accept of an offer that outgrows the startup, by the standing
// check of the demand it matches (every few minutes), and answered by the startup (refer me / not needed).
import { and, eq } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import { agencies, offers, referrals, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import { notFound, UserError } from '../errors';
import { membersOf, notify } from '../notifications/service';
import type { Member } from '../auth/actor';
import { asLeader } from '../leader';
import { repeatEvery } from '../background-jobs';
import { matchedOpenDemand, productCapacities, standingReferrals } from './queries';
import {
	FINANCE_AGENCY,
	LAND_AGENCY,
	offerReferral,
	standingReferral,
	type DemandTerms,
	type ReferralFigures
} from './rules';
import { one } from '../db/rows';

type NewReferral = typeof referrals.$inferInsert & ReferralFigures;

/** Records a referral unless its unique key already holds one, and tells the startup's members about a new one. */
async function offerToStartup(tx: Queryable, referral: NewReferral, origin: string) {
	const [created] = await tx.insert(referrals).values(referral).onConflictDoNothing().returning();
	if (!created) return null;
	const row = one(
		await tx
			.select({
				organisationId: startups.organisationId,
				agencyTh: agencies.nameTh,
				agencyEn: agencies.nameEn
			})
			.from(startups)
			.innerJoin(agencies, eq(agencies.id, referral.agencyId))
			.where(eq(startups.id, referral.startupId)),
		'select from startups'
	);
	await notify(
		tx,
		await membersOf(tx, row.organisationId),
		'referral_offered',
		{ link: '/startup#referrals', reason: referral.reason, agencyTh: row.agencyTh, agencyEn: row.agencyEn },
		origin
	);
	return created;
}

/**
 * Called inside acceptOffer's transaction: when the accepted offer's monthly load passes the startup's capacity,
 * offers the startup a referral to the finance agency (once per offer).
 */
export async function referOfferIfOverCapacity(
	tx: Tx,
	offer: Pick<typeof offers.$inferSelect, 'id' | 'startupId' | 'quantity' | 'unitPriceThb'>,
	demand: Omit<DemandTerms, 'quantity'>,
	origin: string,
	now = new Date()
) {
	const figures = offerReferral(offer, demand, await productCapacities(tx, offer.startupId), now);
	if (!figures) return null;
	return offerToStartup(
		tx,
		{
			startupId: offer.startupId,
			agencyId: FINANCE_AGENCY,
			reason: 'offer_exceeds_capacity',
			offerId: offer.id,
			...figures
		},
		origin
	);
}

export interface StandingRun {
	created: number;
	updated: number;
}

const sameFigures = (a: ReferralFigures, b: ReferralFigures) =>
	a.unit === b.unit &&
	a.quantity === b.quantity &&
	a.monthlyCapacity === b.monthlyCapacity &&
	a.valueThb === b.valueThb;

function groupByStartup<T extends { startupId: string }>(rows: T[]): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const group = groups.get(row.startupId);
		if (group) group.push(row);
		else groups.set(row.startupId, [row]);
	}
	return groups;
}

/**
 * The standing check for every startup with good matches: a space referral where the open demand it matches
 * outgrows it. Safe to run at any time and as often as wanted: a live referral is never duplicated (the unique
 * index decides a race), one still waiting for the startup gets today's figures, one the startup asked for
 * keeps the figures it asked with, and one it dismissed in the last 90 days is not made again.
 */
export async function refreshStandingReferrals(
	db: Db,
	origin: string,
	now = new Date()
): Promise<StandingRun> {
	const [capacityRows, demandRows, existingRows] = await Promise.all([
		productCapacities(db),
		matchedOpenDemand(db),
		standingReferrals(db, now)
	]);
	const capacities = groupByStartup(capacityRows);
	const existing = groupByStartup(existingRows);
	const run: StandingRun = { created: 0, updated: 0 };
	for (const [startupId, matched] of groupByStartup(demandRows)) {
		const figures = standingReferral(capacities.get(startupId) ?? [], matched, now);
		if (!figures) continue;
		const held = existing.get(startupId) ?? [];
		const live = held.find((r) => r.status !== 'dismissed');
		if (live) {
			if (live.status === 'offered' && !sameFigures(live, figures)) {
				await db
					.update(referrals)
					.set(figures)
					.where(and(eq(referrals.id, live.id), eq(referrals.status, 'offered')));
				run.updated++;
			}
			continue;
		}
		if (held.length > 0) continue;
		const created = await db.transaction((tx) =>
			offerToStartup(
				tx,
				{ startupId, agencyId: LAND_AGENCY, reason: 'matched_demand_exceeds_capacity', ...figures },
				origin
			)
		);
		if (created) run.created++;
	}
	return run;
}

export function startReferralWorker(
	db: Db,
	origin: string,
	log: (message: string) => void,
	intervalMs = 5 * 60_000
) {
	return repeatEvery(
		'referrals',
		intervalMs,
		async () => {
			await asLeader(db, 'referrals', () => refreshStandingReferrals(db, origin));
		},
		(error) => log(`[referrals] standing check failed: ${String(error)}`)
	);
}

/**
 * The startup answers a referral it was offered: "refer me" (requested; the agency then sees its contact email)
 * or "not needed" (dismissed). Answering the same way twice changes nothing; another startup's referral reads
 * as missing.
 */
export async function decideReferral(
	db: Db,
	member: Member,
	referralId: string,
	decision: 'request' | 'dismiss'
) {
	const status = decision === 'request' ? 'requested' : 'dismissed';
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({
				referral: referrals,
				organisationId: startups.organisationId,
				provinceCode: startups.provinceCode
			})
			.from(referrals)
			.innerJoin(startups, eq(startups.id, referrals.startupId))
			.where(eq(referrals.id, referralId))
			.for('update', { of: referrals });
		if (!row || !member.organisationId || row.organisationId !== member.organisationId)
			throw notFound('referral');
		const { referral } = row;
		if (referral.status === status) return referral;
		if (referral.status !== 'offered')
			throw new UserError('referral_decided', 'the referral was already answered', { status: 409 });
		const updated = one(
			await tx
				.update(referrals)
				.set({ status, decidedAt: new Date() })
				.where(eq(referrals.id, referralId))
				.returning(),
			'update of referrals'
		);
		await recordAudit(tx, {
			actorId: member.id,
			actorLabel: member.email,
			action: decision === 'request' ? 'referral.request' : 'referral.dismiss',
			subjectType: 'referral',
			subjectId: referralId,
			provinceCode: row.provinceCode,
			before: { status: referral.status },
			after: { status, agencyId: referral.agencyId, reason: referral.reason, startupId: referral.startupId }
		});
		return updated;
	});
}
