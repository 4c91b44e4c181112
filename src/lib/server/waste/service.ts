// The by-product exchange's rules (issue 23): a factory lists a lot, its province's office approves it; a receiver
// posts what it takes; either side proposes an agreement to a match and the other agrees; both work through the
// permit checklist; the sender records each transfer and the receiver confirms it. Every change is audited in the
// same transaction. The portal records the legal steps; it issues nothing.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import {
	materialWants,
	wasteAgreements,
	wasteLots,
	wastePermitSteps,
	wasteSettings,
	wasteTransfers
} from '../db/schema';
import { recordAudit } from '../audit/record';
import { pgErrorOf, PG } from '../db/errors';
import { notFound, UserError } from '../errors';
import { provinceDistanceKm } from '../provinces/distance';
import { compatibleCodes, licenceAllows, licenceClass, wasteCode } from './codes';
import {
	availableLotsWithCodes,
	openWantsAccepting,
	organisationProvince,
	transportRate,
	type MaterialWantRow,
	type WasteAgreementRow,
	type WasteLotRow
} from './queries';
import { scoreFit, type Exclusion, type WasteFit } from './score';
import { lotsNamedLike, wantsNamedLike } from './search';
import { isPaused, noteFailure, type Meilisearch } from '../search/client';
import { enqueueSearchSync } from '../search/outbox';
import { indexBehind } from '../matching/service';
import { todayInThailand } from '$lib/schemas/calendar-date';
import {
	materialWantSchema,
	isLotOnOffer,
	PERMIT_STEPS,
	WASTE_LOT_FIELDS,
	type MaterialWantInput,
	type PermitStepInput,
	type WasteLotInput,
	type WasteTransferInput
} from '$lib/schemas/waste';

/** Whoever acts: a member acts for their organisation, an officer for their province. */
export interface WasteActor {
	id: string;
	email: string;
	organisationId: string | null;
}

/**
 * The audit row of a change. Every change to a lot or a want is audited here, so this is also where it is queued
 * for the search index, in the same transaction (the outbox makes the index match the row, whatever changed).
 */
async function audit(
	tx: Queryable,
	actor: WasteActor,
	action: string,
	subject: { type: string; id: string; provinceCode: string | null },
	before: unknown,
	after: unknown
) {
	await recordAudit(tx, {
		actorId: actor.id,
		actorLabel: actor.email,
		action,
		subjectType: subject.type,
		subjectId: subject.id,
		provinceCode: subject.provinceCode,
		before,
		after
	});
	if (subject.type === 'waste_lot' || subject.type === 'material_want')
		await enqueueSearchSync(tx, subject.type, [subject.id]);
}

function rethrowReference(error: unknown): never {
	if (pgErrorOf(error)?.code === PG.foreignKeyViolation)
		throw new UserError('province_unknown', 'unknown province', { field: 'provinceCode' });
	throw error;
}

function checkedCode(code: string, field: string) {
	const entry = wasteCode(code);
	if (!entry) throw new UserError('waste_code_unknown', `no waste code ${code}`, { field });
	return entry;
}

function organisationOf(actor: WasteActor): string {
	if (!actor.organisationId) throw notFound('record');
	return actor.organisationId;
}

/** The fields of `after` that differ from `before`, each side of the change: what an edit's audit row keeps. */
function changes<K extends string>(
	before: Record<K, unknown>,
	after: Record<K, unknown>,
	keys: readonly K[]
) {
	const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
	return {
		changed,
		before: Object.fromEntries(changed.map((key) => [key, before[key]])),
		after: Object.fromEntries(changed.map((key) => [key, after[key]]))
	};
}

/** Pending proposals about a lot or a want that is taken off the exchange are withdrawn with it; agreed ones stay. */
export async function withdrawProposals(
	tx: Tx,
	about: { lotId: string } | { wantId: string }
): Promise<string[]> {
	const rows = await tx
		.update(wasteAgreements)
		.set({ status: 'withdrawn' })
		.where(
			and(
				eq(wasteAgreements.status, 'proposed'),
				'lotId' in about ? eq(wasteAgreements.lotId, about.lotId) : eq(wasteAgreements.wantId, about.wantId)
			)
		)
		.returning({ id: wasteAgreements.id });
	return rows.map((row) => row.id);
}

