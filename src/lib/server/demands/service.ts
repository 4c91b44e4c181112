// A buyer's demand from draft to its end: open (published at once), closed by the buyer, fulfilled by accepted
// offers, expired (needed-by passed or offer cap reached), or hidden by the office of the delivery province.
// Every change writes a search-outbox row (and, where someone acts on the record, an audit event) in the same
// transaction.
import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import { pgErrorOf, PG } from '../db/errors';
import { demandCertifications, demands, offers, reports, startups } from '../db/schema';
import { recordAudit } from '../audit/record';
import type { Member } from '../auth/actor';
import { requireConfirmedEmail } from '../accounts/confirmed-email';
import { notFound, UserError } from '../errors';
import { membersOf, notify } from '../notifications/service';
import { hitRateLimit } from '../rate-limit';
import { enqueueSearchSync } from '../search/outbox';
import { todayInThailand, type DemandInput } from '$lib/schemas/demand';
import { asLeader } from '../leader';
import { repeatEvery } from '../background-jobs';
import { demandTitled } from '$lib/notifications';
import { one } from '../db/rows';

export type DemandRow = typeof demands.$inferSelect;

/** Posting limit per buyer organisation, against spam. */
export const POSTING_LIMIT = { limit: 20, windowMs: 24 * 60 * 60 * 1000 };

function audit(
	tx: Queryable,
	actor: { id: string | null; email: string },
	action: string,
	demand: DemandRow,
	after: unknown
) {
	return recordAudit(tx, {
		actorId: actor.id,
		actorLabel: actor.email,
		action,
		subjectType: 'demand',
		subjectId: demand.id,
		provinceCode: demand.deliveryProvinceCode,
		before: { status: demand.status },
		after
	});
}

function rethrowReference(error: unknown): never {
	if (pgErrorOf(error)?.code === PG.foreignKeyViolation)
		throw new UserError('invalid_value', 'unknown category, province or certification');
	throw error;
}

/** The buyer's own demand, locked; anyone else's reads as missing. */
export async function lockOwnDemand(tx: Tx, buyer: Member, demandId: string): Promise<DemandRow> {
	const [demand] = await tx.select().from(demands).where(eq(demands.id, demandId)).for('update');
	if (!demand || !buyer.organisationId || demand.buyerOrganisationId !== buyer.organisationId)
		throw notFound('demand');
	return demand;
}

async function writeCertifications(tx: Tx, demandId: string, ids: string[]) {
	await tx.delete(demandCertifications).where(eq(demandCertifications.demandId, demandId));
	if (ids.length > 0)
		await tx
			.insert(demandCertifications)
			.values(ids.map((certificationId) => ({ demandId, certificationId })));
}

const columns = (input: DemandInput) => ({
	titleTh: input.titleTh,
	titleEn: input.titleEn,
	detailsTh: input.detailsTh,
	detailsEn: input.detailsEn,
	divisionCode: input.divisionCode,
	quantity: input.quantity,
	unit: input.unit,
	recurrence: input.recurrence,
	priceThbMax: input.priceThbMax,
	deliveryProvinceCode: input.deliveryProvinceCode,
	neededBy: input.neededBy,
	maxOffers: input.maxOffers,
	verifiedOffersOnly: input.verifiedOffersOnly
});

/**
 * Stores a demand's attachment once the demand may be written (see demands/forms.ts); the path to keep, or
 * undefined for none.
 */
export type StoreAttachment = () => Promise<string | undefined>;

/** A new demand, saved as a draft or published at once. */
export async function createDemand(
	db: Db,
	buyer: Member,
	input: DemandInput,
	options: { publish: boolean; storeAttachment?: StoreAttachment }
): Promise<DemandRow> {
	if (!buyer.organisationId) throw notFound('demand');
	if (options.publish) await requireConfirmedEmail(db, buyer.id);
	const limit = await hitRateLimit(db, `demand-post:${buyer.organisationId}`, POSTING_LIMIT);
	if (!limit.allowed)
		throw new UserError('rate_limited', 'too many demands today', {
			status: 429,
			retryAfterSeconds: limit.retryAfterSeconds
		});
	// Only now, past the posting limit: a refused demand leaves no file behind.
	const attachmentPath = await options.storeAttachment?.();
	try {
		return await db.transaction(async (tx) => {
			const demand = one(
				await tx
					.insert(demands)
					.values({
						...columns(input),
						attachmentPath: attachmentPath ?? null,
						buyerOrganisationId: buyer.organisationId!,
						createdBy: buyer.id,
						status: options.publish ? 'open' : 'draft',
						publishedAt: options.publish ? new Date() : null,
						announcePending: options.publish === true
					})
					.returning(),
				'insert into demands'
			);
			await writeCertifications(tx, demand.id, input.certifications);
			await audit(
				tx,
				buyer,
				options.publish ? 'demand.publish' : 'demand.create',
				{ ...demand, status: 'draft' },
				{
					status: demand.status
				}
			);
			await enqueueSearchSync(tx, 'demand', [demand.id]);
			return demand;
		});
	} catch (error) {
		rethrowReference(error);
	}
}

