// By-product lots and material wants in the exchange format (issue 23): checked against the waste list, imported
// inside the exchange import's transaction with its ownership rules, and exported. A lot an agency sends waits for
// its province's office (as a member's lot does) unless the importer may publish; a want is open at once.
import { and, asc, eq, gt, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../db';
import { materialWants, organisations, wasteLots } from '../db/schema';
import { recordAudit } from '../audit/record';
import type { ApiLocale } from '../api/errors';
import { enqueueSearchSync } from '../search/outbox';
import { isUuid } from '../text';
import { licenceClass, wasteCode } from './codes';
import { withdrawProposals, REVIEWED_LOT_FIELDS } from './service';
import {
	jsonPath,
	type ExchangeByproduct,
	type ExchangeDocument,
	type ExchangeMaterialWant
} from '$lib/schemas/exchange';
import { m } from '$lib/paraglide/messages';

export interface WasteImportProblem {
	path: string;
	message: string;
}

/** Whether each code and licence class the records name is on the reference lists. */
export function wasteReferenceProblems(document: ExchangeDocument, locale: ApiLocale): WasteImportProblem[] {
	const problems: WasteImportProblem[] = [];
	const problem = (path: PropertyKey[], message: string) => problems.push({ path: jsonPath(path), message });
	document.byproducts.forEach((b, i) => {
		if (!wasteCode(b.waste_code))
			problem(
				['byproducts', i, 'waste_code'],
				m.api_import_unknown_waste_code({ value: b.waste_code }, { locale })
			);
	});
	document.material_wants.forEach((w, i) => {
		w.waste_codes.forEach((code, j) => {
			if (!wasteCode(code))
				problem(
					['material_wants', i, 'waste_codes', j],
					m.api_import_unknown_waste_code({ value: code }, { locale })
				);
		});
		if (w.licence_class && !licenceClass(w.licence_class))
			problem(
				['material_wants', i, 'licence_class'],
				m.api_import_unknown_licence_class({ value: w.licence_class }, { locale })
			);
	});
	return problems;
}

/** A lot's columns as the exchange record sets them (hazard derived from the code). */
export function lotColumns(b: ExchangeByproduct) {
	return {
		nameTh: b.name_th ?? null,
		nameEn: b.name_en ?? null,
		wasteCode: b.waste_code,
		hazardous: wasteCode(b.waste_code)!.hazardous,
		quantityPerMonth: b.quantity_per_month,
		unit: b.unit,
		handling: b.handling,
		priceThb: b.price_thb ?? null,
		availableNow: b.available_now,
		availableUntil: b.available_until ?? null,
		provinceCode: b.province
	};
}

export function wantColumns(w: ExchangeMaterialWant) {
	return {
		nameTh: w.name_th ?? null,
		nameEn: w.name_en ?? null,
		wasteCodes: [...new Set(w.waste_codes)].sort(),
		quantityPerMonth: w.quantity_per_month,
		unit: w.unit,
		provinceCode: w.province,
		maxDistanceKm: w.max_distance_km,
		priceThb: w.price_thb ?? null,
		licenceClass: w.licence_class ?? null,
		licenceNumber: w.licence_number ?? null
	};
}

const sameColumns = (stored: Record<string, unknown>, fields: Record<string, unknown>) =>
	Object.entries(fields).every(([key, value]) => JSON.stringify(stored[key]) === JSON.stringify(value));

interface Stored<Row> {
	row: Row;
	agencyId: string | null;
	organisationName: string;
	organisationProvince: string | null;
}

export interface StoredWaste {
	lots: Map<string, Stored<typeof wasteLots.$inferSelect>>;
	wants: Map<string, Stored<typeof materialWants.$inferSelect>>;
}

/** The lots and wants already stored under the document's refs, locked for the rest of the import. */
export async function storedWaste(tx: Tx, document: ExchangeDocument): Promise<StoredWaste> {
	const lots = new Map<string, Stored<typeof wasteLots.$inferSelect>>();
	const wants = new Map<string, Stored<typeof materialWants.$inferSelect>>();
	const lotRefs = document.byproducts.map((b) => b.ref);
	const wantRefs = document.material_wants.map((w) => w.ref);
	const owner = {
		agencyId: organisations.agencyId,
		organisationName: organisations.name,
		organisationProvince: organisations.provinceCode
	};
	if (lotRefs.length)
		for (const row of await tx
			.select({ row: wasteLots, ...owner })
			.from(wasteLots)
			.innerJoin(organisations, eq(organisations.id, wasteLots.organisationId))
			.where(inArray(wasteLots.ref, lotRefs))
			.for('update', { of: wasteLots }))
			lots.set(row.row.ref!, row);
	if (wantRefs.length)
		for (const row of await tx
			.select({ row: materialWants, ...owner })
			.from(materialWants)
			.innerJoin(organisations, eq(organisations.id, materialWants.organisationId))
			.where(inArray(materialWants.ref, wantRefs))
			.for('update', { of: materialWants }))
			wants.set(row.row.ref!, row);
	return { lots, wants };
}

/** The province each organisation is registered in (null when none), by id. */
export async function organisationProvinces(tx: Tx, ids: string[]): Promise<Map<string, string | null>> {
	if (!ids.length) return new Map();
	const rows = await tx
		.select({ id: organisations.id, provinceCode: organisations.provinceCode })
		.from(organisations)
		.where(inArray(organisations.id, [...new Set(ids)]));
	return new Map(rows.map((r) => [r.id, r.provinceCode]));
}

/**
 * What this importer may not do to stored lots and wants: another owner's ref, a record moved to another
 * organisation, a lot outside its organisation's province, a closed want changed by an agency.
 */
export function wasteRefusals(
	document: ExchangeDocument,
	stored: StoredWaste,
	/** The province of the organisation each record's organisation_name finds (absent: it will be created). */
	provinceOfName: Map<string, string | null>,
	agencyId: string | null,
	locale: ApiLocale
): WasteImportProblem[] {
	const problems: WasteImportProblem[] = [];
	const problem = (path: PropertyKey[], message: string) => problems.push({ path: jsonPath(path), message });
	const agency = agencyId !== null;
	document.byproducts.forEach((b, i) => {
		const existing = stored.lots.get(b.ref);
		if (existing && agency && existing.agencyId !== agencyId)
			return problem(['byproducts', i, 'ref'], m.api_import_ref_owned({}, { locale }));
		if (existing && existing.organisationName !== b.organisation_name)
			return problem(
				['byproducts', i, 'organisation_name'],
				m.api_import_waste_organisation_fixed({}, { locale })
			);
		const own = existing ? existing.organisationProvince : (provinceOfName.get(b.organisation_name) ?? null);
		if (own && own !== b.province)
			problem(['byproducts', i, 'province'], m.api_import_waste_lot_province({ value: own }, { locale }));
	});
	document.material_wants.forEach((w, i) => {
		const existing = stored.wants.get(w.ref);
		if (!existing) return;
		if (agency && existing.agencyId !== agencyId)
			return problem(['material_wants', i, 'ref'], m.api_import_ref_owned({}, { locale }));
		if (existing.organisationName !== w.organisation_name)
			return problem(
				['material_wants', i, 'organisation_name'],
				m.api_import_waste_organisation_fixed({}, { locale })
			);
		if (agency && existing.row.status !== 'open' && !sameColumns(existing.row, wantColumns(w)))
			problem(['material_wants', i, 'ref'], m.api_import_want_closed({}, { locale }));
	});
	return problems;
}

export type WasteOutcome = 'created' | 'updated' | 'unchanged';

interface WasteImporter {
	/** Null for the operator. */
	agencyId: string | null;
	tokenId: string | null;
	publish: boolean;
	actor: string;
}

function auditRow(
	importer: WasteImporter,
	subject: { type: 'waste_lot' | 'material_want'; id: string; ref: string; province: string },
	action: string,
	before: unknown,
	after: Record<string, unknown>
) {
	return {
		actorLabel: importer.actor,
		action,
		subjectType: subject.type,
		subjectId: subject.id,
		provinceCode: subject.province,
		before,
		after: { ref: subject.ref, ...after, ...(importer.tokenId ? { tokenId: importer.tokenId } : {}) }
	};
}

/** One by-product record: created, updated (back to the office when what it reviewed changed) or unchanged. */
export async function importLot(
	tx: Tx,
	b: ExchangeByproduct,
	existing: Stored<typeof wasteLots.$inferSelect> | undefined,
	organisationId: string,
	importer: WasteImporter
): Promise<WasteOutcome> {
	const fields = lotColumns(b);
	const now = new Date();
	if (!existing) {
		const [lot] = await tx
			.insert(wasteLots)
			.values({
				...fields,
				ref: b.ref,
				organisationId,
				...(importer.publish
					? { status: 'approved' as const, approvedAt: now, submittedAt: now }
					: { status: 'submitted' as const, submittedAt: now })
			})
			.returning({ id: wasteLots.id, status: wasteLots.status });
		await recordAudit(
			tx,
			auditRow(
				importer,
				{ type: 'waste_lot', id: lot!.id, ref: b.ref, province: b.province },
				'waste_lot.import_create',
				null,
				{ status: lot!.status, wasteCode: b.waste_code }
			)
		);
		await enqueueSearchSync(tx, 'waste_lot', [lot!.id]);
		return 'created';
	}
	const lot = existing.row;
	if (sameColumns(lot, fields)) return 'unchanged';
	const reviewedChanged = REVIEWED_LOT_FIELDS.some(
		(key) => JSON.stringify(lot[key]) !== JSON.stringify(fields[key])
	);
	// As a member's edit: the market figures (quantity, price, availability) take effect at once; what the office
	// reviewed sends an approved lot back to it, off the exchange with its pending proposals, unless the importer
	// may publish. A lot not yet public is sent (again) to the office.
	const status = importer.publish
		? 'approved'
		: lot.status === 'approved' && !reviewedChanged
			? 'approved'
			: 'submitted';
	await tx
		.update(wasteLots)
		.set({
			...fields,
			status,
			...(status === 'approved' && lot.status !== 'approved' ? { approvedAt: now, rejectReason: null } : {}),
			...(status === 'submitted' && lot.status !== 'submitted'
				? { submittedAt: now, rejectReason: null }
				: {})
		})
		.where(eq(wasteLots.id, lot.id));
	const proposals =
		lot.status === 'approved' && status === 'submitted' ? await withdrawProposals(tx, { lotId: lot.id }) : [];
	await recordAudit(
		tx,
		auditRow(
			importer,
			{ type: 'waste_lot', id: lot.id, ref: b.ref, province: b.province },
			'waste_lot.import_update',
			{ status: lot.status },
			{ status, ...(proposals.length ? { withdrawnProposals: proposals } : {}) }
		)
	);
	await enqueueSearchSync(tx, 'waste_lot', [lot.id]);
	return 'updated';
}

/** One material-want record: created open, updated, or unchanged. */
export async function importWant(
	tx: Tx,
	w: ExchangeMaterialWant,
	existing: Stored<typeof materialWants.$inferSelect> | undefined,
	organisationId: string,
	importer: WasteImporter
): Promise<WasteOutcome> {
	const fields = wantColumns(w);
	const subject = (id: string) => ({ type: 'material_want' as const, id, ref: w.ref, province: w.province });
	if (!existing) {
		const [want] = await tx
			.insert(materialWants)
			.values({ ...fields, ref: w.ref, organisationId })
			.returning({ id: materialWants.id });
		await recordAudit(
			tx,
			auditRow(importer, subject(want!.id), 'material_want.import_create', null, { status: 'open' })
		);
		await enqueueSearchSync(tx, 'material_want', [want!.id]);
		return 'created';
	}
	if (sameColumns(existing.row, fields)) return 'unchanged';
	await tx.update(materialWants).set(fields).where(eq(materialWants.id, existing.row.id));
	await recordAudit(
		tx,
		auditRow(importer, subject(existing.row.id), 'material_want.import_update', null, {
			status: existing.row.status
		})
	);
	await enqueueSearchSync(tx, 'material_want', [existing.row.id]);
	return 'updated';
}

const optional = <T>(value: T | null | undefined) =>
	value === null || value === undefined ? undefined : value;

/** A lot as an exchange record (ref: its own, else its id). */
export function byproductRecord(
	lot: typeof wasteLots.$inferSelect,
	organisationName: string
): ExchangeByproduct {
	return {
		ref: lot.ref ?? lot.id,
		organisation_name: organisationName,
		province: lot.provinceCode,
		name_th: optional(lot.nameTh),
		name_en: optional(lot.nameEn),
		waste_code: lot.wasteCode,
		quantity_per_month: lot.quantityPerMonth,
		unit: lot.unit,
		handling: lot.handling,
		price_thb: optional(lot.priceThb),
		available_now: lot.availableNow,
		available_until: lot.availableUntil
	};
}

export function materialWantRecord(
	want: typeof materialWants.$inferSelect,
	organisationName: string
): ExchangeMaterialWant {
	return {
		ref: want.ref ?? want.id,
		organisation_name: organisationName,
		province: want.provinceCode,
		name_th: optional(want.nameTh),
		name_en: optional(want.nameEn),
		waste_codes: want.wasteCodes,
		quantity_per_month: want.quantityPerMonth,
		unit: want.unit,
		max_distance_km: want.maxDistanceKm,
		price_thb: optional(want.priceThb),
		licence_class: want.licenceClass,
		licence_number: want.licenceNumber
	};
}

/** Approved lots and open wants (of one province, if given), as the export and the API give them. */
export async function exportWaste(db: Queryable, options: { province?: string } = {}) {
	const lotWhere: SQL[] = [eq(wasteLots.status, 'approved')];
	const wantWhere: SQL[] = [eq(materialWants.status, 'open')];
	if (options.province) {
		lotWhere.push(eq(wasteLots.provinceCode, options.province));
		wantWhere.push(eq(materialWants.provinceCode, options.province));
	}
	const [lots, wants] = await Promise.all([
		db
			.select({ lot: wasteLots, name: organisations.name })
			.from(wasteLots)
			.innerJoin(organisations, eq(organisations.id, wasteLots.organisationId))
			.where(and(...lotWhere))
			.orderBy(asc(wasteLots.id)),
		db
			.select({ want: materialWants, name: organisations.name })
			.from(materialWants)
			.innerJoin(organisations, eq(organisations.id, materialWants.organisationId))
			.where(and(...wantWhere))
			.orderBy(asc(materialWants.id))
	]);
	return {
		byproducts: lots.map((r) => byproductRecord(r.lot, r.name)),
		material_wants: wants.map((r) => materialWantRecord(r.want, r.name))
	};
}

// ---------- reads for the API ----------

export interface LotFilter {
	province?: string;
	/** Two digits (a chapter), four (a sub-chapter) or six (a code). */
	code?: string;
	available?: boolean;
}

/** By ref, or by id when the key is one (a ref may itself look like an id). */
const byKey = (table: typeof wasteLots | typeof materialWants, key: string) =>
	or(eq(table.ref, key), isUuid(key) ? eq(table.id, key) : undefined);

/** Approved lots after `after` (by id), filtered; one page of `limit`. */
export function publicLotPage(db: Queryable, filter: LotFilter, after: string | undefined, limit: number) {
	const where: SQL[] = [eq(wasteLots.status, 'approved')];
	if (after) where.push(gt(wasteLots.id, after));
	if (filter.province) where.push(eq(wasteLots.provinceCode, filter.province));
	if (filter.code) where.push(like(wasteLots.wasteCode, `${filter.code}%`));
	if (filter.available !== undefined) where.push(eq(wasteLots.availableNow, filter.available));
	return db
		.select()
		.from(wasteLots)
		.where(and(...where))
		.orderBy(asc(wasteLots.id))
		.limit(limit);
}

/** Open wants after `after`, filtered by delivery province and an accepted code (or its chapter/sub-chapter). */
export function publicWantPage(
	db: Queryable,
	filter: { province?: string; code?: string },
	after: string | undefined,
	limit: number
) {
	const where: SQL[] = [eq(materialWants.status, 'open')];
	if (after) where.push(gt(materialWants.id, after));
	if (filter.province) where.push(eq(materialWants.provinceCode, filter.province));
	if (filter.code)
		where.push(
			sql`exists (select 1 from unnest(${materialWants.wasteCodes}) as c where c like ${`${filter.code}%`})`
		);
	return db
		.select()
		.from(materialWants)
		.where(and(...where))
		.orderBy(asc(materialWants.id))
		.limit(limit);
}

/**
 * A lot by id or ref as a caller may read it: approved ones by anyone, any other only by the agency that manages
 * its organisation (to follow its review).
 */
export async function lotForCaller(db: Queryable, key: string, agencyId: string | null) {
	const [row] = await db
		.select({ lot: wasteLots, agencyId: organisations.agencyId })
		.from(wasteLots)
		.innerJoin(organisations, eq(organisations.id, wasteLots.organisationId))
		.where(byKey(wasteLots, key));
	if (!row) return null;
	if (row.lot.status === 'approved' || (agencyId && row.agencyId === agencyId)) return row.lot;
	return null;
}

/** A want by id or ref: open ones by anyone, closed ones only by the agency that manages its organisation. */
export async function wantForCaller(db: Queryable, key: string, agencyId: string | null) {
	const [row] = await db
		.select({ want: materialWants, agencyId: organisations.agencyId })
		.from(materialWants)
		.innerJoin(organisations, eq(organisations.id, materialWants.organisationId))
		.where(byKey(materialWants, key));
	if (!row) return null;
	if (row.want.status === 'open' || (agencyId && row.agencyId === agencyId)) return row.want;
	return null;
}