// ---------- lots ----------

/**
 * A lot lies in its organisation's province, whose office reviews it. Only an organisation registered without a
 * province says where its lot is; a province other than the organisation's is refused, never silently replaced.
 */
async function lotProvince(tx: Queryable, organisationId: string, sent: string | null): Promise<string> {
	const own = await organisationProvince(tx, organisationId);
	if (own && sent && sent !== own)
		throw new UserError('waste_lot_province', 'a lot lies in its organisation’s province', {
			field: 'provinceCode'
		});
	const province = own ?? sent;
	if (!province) throw new UserError('province_required', 'no province', { field: 'provinceCode' });
	return province;
}

/** A new lot, kept as a draft or sent to the province's office at once. */
export async function createLot(
	db: Db,
	actor: WasteActor,
	input: WasteLotInput,
	options: { submit: boolean }
): Promise<WasteLotRow> {
	const organisationId = organisationOf(actor);
	const code = checkedCode(input.wasteCode, 'wasteCode');
	try {
		return await db.transaction(async (tx) => {
			const now = new Date();
			const provinceCode = await lotProvince(tx, organisationId, input.provinceCode);
			const [lot] = await tx
				.insert(wasteLots)
				.values({
					...input,
					provinceCode,
					hazardous: code.hazardous,
					organisationId,
					createdBy: actor.id,
					status: options.submit ? 'submitted' : 'draft',
					submittedAt: options.submit ? now : null
				})
				.returning();
			await audit(
				tx,
				actor,
				options.submit ? 'waste_lot.submit' : 'waste_lot.create',
				{ type: 'waste_lot', id: lot!.id, provinceCode: lot!.provinceCode },
				null,
				{ status: lot!.status, wasteCode: lot!.wasteCode, quantityPerMonth: lot!.quantityPerMonth }
			);
			return lot!;
		});
	} catch (error) {
		rethrowReference(error);
	}
}

async function lockOwnLot(tx: Tx, actor: WasteActor, lotId: string): Promise<WasteLotRow> {
	const [lot] = await tx.select().from(wasteLots).where(eq(wasteLots.id, lotId)).for('update');
	if (!lot || lot.organisationId !== actor.organisationId) throw notFound('record');
	return lot;
}

/** The owner sends a draft, rejected or withdrawn lot to the office. */
export async function submitLot(db: Db, actor: WasteActor, lotId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const lot = await lockOwnLot(tx, actor, lotId);
		if (lot.status !== 'draft' && lot.status !== 'rejected' && lot.status !== 'withdrawn')
			throw new UserError('already_submitted', 'the lot is not a draft', { status: 409 });
		await tx
			.update(wasteLots)
			.set({ status: 'submitted', submittedAt: new Date(), rejectReason: null })
			.where(eq(wasteLots.id, lot.id));
		await audit(
			tx,
			actor,
			'waste_lot.submit',
			{ type: 'waste_lot', id: lot.id, provinceCode: lot.provinceCode },
			{ status: lot.status },
			{ status: 'submitted' }
		);
	});
}

/**
 * What the office reviewed: the names the public reads, what the material is (code, unit) and how it is handled
 * today (which decides whether a transfer counts as diverted from landfill). Changing any of these on an approved
 * lot sends it back to the office, off the exchange until approved again. Quantity, price and availability change
 * with the market and take effect at once.
 */
export const REVIEWED_LOT_FIELDS = [
	'nameTh',
	'nameEn',
	'wasteCode',
	'unit',
	'handling',
	'provinceCode'
] as const;