/**
 * Edits are allowed while no startup has offered; after that the buyer closes and posts again. A new attachment
 * is stored only once the edit is allowed. Returns the demand and the attachment it replaced, if any.
 */
export async function updateDemand(
	db: Db,
	buyer: Member,
	demandId: string,
	input: DemandInput,
	storeAttachment?: StoreAttachment
) {
	try {
		return await db.transaction(async (tx) => {
			const demand = await lockOwnDemand(tx, buyer, demandId);
			if (demand.status !== 'draft' && demand.status !== 'open')
				throw new UserError('demand_not_editable', 'only drafts and open demands change');
			const offerCount = one(
				await tx
					.select({ n: sql<number>`count(*)::int` })
					.from(offers)
					.where(eq(offers.demandId, demandId)),
				'select from offers'
			);
			if (offerCount.n > 0) throw new UserError('demand_has_offers', 'offers exist: close and repost');
			const attachmentPath = await storeAttachment?.();
			const updated = one(
				await tx
					.update(demands)
					.set({ ...columns(input), ...(attachmentPath ? { attachmentPath } : {}) })
					.where(eq(demands.id, demandId))
					.returning(),
				'update of demands'
			);
			await writeCertifications(tx, demandId, input.certifications);
			await audit(tx, buyer, 'demand.update', demand, { status: updated.status });
			await enqueueSearchSync(tx, 'demand', [demandId]);
			return {
				demand: updated,
				replacedAttachment:
					attachmentPath && demand.attachmentPath !== attachmentPath ? demand.attachmentPath : null
			};
		});
	} catch (error) {
		rethrowReference(error);
	}
}

export async function publishDemand(db: Db, buyer: Member, demandId: string) {
	return db.transaction(async (tx) => {
		const demand = await lockOwnDemand(tx, buyer, demandId);
		if (demand.status !== 'draft') throw new UserError('demand_not_editable', 'only drafts are published');
		await requireConfirmedEmail(tx, buyer.id);
		if (demand.neededBy <= todayInThailand())
			throw new UserError('needed_by_future', 'needed-by has passed', { field: 'neededBy' });
		await tx
			.update(demands)
			.set({ status: 'open', publishedAt: new Date(), announcePending: true })
			.where(eq(demands.id, demandId));
		await audit(tx, buyer, 'demand.publish', demand, { status: 'open' });
		await enqueueSearchSync(tx, 'demand', [demandId]);
	});
}

/** The buyer withdraws the demand; offers still waiting are declined. */
export async function closeDemand(db: Db, buyer: Member, demandId: string, origin: string) {
	return db.transaction(async (tx) => {
		const demand = await lockOwnDemand(tx, buyer, demandId);
		if (!['draft', 'open', 'expired'].includes(demand.status))
			throw new UserError('demand_not_editable', 'already ended');
		await tx.update(demands).set({ status: 'closed', closedAt: new Date() }).where(eq(demands.id, demandId));
		await declinePending(tx, demand, 'demand_closed', origin);
		await audit(tx, buyer, 'demand.close', demand, { status: 'closed' });
		await enqueueSearchSync(tx, 'demand', [demandId]);
	});
}

/** Declines every pending offer on a demand that has ended, telling each startup. */
export async function declinePending(tx: Tx, demand: DemandRow, reason: string, origin: string) {
	const declined = await tx
		.update(offers)
		.set({ status: 'declined', declineReason: reason, decidedAt: new Date() })
		.where(and(eq(offers.demandId, demand.id), eq(offers.status, 'pending')))
		.returning();
	for (const offer of declined) {
		const startupOrganisation = await organisationOfStartup(tx, offer.startupId);
		await notify(
			tx,
			await membersOf(tx, startupOrganisation),
			'offer_declined',
			{ link: `/demand/${demand.id}`, ...demandTitled(demand), reason },
			origin
		);
	}
}

export async function organisationOfStartup(db: Queryable, startupId: string): Promise<string> {
	const row = one(
		await db
			.select({ organisationId: startups.organisationId })
			.from(startups)
			.where(eq(startups.id, startupId)),
		'select from startups'
	);
	return row.organisationId;
}

/**
 * Hides a demand (spam, abuse) by the office of its delivery province, or an admin for "anywhere"; the reason is
 * required and audited, and open reports about it are resolved.
 */
