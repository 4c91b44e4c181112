// Startups' offers on open demands and the buyer's decisions. Accepting locks the demand row, so two accepts at
// once are decided one after the other: the accepted quantity never passes the requested quantity by more than
// the last accepted offer. Each accept records a deal.
import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { pgErrorOf, PG } from '../db/errors';
import {
	deals,
	demandCertifications,
	demands,
	offerMessages,
	offers,
	reports,
	startupCertifications,
	startups
} from '../db/schema';
import { recordAudit } from '../audit/record';
import { requireConfirmedEmail } from '../accounts/confirmed-email';
import { notFound, UserError } from '../errors';
import { declinePending, lockOwnDemand, organisationOfStartup } from '../demands/service';
import { membersOf, notify, officersOf } from '../notifications/service';
import { hitRateLimit } from '../rate-limit';
import { referOfferIfOverCapacity } from '../referrals/service';
import { enqueueSearchSync } from '../search/outbox';
import { termsFlags, type TermsFlag } from './terms';
import type { OfferInput } from '$lib/schemas/demand';
import { offerValue } from '$lib/schemas/units';
import { isPublicStartup, publicStartup } from '../startups/public';
import { isVerified } from '../organisations/verification';
import { validOn } from '../certificates/queries';
import { demandTitled, startupNamed } from '$lib/notifications';
import type { Member } from '../auth/actor';
import { one } from '../db/rows';

const LIVE = ['pending', 'accepted'] as const;

async function approvedStartupOf(tx: Tx, member: Member) {
	if (!member.organisationId) throw new UserError('startup_not_approved', 'no startup');
	const [startup] = await tx
		.select()
		.from(startups)
		.where(eq(startups.organisationId, member.organisationId));
	if (!startup || !isPublicStartup(startup))
		throw new UserError('offer_needs_approval', 'only approved startups make offers');
	return startup;
}

/** An offer outside its demand's terms, sent without the startup confirming it knows. */
export class OutsideTerms extends UserError {
	constructor(readonly flags: TermsFlag[]) {
		super('offer_outside_terms', `the offer is outside the demand's terms: ${flags.join(', ')}`, {
			field: 'confirmTerms'
		});
	}
}

/** The terms an offer has now, for a buyer whose accept named an earlier version. */
export interface OfferTerms {
	version: number;
	quantity: number;
	unitPriceThb: number;
	leadTimeDays: number;
	message: string | null;
}

/** The offer changed after the buyer saw it: nothing is accepted, and the buyer is shown the new terms. */
export class OfferChanged extends UserError {
	constructor(readonly terms: OfferTerms) {
		super('offer_changed', `the offer is now at version ${terms.version}`, { status: 409 });
	}
}

/** The certifications a demand requires that the startup does not hold valid today (an expired one is missing). */
async function missingCertifications(tx: Tx, demandId: string, startupId: string): Promise<string[]> {
	const rows = await tx
		.select({ id: demandCertifications.certificationId })
		.from(demandCertifications)
		.where(
			and(
				eq(demandCertifications.demandId, demandId),
				notExists(
					tx
						.select({ one: sql`1` })
						.from(startupCertifications)
						.where(
							and(
								eq(startupCertifications.startupId, startupId),
								eq(startupCertifications.certificationId, demandCertifications.certificationId),
								validOn()
							)
						)
				)
			)
		);
	return rows.map((r) => r.id);
}

/**
 * Refuses an offer outside its demand's terms unless the startup has confirmed it; the offer's own columns
 * (without the confirmation) otherwise.
 */
async function withinTermsOrConfirmed(
	tx: Tx,
	demand: { id: string; quantity: number; priceThbMax: number | null },
	startupId: string,
	input: OfferInput
) {
	const { confirmTerms, ...terms } = input;
	const flags = termsFlags(terms, demand, await missingCertifications(tx, demand.id, startupId));
	if (flags.length > 0 && !confirmTerms) throw new OutsideTerms(flags);
	return terms;
}