/** The owner edits a lot; says whether the change sent an approved lot back to review. */
export async function updateLot(
	db: Db,
	actor: WasteActor,
	lotId: string,
	input: WasteLotInput
): Promise<{ review: boolean }> {
	const code = checkedCode(input.wasteCode, 'wasteCode');
	try {
		return await db.transaction(async (tx) => {
			const lot = await lockOwnLot(tx, actor, lotId);
			// The form offers no province where the organisation has one: the lot stays where it lies (a lot
			// listed before lots followed their organisation's province is not moved by an edit of its price).
			const provinceCode = input.provinceCode
				? await lotProvince(tx, lot.organisationId, input.provinceCode)
				: lot.provinceCode;
			const next = { ...input, provinceCode };
			const diff = changes(lot, next, WASTE_LOT_FIELDS);
			if (diff.changed.length === 0) return { review: false };
			const review =
				lot.status === 'approved' &&
				diff.changed.some((key) => (REVIEWED_LOT_FIELDS as readonly string[]).includes(key));
			await tx
				.update(wasteLots)
				.set({
					...next,
					hazardous: code.hazardous,
					...(review ? { status: 'submitted' as const, submittedAt: new Date() } : {})
				})
				.where(eq(wasteLots.id, lot.id));
			// Back in review, the lot is off the exchange: proposals made for it as it was go, as on withdrawal.
			const proposals = review ? await withdrawProposals(tx, { lotId: lot.id }) : [];
			await audit(
				tx,
				actor,
				'waste_lot.update',
				{ type: 'waste_lot', id: lot.id, provinceCode },
				{ ...diff.before, status: lot.status },
				{
					...diff.after,
					status: review ? 'submitted' : lot.status,
					...(proposals.length ? { withdrawnProposals: proposals } : {})
				}
			);
			return { review };
		});
	} catch (error) {
		rethrowReference(error);
	}
}

/** The owner takes a lot off the exchange; its pending proposals go with it. It may be sent for review again. */
export async function withdrawLot(db: Db, actor: WasteActor, lotId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const lot = await lockOwnLot(tx, actor, lotId);
		if (lot.status === 'withdrawn')
			throw new UserError('waste_already_withdrawn', 'already withdrawn', { status: 409 });
		await tx.update(wasteLots).set({ status: 'withdrawn' }).where(eq(wasteLots.id, lot.id));
		const proposals = await withdrawProposals(tx, { lotId: lot.id });
		await audit(
			tx,
			actor,
			'waste_lot.withdraw',
			{ type: 'waste_lot', id: lot.id, provinceCode: lot.provinceCode },
			{ status: lot.status },
			{ status: 'withdrawn', withdrawnProposals: proposals }
		);
	});
}

/** The owner says whether the lot can be taken now; an unavailable lot is not matched. */
export async function setLotAvailability(db: Db, actor: WasteActor, lotId: string, available: boolean) {
	await db.transaction(async (tx) => {
		const lot = await lockOwnLot(tx, actor, lotId);
		await tx.update(wasteLots).set({ availableNow: available }).where(eq(wasteLots.id, lot.id));
		await audit(
			tx,
			actor,
			'waste_lot.availability',
			{ type: 'waste_lot', id: lot.id, provinceCode: lot.provinceCode },
			{ availableNow: lot.availableNow },
			{ availableNow: available }
		);
	});
}

/** The office of the lot's province approves it (public from then on) or sends it back with a reason. */
export async function reviewLot(
	db: Db,
	officer: WasteActor,
	provinceCode: string,
	lotId: string,
	review: { decision: 'approve' | 'reject'; reason: string | null }
): Promise<void> {
	await db.transaction(async (tx) => {
		const [lot] = await tx.select().from(wasteLots).where(eq(wasteLots.id, lotId)).for('update');
		if (!lot || lot.provinceCode !== provinceCode) throw notFound('record');
		if (lot.status !== 'submitted')
			throw new UserError('not_in_queue', 'the lot is not waiting for review', { status: 409 });
		const approve = review.decision === 'approve';
		await tx
			.update(wasteLots)
			.set(
				approve
					? { status: 'approved', approvedAt: new Date(), rejectReason: null }
					: { status: 'rejected', rejectReason: review.reason }
			)
			.where(eq(wasteLots.id, lot.id));
		await audit(
			tx,
			officer,
			approve ? 'waste_lot.approve' : 'waste_lot.reject',
			{ type: 'waste_lot', id: lot.id, provinceCode: lot.provinceCode },
			{ status: lot.status },
			{ status: approve ? 'approved' : 'rejected', reason: review.reason }
		);
	});
}

