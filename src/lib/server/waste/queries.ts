// Reading lots, wants, agreements and the waste figures (drizzle only; the rules are in service.ts).
import {
	aliasedTable,
	and,
	arrayOverlaps,
	asc,
	desc,
	eq,
	gte,
	inArray,
	isNull,
	ne,
	or,
	sql
} from 'drizzle-orm';
import type { Queryable } from '../db';
import { isUuid } from '../text';
import {
	materialWants,
	organisations,
	wasteAgreements,
	wasteLots,
	wastePermitSteps,
	wasteSettings,
	wasteTransfers
} from '../db/schema';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { DIVERTED_HANDLINGS } from '$lib/schemas/waste';

export type WasteLotRow = typeof wasteLots.$inferSelect;
export type MaterialWantRow = typeof materialWants.$inferSelect;
export type WasteAgreementRow = typeof wasteAgreements.$inferSelect;
export type PermitStepRow = typeof wastePermitSteps.$inferSelect;
export type WasteTransferRow = typeof wasteTransfers.$inferSelect;

/** Baht per tonne-kilometre when the administrator has not set one: a typical six-wheel truck rate. */
export const DEFAULT_TRANSPORT_RATE = 3;

export async function transportRate(db: Queryable): Promise<number> {
	const [row] = await db
		.select({ rate: wasteSettings.transportThbPerTonneKm })
		.from(wasteSettings)
		.where(eq(wasteSettings.id, 1));
	return row?.rate ?? DEFAULT_TRANSPORT_RATE;
}

export async function lotById(db: Queryable, id: string): Promise<WasteLotRow | undefined> {
	const [row] = await db.select().from(wasteLots).where(eq(wasteLots.id, id));
	return row;
}

export async function wantById(db: Queryable, id: string): Promise<MaterialWantRow | undefined> {
	const [row] = await db.select().from(materialWants).where(eq(materialWants.id, id));
	return row;
}

export function lotsOfOrganisation(db: Queryable, organisationId: string) {
	return db
		.select()
		.from(wasteLots)
		.where(eq(wasteLots.organisationId, organisationId))
		.orderBy(desc(wasteLots.createdAt));
}

export function wantsOfOrganisation(db: Queryable, organisationId: string) {
	return db
		.select()
		.from(materialWants)
		.where(eq(materialWants.organisationId, organisationId))
		.orderBy(desc(materialWants.createdAt));
}

/** Open wants of other organisations accepting any of `codes` (the lot's compatible codes). */
export function openWantsAccepting(db: Queryable, codes: string[], notOrganisation: string) {
	return db
		.select({ want: materialWants, organisationName: organisations.name })
		.from(materialWants)
		.innerJoin(organisations, eq(organisations.id, materialWants.organisationId))
		.where(
			and(
				eq(materialWants.status, 'open'),
				ne(materialWants.organisationId, notOrganisation),
				arrayOverlaps(materialWants.wasteCodes, codes)
			)
		);
}

/** SQL twin of isLotOnOffer: approved, marked available, and its last day (if any) not before `today`. */
export const lotOnOffer = (today: string) =>
	and(
		eq(wasteLots.status, 'approved'),
		eq(wasteLots.availableNow, true),
		or(isNull(wasteLots.availableUntil), gte(wasteLots.availableUntil, today))
	);

/** Lots on offer today, of other organisations, with any of `codes`. */
export function availableLotsWithCodes(db: Queryable, codes: string[], notOrganisation: string) {
	return db
		.select({ lot: wasteLots, organisationName: organisations.name })
		.from(wasteLots)
		.innerJoin(organisations, eq(organisations.id, wasteLots.organisationId))
		.where(
			and(
				lotOnOffer(todayInThailand()),
				ne(wasteLots.organisationId, notOrganisation),
				inArray(wasteLots.wasteCode, codes)
			)
		);
}