/** A startup's offer on an open demand; one live offer per startup and demand, within the demand's cap. */
export async function makeOffer(db: Db, member: Member, demandId: string, input: OfferInput, origin: string) {
	try {
		return await db.transaction(async (tx) => {
			await requireConfirmedEmail(tx, member.id);
			const startup = await approvedStartupOf(tx, member);
			const [demand] = await tx.select().from(demands).where(eq(demands.id, demandId)).for('update');
			if (!demand || demand.status === 'draft' || demand.status === 'hidden') throw notFound('demand');
			if (demand.status !== 'open')
				throw new UserError('demand_not_open', 'the demand no longer takes offers');
			const live = one(
				await tx
					.select({ n: sql<number>`count(*)::int` })
					.from(offers)
					.where(and(eq(offers.demandId, demandId), inArray(offers.status, [...LIVE]))),
				'select from offers'
			);
			if (live.n >= demand.maxOffers)
				throw new UserError('offer_cap_reached', 'the demand has all the offers it asked for');
			if (demand.verifiedOffersOnly && !(await isVerified(tx, startup.organisationId)))
				throw new UserError('offer_verified_only', 'the buyer takes offers from verified startups only', {
					status: 403
				});
			const terms = await withinTermsOrConfirmed(tx, demand, startup.id, input);
			const offer = one(
				await tx
					.insert(offers)
					.values({ demandId, startupId: startup.id, ...terms })
					.returning(),
				'insert into offers'
			);
			await notify(
				tx,
				await membersOf(tx, demand.buyerOrganisationId),
				'offer_received',
				{
					link: `/buyer/demands/${demandId}`,
					...demandTitled(demand),
					...startupNamed(startup)
				},
				origin
			);
			return offer;
		});
	} catch (error) {
		if (pgErrorOf(error)?.code === PG.uniqueViolation)
			throw new UserError('offer_exists', 'you already have an offer on this demand', { status: 409 });
		throw error;
	}
}

/** A startup sees the buyer's contact while its offer stands; withdrawing the offer gives the contact up. */
export function offerShowsBuyerContact(offer: { status: (typeof offers.$inferSelect)['status'] } | null) {
	return offer !== null && offer.status !== 'withdrawn';
}

/** The startup's own pending offer, locked; anyone else's reads as missing. */
async function lockOwnOffer(tx: Tx, member: Member, offerId: string) {
	const [row] = await tx
		.select({ offer: offers, organisationId: startups.organisationId })
		.from(offers)
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.where(eq(offers.id, offerId))
		.for('update', { of: offers });
	if (!row || row.organisationId !== member.organisationId) throw notFound('offer');
	return row.offer;
}

/** The member's own offer, locked, while the buyer has not decided on it: only then may the startup change it. */
async function lockPendingOwnOffer(tx: Tx, member: Member, offerId: string) {
	const offer = await lockOwnOffer(tx, member, offerId);
	if (offer.status !== 'pending')
		throw new UserError('offer_decided', 'the buyer has already decided', { status: 409 });
	return offer;
}

/**
 * New terms for a pending offer. Changed terms raise its version, so an accept of the terms the buyer saw
 * before fails instead of taking these unseen, and the buyer is told of the change.
 */
export async function updateOffer(
	db: Db,
	member: Member,
	offerId: string,
	input: OfferInput,
	origin: string
) {
	return db.transaction(async (tx) => {
		const offer = await lockPendingOwnOffer(tx, member, offerId);
		const changed =
			input.quantity !== offer.quantity ||
			input.unitPriceThb !== offer.unitPriceThb ||
			input.leadTimeDays !== offer.leadTimeDays ||
			input.message !== offer.message;
		// The same offer sent again: nothing for the buyer to see again, nor for the startup to confirm again.
		if (!changed) return offer;
		const demand = one(
			await tx.select().from(demands).where(eq(demands.id, offer.demandId)),
			'select from demands'
		);
		const terms = await withinTermsOrConfirmed(tx, demand, offer.startupId, input);
		const updated = one(
			await tx
				.update(offers)
				.set({ ...terms, version: sql`${offers.version} + 1` })
				.where(eq(offers.id, offerId))
				.returning(),
			'update of offers'
		);
		const [startup] = await tx
			.select({ nameTh: startups.nameTh, nameEn: startups.nameEn })
			.from(startups)
			.where(eq(startups.id, offer.startupId));
		await notify(
			tx,
			await membersOf(tx, demand.buyerOrganisationId),
			'offer_changed',
			{
				link: `/buyer/demands/${demand.id}`,
				...demandTitled(demand),
				...startupNamed(startup ?? { nameTh: null, nameEn: null })
			},
			origin
		);
		return updated;
	});
}