// ---------- wants ----------

export async function createWant(
	db: Db,
	actor: WasteActor,
	input: MaterialWantInput
): Promise<MaterialWantRow> {
	const organisationId = organisationOf(actor);
	checkWantReferences(input);
	try {
		return await db.transaction(async (tx) => {
			const [want] = await tx
				.insert(materialWants)
				.values({ ...input, organisationId, createdBy: actor.id })
				.returning();
			await audit(
				tx,
				actor,
				'material_want.create',
				{ type: 'material_want', id: want!.id, provinceCode: want!.provinceCode },
				null,
				{ wasteCodes: want!.wasteCodes, maxDistanceKm: want!.maxDistanceKm }
			);
			return want!;
		});
	} catch (error) {
		rethrowReference(error);
	}
}

async function lockOwnOpenWant(tx: Tx, actor: WasteActor, wantId: string): Promise<MaterialWantRow> {
	const [want] = await tx.select().from(materialWants).where(eq(materialWants.id, wantId)).for('update');
	if (!want || want.organisationId !== actor.organisationId) throw notFound('record');
	// A closed want is history: closing it again or editing it would record a change that did not happen.
	if (want.status !== 'open') throw new UserError('waste_want_closed', 'the want is closed', { status: 409 });
	return want;
}

const WANT_FIELDS = Object.keys(materialWantSchema.shape) as (keyof MaterialWantInput)[];

/** The codes and licence class a want names must be on the reference lists. */
function checkWantReferences(input: MaterialWantInput) {
	for (const code of input.wasteCodes) checkedCode(code, 'wasteCodes');
	if (input.licenceClass && !licenceClass(input.licenceClass))
		throw new UserError('licence_class_unknown', 'no such licence class', { field: 'licenceClass' });
}

/** The owner edits an open want; wants are not reviewed, so the change is matched at once. */
export async function updateWant(
	db: Db,
	actor: WasteActor,
	wantId: string,
	input: MaterialWantInput
): Promise<void> {
	checkWantReferences(input);
	try {
		await db.transaction(async (tx) => {
			const want = await lockOwnOpenWant(tx, actor, wantId);
			const diff = changes(want, input, WANT_FIELDS);
			if (diff.changed.length === 0) return;
			await tx.update(materialWants).set(input).where(eq(materialWants.id, want.id));
			await audit(
				tx,
				actor,
				'material_want.update',
				{ type: 'material_want', id: want.id, provinceCode: input.provinceCode },
				diff.before,
				diff.after
			);
		});
	} catch (error) {
		rethrowReference(error);
	}
}

/** The owner closes (withdraws) an open want, once: its pending proposals go with it; agreed ones stay. */
export async function closeWant(db: Db, actor: WasteActor, wantId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const want = await lockOwnOpenWant(tx, actor, wantId);
		await tx.update(materialWants).set({ status: 'closed' }).where(eq(materialWants.id, want.id));
		const proposals = await withdrawProposals(tx, { wantId: want.id });
		await audit(
			tx,
			actor,
			'material_want.close',
			{ type: 'material_want', id: want.id, provinceCode: want.provinceCode },
			{ status: want.status },
			{ status: 'closed', withdrawnProposals: proposals }
		);
	});
}

// ---------- matching ----------

export interface WasteMatch extends WasteFit {
	lot: WasteLotRow;
	want: MaterialWantRow;
	/** The other side's organisation. */
	organisationName: string;
}