/** The province an organisation is registered in: where its by-products are reviewed and listed. */
export async function organisationProvince(db: Queryable, organisationId: string): Promise<string | null> {
	const [row] = await db
		.select({ provinceCode: organisations.provinceCode })
		.from(organisations)
		.where(eq(organisations.id, organisationId));
	return row?.provinceCode ?? null;
}

const senders = aliasedTable(organisations, 'senders');
const receivers = aliasedTable(organisations, 'receivers');

/** An agreement with its lot, want and both organisations' names. */
export async function agreementView(db: Queryable, id: string) {
	const [row] = await db
		.select({
			agreement: wasteAgreements,
			lot: wasteLots,
			want: materialWants,
			senderName: senders.name,
			receiverName: receivers.name
		})
		.from(wasteAgreements)
		.innerJoin(wasteLots, eq(wasteLots.id, wasteAgreements.lotId))
		.innerJoin(materialWants, eq(materialWants.id, wasteAgreements.wantId))
		.innerJoin(senders, eq(senders.id, wasteLots.organisationId))
		.innerJoin(receivers, eq(receivers.id, materialWants.organisationId))
		.where(eq(wasteAgreements.id, id));
	if (!row) return undefined;
	const [steps, transfers] = await Promise.all([
		db
			.select()
			.from(wastePermitSteps)
			.where(eq(wastePermitSteps.agreementId, id))
			.orderBy(asc(wastePermitSteps.position)),
		db
			.select()
			.from(wasteTransfers)
			.where(eq(wasteTransfers.agreementId, id))
			.orderBy(desc(wasteTransfers.transferredOn), desc(wasteTransfers.createdAt))
	]);
	return { ...row, steps, transfers };
}

/**
 * The agreements an organisation is a party to (all, or those about one of its lots or wants), newest first,
 * with both parties' names and what each side has to do next.
 */
export function agreementsOfOrganisation(
	db: Queryable,
	organisationId: string,
	about: { lotId?: string; wantId?: string } = {}
) {
	return db
		.select({
			id: wasteAgreements.id,
			lotId: wasteAgreements.lotId,
			wantId: wasteAgreements.wantId,
			status: wasteAgreements.status,
			proposedBy: wasteAgreements.proposedByOrganisationId,
			lotNameTh: wasteLots.nameTh,
			lotNameEn: wasteLots.nameEn,
			senderId: wasteLots.organisationId,
			senderName: senders.name,
			receiverName: receivers.name,
			openSteps: sql<number>`(select count(*)::int from ${wastePermitSteps}
				where ${wastePermitSteps.agreementId} = ${wasteAgreements.id} and ${wastePermitSteps.status} = 'todo')`,
			unconfirmed: sql<number>`(select count(*)::int from ${wasteTransfers}
				where ${wasteTransfers.agreementId} = ${wasteAgreements.id} and ${wasteTransfers.status} = 'recorded')`
		})
		.from(wasteAgreements)
		.innerJoin(wasteLots, eq(wasteLots.id, wasteAgreements.lotId))
		.innerJoin(materialWants, eq(materialWants.id, wasteAgreements.wantId))
		.innerJoin(senders, eq(senders.id, wasteLots.organisationId))
		.innerJoin(receivers, eq(receivers.id, materialWants.organisationId))
		.where(
			and(
				or(eq(wasteLots.organisationId, organisationId), eq(materialWants.organisationId, organisationId)),
				about.lotId ? eq(wasteAgreements.lotId, about.lotId) : undefined,
				about.wantId ? eq(wasteAgreements.wantId, about.wantId) : undefined
			)
		)
		.orderBy(desc(wasteAgreements.updatedAt));
}

/** Lots waiting for the province's office. */
export function submittedLotsOfProvince(db: Queryable, provinceCode: string) {
	return db
		.select({ lot: wasteLots, organisationName: organisations.name })
		.from(wasteLots)
		.innerJoin(organisations, eq(organisations.id, wasteLots.organisationId))
		.where(and(eq(wasteLots.provinceCode, provinceCode), eq(wasteLots.status, 'submitted')))
		.orderBy(asc(wasteLots.submittedAt));
}