export async function withdrawOffer(db: Db, member: Member, offerId: string) {
	return db.transaction(async (tx) => {
		await lockPendingOwnOffer(tx, member, offerId);
		await tx.update(offers).set({ status: 'withdrawn', decidedAt: new Date() }).where(eq(offers.id, offerId));
	});
}

async function offerOnOwnDemand(tx: Tx, buyer: Member, offerId: string) {
	const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId));
	if (!offer) throw notFound('offer');
	// Locks the demand first: every decision on one demand happens in turn.
	const demand = await lockOwnDemand(tx, buyer, offer.demandId).catch(() => {
		throw notFound('offer');
	});
	const [locked] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
	return { demand, offer: locked! };
}

/**
 * Accepts an offer at the version the buyer saw (a changed offer is refused with its new terms): records the
 * deal (and a finance referral when it outgrows the startup's capacity); when the accepted offers cover the
 * quantity, the demand is fulfilled and offers still waiting are declined.
 */
export async function acceptOffer(
	db: Db | Tx,
	buyer: Member,
	seen: { id: string; version: number },
	origin: string
) {
	const offerId = seen.id;
	return db.transaction(async (tx) => {
		const { demand, offer } = await offerOnOwnDemand(tx, buyer, offerId);
		if (offer.status !== 'pending')
			throw new UserError('offer_decided', 'already decided or withdrawn', { status: 409 });
		// Read under the offer's row lock: the startup cannot change it between this check and the deal.
		if (offer.version !== seen.version)
			throw new OfferChanged({
				version: offer.version,
				quantity: offer.quantity,
				unitPriceThb: offer.unitPriceThb,
				leadTimeDays: offer.leadTimeDays,
				message: offer.message
			});
		if (demand.status !== 'open' && demand.status !== 'expired')
			throw new UserError('demand_not_open', 'the demand has ended', { status: 409 });
		const accepted = one(
			await tx
				.select({ total: sql<number>`coalesce(sum(${offers.quantity}), 0)::float8` })
				.from(offers)
				.where(and(eq(offers.demandId, demand.id), eq(offers.status, 'accepted'))),
			'select from offers'
		);
		if (accepted.total >= demand.quantity)
			throw new UserError('demand_covered', 'the quantity is already covered', { status: 409 });
		await tx.update(offers).set({ status: 'accepted', decidedAt: new Date() }).where(eq(offers.id, offerId));
		const deal = one(
			await tx
				.insert(deals)
				.values({
					offerId,
					demandId: demand.id,
					quantity: offer.quantity,
					valueThb: offerValue(offer.quantity, offer.unitPriceThb)
				})
				.returning(),
			'insert into deals'
		);
		await notify(
			tx,
			await membersOf(tx, await organisationOfStartup(tx, offer.startupId)),
			'offer_accepted',
			{ link: `/demand/${demand.id}`, ...demandTitled(demand) },
			origin
		);
		await referOfferIfOverCapacity(tx, offer, demand, origin);
		if (accepted.total + offer.quantity >= demand.quantity) {
			await tx
				.update(demands)
				.set({ status: 'fulfilled', closedAt: new Date() })
				.where(eq(demands.id, demand.id));
			await declinePending(tx, demand, 'demand_covered', origin);
			await enqueueSearchSync(tx, 'demand', [demand.id]);
		}
		return deal;
	});
}

export async function declineOffer(
	db: Db | Tx,
	buyer: Member,
	offerId: string,
	reason: string | null,
	origin: string
) {
	return db.transaction(async (tx) => {
		const { demand, offer } = await offerOnOwnDemand(tx, buyer, offerId);
		if (offer.status !== 'pending')
			throw new UserError('offer_decided', 'already decided or withdrawn', { status: 409 });
		await tx
			.update(offers)
			.set({ status: 'declined', declineReason: reason, decidedAt: new Date() })
			.where(eq(offers.id, offerId));
		await notify(
			tx,
			await membersOf(tx, await organisationOfStartup(tx, offer.startupId)),
			'offer_declined',
			{ link: `/demand/${demand.id}`, ...demandTitled(demand), reason: reason ?? undefined },
			origin
		);
	});
}

/**
 * The two sides of an offer: the buyer organisation of its demand and the startup organisation that made it.
 * Anyone else gets "not found".
 */