function fitOf(
	lot: WasteLotRow,
	want: MaterialWantRow,
	rate: number,
	namesShareWords = false
): WasteFit | { excluded: Exclusion } {
	const distance = provinceDistanceKm(lot.provinceCode, want.provinceCode);
	if (distance === null) return { excluded: 'distance' };
	return scoreFit(lot, want, distance, rate, namesShareWords);
}

const namesOf = (record: { nameTh: string | null; nameEn: string | null }) =>
	[record.nameTh, record.nameEn].filter(Boolean).join(' ');

/**
 * Which candidates' names share words with the record's, from Meilisearch when it is given, reachable and not
 * behind its outbox (it segments Thai); none else. Postgres alone decides which records are candidates.
 */
async function namedLike(
	db: Queryable,
	search: Meilisearch | null,
	entity: 'waste_lot' | 'material_want',
	ask: (search: Meilisearch) => Promise<Set<string>>
): Promise<Set<string>> {
	if (!search || isPaused(search) || (await indexBehind(db, entity))) return new Set();
	try {
		return await ask(search);
	} catch (error) {
		noteFailure(search, error);
		return new Set();
	}
}

const byScore = (a: WasteMatch, b: WasteMatch) => b.score - a.score || a.distanceKm - b.distanceKm;

/** One candidate of a match, whichever side asked: the pair it would make and the other side's organisation. */
interface Candidate {
	/** The candidate's own id (a want's when a lot asks, a lot's when a want asks). */
	id: string;
	lot: WasteLotRow;
	want: MaterialWantRow;
	organisationName: string;
}

/**
 * The one way both directions rank: the candidates Postgres found, each scored at the admin's transport rate with
 * whether Meilisearch found its name close to the asker's, those the rules exclude dropped, best first.
 */
async function ranked(
	db: Queryable,
	search: Meilisearch | null,
	entity: 'waste_lot' | 'material_want',
	candidates: Promise<Candidate[]>,
	ask: (search: Meilisearch) => Promise<Set<string>>
): Promise<WasteMatch[]> {
	const [rate, rows, textIds] = await Promise.all([
		transportRate(db),
		candidates,
		namedLike(db, search, entity, ask)
	]);
	return rows
		.flatMap(({ id, lot, want, organisationName }) => {
			const fit = fitOf(lot, want, rate, textIds.has(id));
			return 'excluded' in fit ? [] : [{ ...fit, lot, want, organisationName }];
		})
		.sort(byScore);
}

/** The receivers a lot fits, best first; only the lot's owner asks, and only once the office approved it. */
export async function matchesForLot(
	db: Queryable,
	actor: WasteActor,
	lot: WasteLotRow,
	search: Meilisearch | null = null
): Promise<WasteMatch[]> {
	if (lot.organisationId !== actor.organisationId) throw notFound('record');
	return lotMatches(db, lot, search);
}

/** The receivers a lot fits, for whoever is allowed to ask (its owner, the operator's CLI). */
export async function lotMatches(
	db: Queryable,
	lot: WasteLotRow,
	search: Meilisearch | null = null
): Promise<WasteMatch[]> {
	if (lot.status !== 'approved') return [];
	const codes = compatibleCodes(lot.wasteCode);
	const wants = openWantsAccepting(db, codes, lot.organisationId).then((rows) =>
		rows.map(({ want, organisationName }) => ({ id: want.id, lot, want, organisationName }))
	);
	return ranked(db, search, 'material_want', wants, (client) =>
		wantsNamedLike(client, codes, lot.organisationId, namesOf(lot))
	);
}

/** The available lots a want fits, best first; only the want's owner asks. */
export async function matchesForWant(
	db: Queryable,
	actor: WasteActor,
	want: MaterialWantRow,
	search: Meilisearch | null = null
): Promise<WasteMatch[]> {
	if (want.organisationId !== actor.organisationId) throw notFound('record');
	return wantMatches(db, want, search);
}