/** What anyone may read of an approved lot: the public list's and the public search's columns. */
export const PUBLIC_LOT_COLUMNS = {
	id: wasteLots.id,
	nameTh: wasteLots.nameTh,
	nameEn: wasteLots.nameEn,
	wasteCode: wasteLots.wasteCode,
	hazardous: wasteLots.hazardous,
	quantityPerMonth: wasteLots.quantityPerMonth,
	unit: wasteLots.unit,
	provinceCode: wasteLots.provinceCode,
	handling: wasteLots.handling,
	priceThb: wasteLots.priceThb,
	availableNow: wasteLots.availableNow,
	availableUntil: wasteLots.availableUntil
};

/** Approved lots anyone may see, optionally of one province, largest first. */
export function publicLots(db: Queryable, provinceCode?: string, limit = 50) {
	return db
		.select(PUBLIC_LOT_COLUMNS)
		.from(wasteLots)
		.where(
			and(
				eq(wasteLots.status, 'approved'),
				provinceCode ? eq(wasteLots.provinceCode, provinceCode) : undefined
			)
		)
		.orderBy(desc(wasteLots.approvedAt))
		.limit(limit);
}

const TONNES = (quantity: unknown, unit: unknown) =>
	sql`case ${unit} when 'tonne' then ${quantity} when 'kg' then ${quantity} / 1000.0 else 0 end`;

export interface WasteProvinceFigures {
	provinceCode: string;
	/** Confirmed transfers of lots that went to landfill or incineration, in tonnes. */
	divertedTonnes: number;
	/** Sum of confirmed transfers' values in baht (what changed hands, either way). */
	valueThb: number;
	transfers: number;
	/** Approved lots available now that no live agreement has taken. */
	unclaimedLots: number;
	unclaimedTonnesPerMonth: number;
}

/** The figures per province of the lot (sender); provinces with none are left out. */
export async function wasteFiguresByProvince(db: Queryable): Promise<WasteProvinceFigures[]> {
	const diverted = sql.join(
		DIVERTED_HANDLINGS.map((handling) => sql`${handling}`),
		sql`, `
	);
	const rows = await db.execute<{
		province_code: string;
		diverted_tonnes: string;
		value_thb: string;
		transfers: number;
		unclaimed_lots: number;
		unclaimed_tonnes: string;
	}>(sql`
		with moved as (
			select l.province_code,
				sum(case when l.handling::text in (${diverted}) then ${TONNES(sql`t.quantity`, sql`t.unit`)} else 0 end) as diverted_tonnes,
				coalesce(sum(t.value_thb), 0) as value_thb,
				count(*)::int as transfers
			from ${wasteTransfers} t
			join ${wasteAgreements} a on a.id = t.agreement_id
			join ${wasteLots} l on l.id = a.lot_id
			where t.status = 'confirmed'
			group by l.province_code
		), unclaimed as (
			select l.province_code, count(*)::int as unclaimed_lots,
				sum(${TONNES(sql`l.quantity_per_month`, sql`l.unit`)}) as unclaimed_tonnes
			from ${wasteLots} l
			where l.status = 'approved' and l.available_now
				and (l.available_until is null or l.available_until >= ${todayInThailand()})
				and not exists (select 1 from ${wasteAgreements} a where a.lot_id = l.id and a.status = 'agreed')
			group by l.province_code
		)
		select coalesce(m.province_code, u.province_code) as province_code,
			coalesce(m.diverted_tonnes, 0) as diverted_tonnes, coalesce(m.value_thb, 0) as value_thb,
			coalesce(m.transfers, 0) as transfers, coalesce(u.unclaimed_lots, 0) as unclaimed_lots,
			coalesce(u.unclaimed_tonnes, 0) as unclaimed_tonnes
		from moved m full join unclaimed u on u.province_code = m.province_code
		order by 1`);
	return [...rows].map((row) => ({
		provinceCode: row.province_code,
		divertedTonnes: Number(row.diverted_tonnes),
		valueThb: Number(row.value_thb),
		transfers: row.transfers,
		unclaimedLots: row.unclaimed_lots,
		unclaimedTonnesPerMonth: Number(row.unclaimed_tonnes)
	}));
}