async function offerParties(tx: Tx, user: { organisationId: string | null }, offerId: string) {
	const [row] = await tx
		.select({ offer: offers, demand: demands, startupOrganisation: startups.organisationId })
		.from(offers)
		.innerJoin(demands, eq(demands.id, offers.demandId))
		.innerJoin(startups, eq(startups.id, offers.startupId))
		.where(eq(offers.id, offerId));
	if (!row || !user.organisationId) throw notFound('offer');
	const side =
		row.demand.buyerOrganisationId === user.organisationId
			? 'buyer'
			: row.startupOrganisation === user.organisationId
				? 'startup'
				: null;
	if (!side) throw notFound('offer');
	return { ...row, side };
}

export async function postMessage(
	db: Db,
	user: { id: string; organisationId: string | null },
	offerId: string,
	body: string,
	origin: string
) {
	return db.transaction(async (tx) => {
		const parties = await offerParties(tx, user, offerId);
		const message = one(
			await tx.insert(offerMessages).values({ offerId, authorId: user.id, body }).returning(),
			'insert into offerMessages'
		);
		const other = parties.side === 'buyer' ? parties.startupOrganisation : parties.demand.buyerOrganisationId;
		const link =
			parties.side === 'buyer' ? `/demand/${parties.demand.id}` : `/buyer/demands/${parties.demand.id}`;
		await notify(
			tx,
			await membersOf(tx, other),
			'message_received',
			{ link, ...demandTitled(parties.demand) },
			origin
		);
		return message;
	});
}

export async function messagesOf(db: Db, user: { organisationId: string | null }, offerId: string) {
	return db.transaction(async (tx) => {
		await offerParties(tx, user, offerId);
		return tx
			.select({
				id: offerMessages.id,
				body: offerMessages.body,
				at: offerMessages.createdAt,
				authorId: offerMessages.authorId
			})
			.from(offerMessages)
			.where(eq(offerMessages.offerId, offerId))
			.orderBy(asc(offerMessages.createdAt));
	});
}

/** Reports per account, so one account cannot bury an office's moderation queue. */
export const REPORT_LIMIT = { limit: 20, windowMs: 24 * 60 * 60 * 1000 };

/**
 * Anyone signed in reports a demand or a public startup profile to the office that moderates it; an offer, which
 * only its startup and the demand's buyer see, is reported by that buyer (anyone else's guess at an offer id finds
 * nothing). Demands and their offers go to the demand's delivery province, a startup to its own province.
 */
export async function reportSubject(
	db: Db,
	reporter: { id: string; organisationId: string | null },
	subject: { type: 'demand' | 'offer' | 'startup'; id: string },
	reason: string,
	origin: string
) {
	await requireConfirmedEmail(db, reporter.id);
	const limit = await hitRateLimit(db, `report:${reporter.id}`, REPORT_LIMIT);
	if (!limit.allowed)
		throw new UserError('rate_limited', 'too many reports', {
			status: 429,
			retryAfterSeconds: limit.retryAfterSeconds
		});
	return db.transaction(async (tx) => {
		const { type, id } = subject;
		const provinceCode =
			type === 'startup'
				? await reportedStartupProvince(tx, id)
				: await reportedDemandProvince(tx, reporter, { type, id });
		await tx.insert(reports).values({
			subjectType: subject.type,
			subjectId: subject.id,
			provinceCode,
			reporterId: reporter.id,
			reason
		});
		await notify(
			tx,
			await officersOf(tx, provinceCode),
			'report_received',
			{ link: `/office/${provinceCode}/moderation`, reason },
			origin
		);
	});
}

/** The office that moderates a reported demand or offer: the demand's delivery province. */
async function reportedDemandProvince(
	tx: Tx,
	reporter: { organisationId: string | null },
	subject: { type: 'demand' | 'offer'; id: string }
): Promise<string> {
	const [demand] =
		subject.type === 'demand'
			? await tx.select().from(demands).where(eq(demands.id, subject.id))
			: await tx
					.select({ demands })
					.from(offers)
					.innerJoin(demands, eq(demands.id, offers.demandId))
					.where(eq(offers.id, subject.id))
					.then((rows) => rows.map((r) => r.demands));
	if (!demand || demand.status === 'draft') throw notFound(subject.type);
	if (subject.type === 'offer' && demand.buyerOrganisationId !== reporter.organisationId)
		throw notFound('offer');
	// "Anywhere in Thailand" demands are moderated by the administrators, who act for Bangkok.
	return demand.deliveryProvinceCode ?? 'TH-10';
}