/** The available lots a want fits, for whoever is allowed to ask (its owner, the operator's CLI). */
export async function wantMatches(
	db: Queryable,
	want: MaterialWantRow,
	search: Meilisearch | null = null
): Promise<WasteMatch[]> {
	if (want.status !== 'open') return [];
	const codes = [...new Set(want.wasteCodes.flatMap(compatibleCodes))];
	const lots = availableLotsWithCodes(db, codes, want.organisationId).then((rows) =>
		rows.map(({ lot, organisationName }) => ({ id: lot.id, lot, want, organisationName }))
	);
	return ranked(db, search, 'waste_lot', lots, (client) =>
		lotsNamedLike(client, codes, want.organisationId, namesOf(want))
	);
}

// ---------- agreements ----------

/** Either side proposes moving the lot to the want; the rules are checked again, not trusted from the page. */
export async function proposeAgreement(
	db: Db,
	actor: WasteActor,
	lotId: string,
	wantId: string
): Promise<WasteAgreementRow> {
	const organisationId = organisationOf(actor);
	try {
		return await db.transaction(async (tx) => {
			const [lot] = await tx.select().from(wasteLots).where(eq(wasteLots.id, lotId)).for('share');
			const [want] = await tx.select().from(materialWants).where(eq(materialWants.id, wantId)).for('share');
			if (!lot || !want) throw notFound('record');
			const party = lot.organisationId === organisationId || want.organisationId === organisationId;
			if (!party || lot.organisationId === want.organisationId) throw notFound('record');
			// Another factory's lot that is not public reads as missing, not as "not available".
			if (lot.organisationId !== organisationId && lot.status !== 'approved') throw notFound('record');
			const fit = await transferable(tx, lot, want);
			const [agreement] = await tx
				.insert(wasteAgreements)
				.values({ lotId, wantId, proposedByOrganisationId: organisationId, distanceKm: fit.distanceKm })
				.returning();
			await audit(
				tx,
				actor,
				'waste_agreement.propose',
				{ type: 'waste_agreement', id: agreement!.id, provinceCode: lot.provinceCode },
				null,
				{ lotId, wantId, distanceKm: fit.distanceKm, score: fit.score }
			);
			return agreement!;
		});
	} catch (error) {
		if (pgErrorOf(error)?.code === PG.uniqueViolation)
			throw new UserError('waste_agreement_exists', 'already proposed', { status: 409 });
		throw error;
	}
}

interface LockedAgreement {
	agreement: WasteAgreementRow;
	lot: WasteLotRow;
	want: MaterialWantRow;
	side: 'sender' | 'receiver';
}

/**
 * Whether a lot can go to a want now: the lot approved and on offer, the want open, and the pair still fitting
 * (codes, licence, distance). Checked when a transfer is proposed and again when it is agreed, since either side
 * may have changed in between.
 */
async function transferable(
	tx: Tx,
	lot: typeof wasteLots.$inferSelect,
	want: typeof materialWants.$inferSelect
) {
	if (!isLotOnOffer(lot, todayInThailand()) || want.status !== 'open')
		throw new UserError('waste_not_available', 'the lot or the want is no longer open', { status: 409 });
	const fit = fitOf(lot, want, await transportRate(tx));
	if ('excluded' in fit)
		throw new UserError(`waste_excluded_${fit.excluded}`, 'the lot does not fit the want', { status: 409 });
	return fit;
}

/** The agreement, locked, with the actor's side; anyone who is not a party reads it as missing. */
async function lockAgreement(tx: Tx, actor: WasteActor, agreementId: string): Promise<LockedAgreement> {
	const [agreement] = await tx
		.select()
		.from(wasteAgreements)
		.where(eq(wasteAgreements.id, agreementId))
		.for('update');
	if (!agreement) throw notFound('record');
	const [lot] = await tx.select().from(wasteLots).where(eq(wasteLots.id, agreement.lotId));
	const [want] = await tx.select().from(materialWants).where(eq(materialWants.id, agreement.wantId));
	if (!actor.organisationId || !lot || !want) throw notFound('record');
	if (lot.organisationId === actor.organisationId) return { agreement, lot, want, side: 'sender' };
	if (want.organisationId === actor.organisationId) return { agreement, lot, want, side: 'receiver' };
	throw notFound('record');
}