/** The province rows and their sum: what the public page, the market page and the CSV show. */
export async function wasteFigures(db: Queryable) {
	const provinces = await wasteFiguresByProvince(db);
	const total = provinces.reduce(
		(sum, row) => ({
			divertedTonnes: sum.divertedTonnes + row.divertedTonnes,
			valueThb: sum.valueThb + row.valueThb,
			transfers: sum.transfers + row.transfers,
			unclaimedLots: sum.unclaimedLots + row.unclaimedLots,
			unclaimedTonnesPerMonth: sum.unclaimedTonnesPerMonth + row.unclaimedTonnesPerMonth
		}),
		{ divertedTonnes: 0, valueThb: 0, transfers: 0, unclaimedLots: 0, unclaimedTonnesPerMonth: 0 }
	);
	return { provinces, total };
}

const NONE = { divertedTonnes: 0, valueThb: 0, transfers: 0, unclaimedLots: 0, unclaimedTonnesPerMonth: 0 };

/** One province's figures (zeros when it has none yet). */
export async function wasteFiguresOfProvince(db: Queryable, provinceCode: string) {
	const row = (await wasteFiguresByProvince(db)).find((entry) => entry.provinceCode === provinceCode);
	return row ?? { provinceCode, ...NONE };
}

/** A lot or want by its exchange ref or its id, for the operator's CLI. */
export async function lotByRef(db: Queryable, key: string): Promise<WasteLotRow | undefined> {
	const [row] = await db
		.select()
		.from(wasteLots)
		.where(or(eq(wasteLots.ref, key), isUuid(key) ? eq(wasteLots.id, key) : undefined));
	return row;
}

export async function wantByRef(db: Queryable, key: string): Promise<MaterialWantRow | undefined> {
	const [row] = await db
		.select()
		.from(materialWants)
		.where(or(eq(materialWants.ref, key), isUuid(key) ? eq(materialWants.id, key) : undefined));
	return row;
}

/** Open material wants per delivery province (provinces with none are left out). */
export async function openWantsByProvince(db: Queryable): Promise<Record<string, number>> {
	const rows = await db
		.select({ provinceCode: materialWants.provinceCode, wants: sql<number>`count(*)::int` })
		.from(materialWants)
		.where(eq(materialWants.status, 'open'))
		.groupBy(materialWants.provinceCode);
	return Object.fromEntries(rows.map((row) => [row.provinceCode, row.wants]));
}

/** What the home map's by-product layer shows per province: unclaimed lots on offer, open wants, tonnes diverted. */
export interface WasteMapFigures {
	unclaimedLots: number;
	unclaimedTonnesPerMonth: number;
	wants: number;
	divertedTonnes: number;
}

export async function wasteMapFigures(db: Queryable): Promise<Record<string, WasteMapFigures>> {
	const [figures, wants] = await Promise.all([wasteFiguresByProvince(db), openWantsByProvince(db)]);
	const out: Record<string, WasteMapFigures> = {};
	const blank = (): WasteMapFigures => ({
		unclaimedLots: 0,
		unclaimedTonnesPerMonth: 0,
		wants: 0,
		divertedTonnes: 0
	});
	for (const row of figures)
		out[row.provinceCode] = {
			...blank(),
			unclaimedLots: row.unclaimedLots,
			unclaimedTonnesPerMonth: row.unclaimedTonnesPerMonth,
			divertedTonnes: row.divertedTonnes
		};
	for (const [code, count] of Object.entries(wants)) out[code] = { ...(out[code] ?? blank()), wants: count };
	return out;
}