/** A reported startup is one the public sees; its own province's office moderates it. */
async function reportedStartupProvince(tx: Tx, startupId: string): Promise<string> {
	const [startup] = await tx
		.select({ provinceCode: startups.provinceCode })
		.from(startups)
		.where(and(eq(startups.id, startupId), publicStartup));
	if (!startup) throw notFound('startup');
	return startup.provinceCode;
}

/**
 * The office upholds a report on an offer: the offer, if still pending, is withdrawn with the office's reason, the
 * startup and the buyer are told, and every open report on it is settled, on the record. An offer already decided
 * cannot be withdrawn (the report is then dismissed, or the startup's standing decided). Reports of another province
 * read as missing.
 */
export async function withdrawReportedOffer(
	db: Db,
	officer: { id: string; email: string },
	provinceCode: string,
	reportId: string,
	reason: string,
	origin: string
) {
	return db.transaction(async (tx) => {
		const [report] = await tx
			.select()
			.from(reports)
			.where(
				and(
					eq(reports.id, reportId),
					eq(reports.provinceCode, provinceCode),
					eq(reports.subjectType, 'offer')
				)
			)
			.for('update');
		if (!report) throw notFound('report');
		if (report.status !== 'open') throw new UserError('report_closed', 'already settled', { status: 409 });
		const [row] = await tx
			.select({ offer: offers, demand: demands, startup: startups })
			.from(offers)
			.innerJoin(demands, eq(demands.id, offers.demandId))
			.innerJoin(startups, eq(startups.id, offers.startupId))
			.where(eq(offers.id, report.subjectId))
			.for('update', { of: offers });
		if (!row) throw notFound('offer');
		if (row.offer.status !== 'pending')
			throw new UserError('offer_not_pending', `offer is ${row.offer.status}`, { status: 409 });
		await tx
			.update(offers)
			.set({ status: 'withdrawn', decidedAt: new Date() })
			.where(eq(offers.id, row.offer.id));
		await tx
			.update(reports)
			.set({ status: 'resolved', resolvedBy: officer.id, resolvedAt: new Date() })
			.where(
				and(eq(reports.status, 'open'), eq(reports.subjectType, 'offer'), eq(reports.subjectId, row.offer.id))
			);
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: 'offer.withdraw_reported',
			subjectType: 'offer',
			subjectId: row.offer.id,
			provinceCode,
			before: { status: 'pending', report: report.reason },
			after: { status: 'withdrawn', reason }
		});
		const payload = { ...demandTitled(row.demand), ...startupNamed(row.startup), reason };
		await notify(
			tx,
			await membersOf(tx, row.startup.organisationId),
			'offer_withdrawn_by_office',
			{ ...payload, link: `/demand/${row.demand.id}` },
			origin
		);
		await notify(
			tx,
			await membersOf(tx, row.demand.buyerOrganisationId),
			'offer_withdrawn_reported',
			{ ...payload, link: `/buyer/demands/${row.demand.id}` },
			origin
		);
	});
}

/**
 * Withdraws a startup's pending offers because its office suspended or revoked it, and tells each demand's buyer.
 * Accepted offers stand: a deal is a deal. Returns the withdrawn offers' ids, for the audit.
 */
export async function withdrawOffersOfStartup(
	tx: Tx,
	startup: { id: string; nameTh: string | null; nameEn: string | null },
	origin: string
): Promise<string[]> {
	const withdrawn = await tx
		.update(offers)
		.set({ status: 'withdrawn', decidedAt: new Date() })
		.where(and(eq(offers.startupId, startup.id), eq(offers.status, 'pending')))
		.returning({ id: offers.id, demandId: offers.demandId });
	for (const offer of withdrawn) {
		const demand = one(
			await tx.select().from(demands).where(eq(demands.id, offer.demandId)),
			'select from demands'
		);
		await notify(
			tx,
			await membersOf(tx, demand.buyerOrganisationId),
			'offer_withdrawn_suspended',
			{
				link: `/buyer/demands/${demand.id}`,
				...demandTitled(demand),
				...startupNamed(startup)
			},
			origin
		);
	}
	return withdrawn.map((o) => o.id);
}