export async function hideDemand(
	db: Db,
	officer: { id: string; email: string; role: string; provinceCode: string | null },
	demandId: string,
	reason: string,
	origin: string
) {
	return db.transaction(async (tx) => {
		const [demand] = await tx.select().from(demands).where(eq(demands.id, demandId)).for('update');
		const mayModerate =
			demand &&
			(officer.role === 'admin' ||
				(demand.deliveryProvinceCode !== null && demand.deliveryProvinceCode === officer.provinceCode));
		if (!demand || !mayModerate) throw notFound('demand');
		if (demand.status === 'hidden') return;
		await tx.update(demands).set({ status: 'hidden', hiddenReason: reason }).where(eq(demands.id, demandId));
		// Reports on the demand and on its offers are settled by hiding it.
		const offerIds = tx.select({ id: offers.id }).from(offers).where(eq(offers.demandId, demandId));
		await tx
			.update(reports)
			.set({ status: 'resolved', resolvedBy: officer.id, resolvedAt: new Date() })
			.where(
				and(
					eq(reports.status, 'open'),
					or(
						and(eq(reports.subjectType, 'demand'), eq(reports.subjectId, demandId)),
						and(eq(reports.subjectType, 'offer'), inArray(reports.subjectId, offerIds))
					)
				)
			);
		await audit(tx, officer, 'demand.hide', demand, { status: 'hidden', reason });
		// The buyer learns why and what to do; the public still gets a plain 404.
		await notify(
			tx,
			await membersOf(tx, demand.buyerOrganisationId),
			'demand_hidden',
			{ link: `/buyer/demands/${demandId}`, ...demandTitled(demand), reason },
			origin
		);
		await enqueueSearchSync(tx, 'demand', [demandId]);
	});
}

/**
 * The office finds a report baseless and dismisses it, with an optional note, on the record. Reports of another
 * province read as missing.
 */
export async function dismissReport(
	db: Db,
	officer: { id: string; email: string; role: string; provinceCode: string | null },
	provinceCode: string,
	reportId: string,
	note: string | null
) {
	return db.transaction(async (tx) => {
		const [report] = await tx
			.select()
			.from(reports)
			.where(and(eq(reports.id, reportId), eq(reports.provinceCode, provinceCode)))
			.for('update');
		if (!report) throw notFound('report');
		if (report.status !== 'open') throw new UserError('report_closed', 'already settled', { status: 409 });
		await tx
			.update(reports)
			.set({ status: 'dismissed', resolvedBy: officer.id, resolvedAt: new Date() })
			.where(eq(reports.id, reportId));
		await recordAudit(tx, {
			actorId: officer.id,
			actorLabel: officer.email,
			action: 'report.dismiss',
			subjectType: report.subjectType,
			subjectId: report.subjectId,
			provinceCode,
			before: { status: 'open', reason: report.reason },
			after: { status: 'dismissed', note }
		});
	});
}

/**
 * The scheduled job: open demands whose needed-by date has passed, or whose live offers reached the cap, become
 * expired; buyers whose demand closes within 3 days are told once. Safe to run any number of times.
 */
export async function runDemandSchedule(db: Db, origin: string, now = new Date()) {
	const today = todayInThailand(now);
	return db.transaction(async (tx) => {
		const capped = tx
			.select({ id: offers.demandId })
			.from(offers)
			.where(inArray(offers.status, ['pending', 'accepted']))
			.groupBy(offers.demandId)
			.having(sql`count(*) >= (select max_offers from demands d where d.id = ${offers.demandId})`);
		const expired = await tx
			.update(demands)
			.set({ status: 'expired', closedAt: now })
			.where(
				and(eq(demands.status, 'open'), sql`(${demands.neededBy} <= ${today} or ${demands.id} in ${capped})`)
			)
			.returning({ id: demands.id });
		if (expired.length > 0)
			await enqueueSearchSync(
				tx,
				'demand',
				expired.map((d) => d.id)
			);
		const soon = new Date(now.getTime() + 3 * 24 * 60 * 60 * 1000);
		const closing = await tx
			.update(demands)
			.set({ closingNotifiedAt: now })
			.where(
				and(
					eq(demands.status, 'open'),
					isNull(demands.closingNotifiedAt),
					lte(demands.neededBy, todayInThailand(soon))
				)
			)
			.returning();
		for (const demand of closing) {
			await notify(
				tx,
				await membersOf(tx, demand.buyerOrganisationId),
				'demand_closing',
				{ link: `/buyer/demands/${demand.id}`, ...demandTitled(demand) },
				origin
			);
		}
		return { expired: expired.length, reminded: closing.length };
	});
}

/** Runs the schedule now and then every `intervalMs`, from the web server; on one node at a time (../leader.ts). */
export function startDemandSchedule(
	db: Db,
	origin: string,
	log: (message: string) => void,
	intervalMs = 15 * 60_000
) {
	return repeatEvery(
		'demand-schedule',
		intervalMs,
		async () => {
			await asLeader(db, 'demandSchedule', () => runDemandSchedule(db, origin));
		},
		(error) => log(`[demands] schedule failed: ${String(error)}`)
	);
}