/** The side that did not propose agrees or declines; agreeing opens the permit checklist. */
export async function decideAgreement(
	db: Db,
	actor: WasteActor,
	agreementId: string,
	decision: 'agree' | 'decline'
): Promise<void> {
	await db.transaction(async (tx) => {
		const { agreement, lot, want } = await lockAgreement(tx, actor, agreementId);
		if (agreement.status !== 'proposed')
			throw new UserError('waste_agreement_decided', 'already decided', { status: 409 });
		if (agreement.proposedByOrganisationId === actor.organisationId)
			throw new UserError('waste_agreement_own', 'the other side decides', { status: 403 });
		const agreed = decision === 'agree';
		if (agreed) await transferable(tx, lot, want);
		await tx
			.update(wasteAgreements)
			.set({ status: agreed ? 'agreed' : 'declined', agreedAt: agreed ? new Date() : null })
			.where(eq(wasteAgreements.id, agreement.id));
		if (agreed)
			await tx.insert(wastePermitSteps).values(
				PERMIT_STEPS.map((step, position) => ({
					agreementId: agreement.id,
					step,
					position,
					// A manifest is the law's for hazardous waste; for the rest the parties may still keep one.
					status:
						step === 'transport_manifest' && !lot.hazardous ? ('not_needed' as const) : ('todo' as const)
				}))
			);
		await audit(
			tx,
			actor,
			agreed ? 'waste_agreement.agree' : 'waste_agreement.decline',
			{ type: 'waste_agreement', id: agreement.id, provinceCode: lot.provinceCode },
			{ status: agreement.status },
			{ status: agreed ? 'agreed' : 'declined' }
		);
	});
}

/** The side that proposed takes the proposal back while it is still unanswered. */
export async function withdrawAgreement(db: Db, actor: WasteActor, agreementId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const { agreement, lot } = await lockAgreement(tx, actor, agreementId);
		if (agreement.status !== 'proposed')
			throw new UserError('waste_agreement_decided', 'already decided', { status: 409 });
		if (agreement.proposedByOrganisationId !== actor.organisationId)
			throw new UserError('not_allowed', 'the side that proposed withdraws', { status: 403 });
		await tx.update(wasteAgreements).set({ status: 'withdrawn' }).where(eq(wasteAgreements.id, agreement.id));
		await audit(
			tx,
			actor,
			'waste_agreement.withdraw',
			{ type: 'waste_agreement', id: agreement.id, provinceCode: lot.provinceCode },
			{ status: agreement.status },
			{ status: 'withdrawn' }
		);
	});
}

/** Either side records a checklist step's status and its permit or manifest number. */
export async function updatePermitStep(
	db: Db,
	actor: WasteActor,
	agreementId: string,
	input: PermitStepInput
): Promise<void> {
	await db.transaction(async (tx) => {
		const { agreement, lot } = await lockAgreement(tx, actor, agreementId);
		if (agreement.status !== 'agreed')
			throw new UserError('waste_agreement_not_agreed', 'not agreed yet', { status: 409 });
		if (input.status === 'not_needed' && input.step === 'transport_manifest' && lot.hazardous)
			throw new UserError('manifest_required', 'hazardous waste travels with a manifest', {
				field: 'status'
			});
		if (input.status === 'not_needed' && input.step === 'removal_permit')
			throw new UserError('permit_required', 'taking waste out of a factory needs permission', {
				field: 'status'
			});
		const [before] = await tx
			.update(wastePermitSteps)
			.set({ status: input.status, reference: input.reference, updatedBy: actor.id, updatedAt: new Date() })
			.where(and(eq(wastePermitSteps.agreementId, agreement.id), eq(wastePermitSteps.step, input.step)))
			.returning();
		if (!before) throw notFound('record');
		await audit(
			tx,
			actor,
			'waste_agreement.step',
			{ type: 'waste_agreement', id: agreement.id, provinceCode: lot.provinceCode },
			null,
			{ step: input.step, status: input.status, reference: input.reference }
		);
	});
}

/** The sender records a load that moved, once every checklist step is done (or not needed). */
export async function recordTransfer(
	db: Db,
	actor: WasteActor,
	agreementId: string,
	input: WasteTransferInput
): Promise<void> {
	await db.transaction(async (tx) => {
		const { agreement, lot, want, side } = await lockAgreement(tx, actor, agreementId);
		if (side !== 'sender')
			throw new UserError('not_allowed', 'the sender records transfers', { status: 403 });
		if (agreement.status !== 'agreed')
			throw new UserError('waste_agreement_not_agreed', 'not agreed yet', { status: 409 });
		const open = await tx
			.select({ step: wastePermitSteps.step })
			.from(wastePermitSteps)
			.where(and(eq(wastePermitSteps.agreementId, agreement.id), eq(wastePermitSteps.status, 'todo')));
		if (open.length > 0) throw new UserError('checklist_incomplete', 'steps remain', { status: 409 });
		if (lot.hazardous && !licenceAllows(true, want.licenceClass))
			throw new UserError('waste_excluded_licence', 'the receiver holds no licence for it', { status: 409 });
		const [transfer] = await tx
			.insert(wasteTransfers)
			.values({
				agreementId: agreement.id,
				transferredOn: input.transferredOn,
				quantity: input.quantity,
				unit: lot.unit,
				receiverLicence: input.receiverLicence ?? want.licenceNumber,
				valueThb: input.valueThb,
				recordedBy: actor.id
			})
			.returning();
		await audit(
			tx,
			actor,
			'waste_transfer.record',
			{ type: 'waste_agreement', id: agreement.id, provinceCode: lot.provinceCode },
			null,
			{ transferId: transfer!.id, quantity: input.quantity, unit: lot.unit, on: input.transferredOn }
		);
	});
}

/** The receiver confirms a recorded transfer; only confirmed ones count in the figures. */
export async function confirmTransfer(
	db: Db,
	actor: WasteActor,
	agreementId: string,
	transferId: string
): Promise<void> {
	await db.transaction(async (tx) => {
		const { agreement, lot, side } = await lockAgreement(tx, actor, agreementId);
		if (side !== 'receiver')
			throw new UserError('not_allowed', 'the receiver confirms transfers', { status: 403 });
		const confirmed = await tx
			.update(wasteTransfers)
			.set({ status: 'confirmed', confirmedBy: actor.id, confirmedAt: new Date() })
			.where(
				and(
					eq(wasteTransfers.id, transferId),
					eq(wasteTransfers.agreementId, agreement.id),
					eq(wasteTransfers.status, 'recorded')
				)
			)
			.returning({ id: wasteTransfers.id });
		if (confirmed.length === 0) throw notFound('record');
		await audit(
			tx,
			actor,
			'waste_transfer.confirm',
			{ type: 'waste_agreement', id: agreement.id, provinceCode: lot.provinceCode },
			{ status: 'recorded' },
			{ transferId, status: 'confirmed' }
		);
	});
}

// ---------- settings ----------

/** The administrator sets the transport cost per tonne-kilometre used in match estimates. */
export async function setTransportRate(db: Db, admin: WasteActor, rate: number): Promise<void> {
	await db.transaction(async (tx) => {
		const before = await transportRate(tx);
		await tx
			.insert(wasteSettings)
			.values({ id: 1, transportThbPerTonneKm: rate, updatedBy: admin.id })
			.onConflictDoUpdate({
				target: wasteSettings.id,
				set: { transportThbPerTonneKm: rate, updatedBy: admin.id, updatedAt: sql`now()` }
			});
		await audit(
			tx,
			admin,
			'waste_settings.rate',
			{ type: 'waste_settings', id: '1', provinceCode: null },
			{
				rate: before
			},
			{ rate }
		);
	});
}
