// Import and export in the exchange format. An import is checked whole (shape, then every code against the
// reference tables) and written in one transaction: all or nothing. Records are keyed by `ref`, and a record
// that already holds the same data is left alone, so importing the same document twice changes nothing.
// Imported startups become candidates of their province (approved at once when the operator or an agency allowed
// to publish imports them, else waiting for the office's review), never its selected startup.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import {
	certifications,
	demandCertifications,
	demands,
	offers,
	organisations,
	products,
	provinces,
	provinceSelections,
	startupCertifications,
	startupDivisions,
	startups,
	tsicDivisions,
	users
} from '../db/schema';
import { recordAudit } from '../audit/record';
import type { ApiLocale } from '../api/errors';
import { loadDemandSources, loadStartupSources } from '../search/sources';
import { enqueueSearchSync } from '../search/outbox';
import { loadProfile, type Profile } from '../startups/queries';
import {
	exchangeDocumentSchema,
	jsonPath,
	type ExchangeDemand,
	type ExchangeDocument,
	type ExchangeStartup
} from '$lib/schemas/exchange';
import { m } from '$lib/paraglide/messages';
import { publicStartup } from '../startups/public';
import {
	exportWaste,
	importLot,
	importWant,
	organisationProvinces,
	storedWaste,
	wasteReferenceProblems,
	wasteRefusals
} from '../waste/exchange';
import { one } from '../db/rows';

export interface ImportProblem {
	path: string;
	message: string;
}

export class ImportRejected extends Error {
	constructor(readonly problems: ImportProblem[]) {
		super(`the document has ${problems.length} error(s); nothing was imported`);
		this.name = 'ImportRejected';
	}
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export type ImportRecordType = 'startup' | 'demand' | 'byproduct' | 'material_want';
const LIST_OF = {
	startup: 'startups',
	demand: 'demands',
	byproduct: 'byproducts',
	material_want: 'material_wants'
} as const;

export interface ImportReport {
	startups: Record<ImportOutcome, number>;
	demands: Record<ImportOutcome, number>;
	byproducts: Record<ImportOutcome, number>;
	material_wants: Record<ImportOutcome, number>;
	/** What happened to each record, in the document's order (when asked for). */
	records?: { type: ImportRecordType; ref: string; outcome: ImportOutcome }[];
}

/** The advisory lock that lets one import run at a time (the migrations and leader locks hold 7_142_0xx–1xx). */
const IMPORT_LOCK_KEY = 7_142_201;

/**
 * Waits until no other import (or demand posted by ref) is writing, for the rest of the transaction: two sending
 * the same new refs at once would both see them as new, and the second would fail on the unique key instead of
 * finding them unchanged. Imports are bulk loads, and a demand post is short; waiting is fine.
 */
export async function lockRefs(tx: Tx): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
}

/** Thrown inside a dry run's transaction to roll it back once the report is complete. */
class DryRunDone extends Error {}

/** Every problem in the document, with its JSON path; empty when it can be imported. */
export async function checkDocument(
	db: Queryable,
	raw: unknown,
	locale: ApiLocale = 'en'
): Promise<{ document?: ExchangeDocument; problems: ImportProblem[] }> {
	const parsed = exchangeDocumentSchema.safeParse(raw);
	if (!parsed.success)
		return {
			problems: parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }))
		};
	const document = parsed.data;
	const [provinceRows, divisionRows, certificationRows] = await Promise.all([
		db.select({ code: provinces.code }).from(provinces),
		db.select({ code: tsicDivisions.code }).from(tsicDivisions),
		db.select({ id: certifications.id }).from(certifications)
	]);
	const known = {
		province: new Set(provinceRows.map((r) => r.code)),
		division: new Set(divisionRows.map((r) => r.code)),
		certification: new Set(certificationRows.map((r) => r.id))
	};
	const problems: ImportProblem[] = [];
	const unknown = {
		province: m.api_import_unknown_province,
		division: m.api_import_unknown_division,
		certification: m.api_import_unknown_certification
	};
	const check = (what: keyof typeof known, value: string | null | undefined, path: PropertyKey[]) => {
		if (value && !known[what].has(value))
			problems.push({ path: jsonPath(path), message: unknown[what]({ value }, { locale }) });
	};
	document.startups.forEach((s, i) => {
		check('province', s.province, ['startups', i, 'province']);
		s.tsic.forEach((code, j) => check('division', code, ['startups', i, 'tsic', j]));
		s.certifications.forEach((id, j) => check('certification', id, ['startups', i, 'certifications', j]));
	});
	document.byproducts.forEach((b, i) => check('province', b.province, ['byproducts', i, 'province']));
	document.material_wants.forEach((w, i) => check('province', w.province, ['material_wants', i, 'province']));
	problems.push(...wasteReferenceProblems(document, locale));
	document.demands.forEach((d, i) => {
		check('province', d.delivery_province, ['demands', i, 'delivery_province']);
		check('division', d.tsic, ['demands', i, 'tsic']);
		d.required_certifications.forEach((id, j) =>
			check('certification', id, ['demands', i, 'required_certifications', j])
		);
	});
	return { document, problems };
}

/**
 * Who imports. The operator at the console (the CLI, the demo seed) acts as the administrator: it may correct any
 * record, and its startups are published at once. A partner agency (the API) owns the refs it creates and no
 * others, finds its buyers among the organisations it manages, cannot change a demand once it has closed or
 * startups have offered on it, and its startups wait for the provincial office's review unless its token may
 * publish (`import:publish`).
 */
export type Importer =
	{ kind: 'operator' } | { kind: 'agency'; agencyId: string; tokenId: string; publish: boolean };

const OPERATOR: Importer = { kind: 'operator' };
const publishes = (importer: Importer) => importer.kind === 'operator' || importer.publish;
/** The agency that owns what this importer creates; null for the operator. */
const ownerOf = (importer: Importer) => (importer.kind === 'agency' ? importer.agencyId : null);

/**
 * PostgreSQL takes at most 65,535 parameters in one statement, and a statement with tens of thousands of rows
 * is slow to build; every multi-row insert here is cut to stay well under that.
 */
const MAX_PARAMETERS = 10_000;

/** Rows cut so that each statement's parameters (at most one per column of a row) stay under the limit. */
function statementsOf<T extends object>(rows: T[]): T[][] {
	const widest = rows.reduce((n, row) => Math.max(n, Object.keys(row).length), 1);
	return chunks(rows, Math.max(1, Math.floor(MAX_PARAMETERS / widest)));
}

const slugOf = (ref: string) => `s-${ref.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 80);

/**
 * Public addresses for new startups: `s-<ref>` where that is free, else with a piece of the exact ref's hash,
 * since refs that differ only in case or punctuation (S.1, s-1) read alike once lowercased. A slug is given only
 * when no stored startup and no other record of the call has it, so the insert cannot break the unique key (a
 * ref may even be written to read like another's hashed slug).
 */
async function slugsFor(tx: Tx, refs: string[]): Promise<Map<string, string>> {
	const slugs = new Map<string, string>();
	const used = new Set<string>();
	let pending = refs;
	for (let length = 0; pending.length; length += 8) {
		if (length > 64) throw new Error(`no free slug for startup refs ${pending.join(', ')}`);
		const candidates = pending.map((ref): [string, string] => {
			const base = slugOf(ref);
			if (length === 0) return [ref, base];
			const hash = encodeHexLowerCase(sha256(new TextEncoder().encode(ref))).slice(0, length);
			return [ref, `${base.slice(0, 79 - length)}-${hash}`];
		});
		const taken = await takenSlugs(
			tx,
			candidates.map(([, slug]) => slug)
		);
		pending = [];
		// The first record (in the document's order) to want a free slug gets it; the rest try a longer one.
		for (const [ref, slug] of candidates) {
			if (taken.has(slug) || used.has(slug)) pending.push(ref);
			else {
				slugs.set(ref, slug);
				used.add(slug);
			}
		}
	}
	return slugs;
}

async function takenSlugs(tx: Tx, slugs: string[]): Promise<Set<string>> {
	const taken = new Set<string>();
	for (const batch of chunks(slugs, 5000)) {
		if (!batch.length) continue;
		const rows = await tx.select({ slug: startups.slug }).from(startups).where(inArray(startups.slug, batch));
		for (const row of rows) taken.add(row.slug);
	}
	return taken;
}

function incomingProfile(s: ExchangeStartup): Omit<Profile, 'products' | 'logoPath' | 'phone' | 'website'> & {
	products: Omit<Profile['products'][number], 'id' | 'photoPath'>[];
} {
	return {
		nameTh: s.name_th ?? null,
		nameEn: s.name_en ?? null,
		summaryTh: s.summary_th ?? null,
		summaryEn: s.summary_en ?? null,
		provinceCode: s.province,
		contactEmail: s.contact_email ?? null,
		divisions: [...new Set(s.tsic)].sort(),
		certifications: [...new Set(s.certifications)]
			.sort()
			.map((id) => ({ id, number: null, expiresOn: null })),
		products: s.products.map((p) => ({
			nameTh: p.name_th ?? null,
			nameEn: p.name_en ?? null,
			unit: p.unit,
			monthlyCapacity: p.monthly_capacity,
			priceThbMin: p.price_thb_min ?? null,
			priceThbMax: p.price_thb_max ?? null
		}))
	};
}

function comparable(profile: Profile) {
	return {
		nameTh: profile.nameTh,
		nameEn: profile.nameEn,
		summaryTh: profile.summaryTh,
		summaryEn: profile.summaryEn,
		provinceCode: profile.provinceCode,
		contactEmail: profile.contactEmail,
		divisions: profile.divisions,
		certifications: profile.certifications,
		products: profile.products.map(({ id: _id, photoPath: _photo, ...rest }) => rest)
	};
}

/** A startup already stored under a ref of the document, with what decides whether this import may change it. */
interface StoredStartup {
	id: string;
	ref: string;
	provinceCode: string;
	/** The agency that created it through the API; null when the operator or a member created it. */
	agencyId: string | null;
	/** Some year's selection of its province: it cannot leave the province. */
	selected: boolean;
}

/** A demand already stored under a ref of the document. */
interface StoredDemand {
	row: typeof demands.$inferSelect;
	agencyId: string | null;
	/** Startups have offered on it (offers pending or accepted). */
	offered: boolean;
	certifications: string[];
}

async function storedStartups(tx: Tx, refs: string[]): Promise<Map<string, StoredStartup>> {
	const stored = new Map<string, StoredStartup>();
	for (const batch of chunks(refs, 5000)) {
		if (!batch.length) continue;
		const rows = await tx
			.select({
				id: startups.id,
				ref: startups.ref,
				provinceCode: startups.provinceCode,
				agencyId: organisations.agencyId,
				selected: sql<boolean>`exists (select 1 from ${provinceSelections} where ${provinceSelections.startupId} = ${startups.id})`
			})
			.from(startups)
			.innerJoin(organisations, eq(organisations.id, startups.organisationId))
			.where(inArray(startups.ref, batch))
			.for('update', { of: startups });
		for (const row of rows) stored.set(row.ref!, { ...row, ref: row.ref! });
	}
	return stored;
}

async function storedDemands(tx: Tx, refs: string[]): Promise<Map<string, StoredDemand>> {
	const stored = new Map<string, StoredDemand>();
	for (const batch of chunks(refs, 5000)) {
		if (!batch.length) continue;
		const rows = await tx
			.select({
				row: demands,
				agencyId: organisations.agencyId,
				offered: sql<boolean>`exists (select 1 from ${offers} where ${offers.demandId} = ${demands.id} and ${offers.status} in ('pending', 'accepted'))`
			})
			.from(demands)
			.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
			.where(inArray(demands.ref, batch))
			.for('update', { of: demands });
		const held = rows.length
			? await tx
					.select({ demandId: demandCertifications.demandId, id: demandCertifications.certificationId })
					.from(demandCertifications)
					.where(
						inArray(
							demandCertifications.demandId,
							rows.map((r) => r.row.id)
						)
					)
			: [];
		const heldBy = new Map<string, string[]>();
		for (const h of held) heldBy.set(h.demandId, [...(heldBy.get(h.demandId) ?? []), h.id]);
		for (const row of rows)
			stored.set(row.row.ref!, { ...row, certifications: (heldBy.get(row.row.id) ?? []).sort() });
	}
	return stored;
}

/**
 * Buyer organisations by name, as an importer may use them: the `owner` agency's own (those it manages), or for
 * the operator (owner null) those no agency manages and no account belongs to. Never a buyer's self-registered
 * organisation: a name anyone can type at sign-up must not route a demand into their account.
 */
export async function findBuyers(
	tx: Tx,
	owner: string | null,
	names: string[]
): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (const batch of chunks([...new Set(names)], 5000)) {
		if (!batch.length) continue;
		const rows = await tx
			.select({ id: organisations.id, name: organisations.name })
			.from(organisations)
			.where(
				and(
					eq(organisations.kind, 'buyer'),
					inArray(organisations.name, batch),
					owner
						? eq(organisations.agencyId, owner)
						: and(
								isNull(organisations.agencyId),
								sql`not exists (select 1 from ${users} where ${users.organisationId} = ${organisations.id})`
							)
				)
			)
			.orderBy(asc(organisations.createdAt), asc(organisations.id));
		for (const row of rows) if (!found.has(row.name)) found.set(row.name, row.id);
	}
	return found;
}

/** The buyer organisations for these names, created (managed by the `owner` agency, if one) where missing. */
export async function buyersFor(tx: Tx, owner: string | null, names: string[]): Promise<Map<string, string>> {
	const buyers = await findBuyers(tx, owner, names);
	const missing = [...new Set(names)].filter((name) => !buyers.has(name));
	for (const batch of statementsOf(
		missing.map((name) => ({ kind: 'buyer' as const, name, agencyId: owner }))
	)) {
		const rows = await tx
			.insert(organisations)
			.values(batch)
			.returning({ id: organisations.id, name: organisations.name });
		for (const row of rows) buyers.set(row.name, row.id);
	}
	return buyers;
}

function sameDemand(
	stored: StoredDemand,
	d: ExchangeDemand,
	buyerOrganisationId: string | undefined
): boolean {
	if (!buyerOrganisationId) return false;
	const fields = demandColumns(d, buyerOrganisationId);
	return (
		Object.entries(fields).every(([key, value]) => stored.row[key as keyof typeof stored.row] === value) &&
		JSON.stringify(stored.certifications) === JSON.stringify([...new Set(d.required_certifications)].sort())
	);
}

/**
 * What this importer may not do to the records already stored, each with its path: another owner's ref, a
 * selected startup leaving its province, a demand changed after it closed or drew offers (for an agency, as
 * POST /api/v1/demands rules).
 */
function refusals(
	document: ExchangeDocument,
	stored: { startups: Map<string, StoredStartup>; demands: Map<string, StoredDemand> },
	buyers: Map<string, string>,
	importer: Importer,
	locale: ApiLocale
): ImportProblem[] {
	const problems: ImportProblem[] = [];
	const problem = (path: PropertyKey[], message: string) => problems.push({ path: jsonPath(path), message });
	const owner = ownerOf(importer);
	document.startups.forEach((s, i) => {
		const existing = stored.startups.get(s.ref);
		if (!existing) return;
		if (importer.kind === 'agency' && existing.agencyId !== owner)
			return problem(['startups', i, 'ref'], m.api_import_ref_owned({}, { locale }));
		if (existing.selected && existing.provinceCode !== s.province)
			problem(['startups', i, 'province'], m.api_import_selected_cannot_move({}, { locale }));
	});
	if (importer.kind === 'agency')
		document.demands.forEach((d, i) => {
			const existing = stored.demands.get(d.ref);
			if (!existing) return;
			if (existing.agencyId !== owner)
				return problem(['demands', i, 'ref'], m.api_import_ref_owned({}, { locale }));
			if (sameDemand(existing, d, buyers.get(d.buyer_name))) return;
			if (existing.row.status !== 'open')
				return problem(['demands', i, 'ref'], m.api_import_demand_ended({}, { locale }));
			if (existing.offered) problem(['demands', i, 'ref'], m.api_import_demand_has_offers({}, { locale }));
		});
	return problems;
}

/** The audit event of one imported record; the actor names the operator or the agency and its token. */
function auditOf(
	importer: Importer,
	actor: string,
	subject: { type: 'startup' | 'demand'; id: string; ref: string; province: string | null },
	action: string,
	after: Record<string, unknown>
) {
	return {
		actorLabel: actor,
		action,
		subjectType: subject.type,
		subjectId: subject.id,
		provinceCode: subject.province,
		after: {
			ref: subject.ref,
			...after,
			...(importer.kind === 'agency' ? { tokenId: importer.tokenId } : {})
		}
	};
}

/** A known startup's new version: published at once by an importer that may, else sent for review. */
async function updateStartup(
	tx: Tx,
	s: ExchangeStartup,
	existing: StoredStartup,
	importer: Importer,
	actor: string
): Promise<ImportOutcome> {
	const incoming = incomingProfile(s);
	const row = one(
		await tx.select().from(startups).where(eq(startups.id, existing.id)),
		'select from startups'
	);
	const same = JSON.stringify(comparable(await loadProfile(tx, row))) === JSON.stringify(incoming);
	// The operator re-publishes a same record that is not yet public; an agency re-sending what it sent before
	// (waiting for review, or turned down) changes nothing until the record itself changes.
	if (same && (row.approvedAt || !publishes(importer))) return 'unchanged';
	const startupId = existing.id;
	await tx
		.update(organisations)
		.set({ name: (s.name_th ?? s.name_en)!, provinceCode: s.province })
		.where(eq(organisations.id, row.organisationId));
	await tx
		.update(startups)
		.set({
			nameTh: incoming.nameTh,
			nameEn: incoming.nameEn,
			summaryTh: incoming.summaryTh,
			summaryEn: incoming.summaryEn,
			provinceCode: s.province,
			contactEmail: incoming.contactEmail
		})
		.where(eq(startups.id, startupId));
	await tx.delete(startupDivisions).where(eq(startupDivisions.startupId, startupId));
	await tx.delete(startupCertifications).where(eq(startupCertifications.startupId, startupId));
	await tx.delete(products).where(eq(products.startupId, startupId));
	await tx
		.insert(startupDivisions)
		.values(incoming.divisions.map((divisionCode) => ({ startupId, divisionCode })));
	if (incoming.certifications.length)
		await tx
			.insert(startupCertifications)
			.values(incoming.certifications.map((c) => ({ startupId, certificationId: c.id })));
	if (incoming.products.length)
		await tx
			.insert(products)
			.values(incoming.products.map((p, position) => ({ ...p, unit: p.unit, startupId, position })));
	const updated = one(
		await tx.select().from(startups).where(eq(startups.id, startupId)),
		'select from startups'
	);
	const now = new Date();
	let status = updated.status;
	if (publishes(importer)) {
		status = 'approved';
		await tx
			.update(startups)
			.set({
				status,
				approvedAt: updated.approvedAt ?? now,
				approvedSnapshot: {
					...(await loadProfile(tx, updated)),
					approvedAt: (updated.approvedAt ?? now).toISOString()
				}
			})
			.where(eq(startups.id, startupId));
	} else if (status !== 'suspended') {
		// As a member's edit does: the approved snapshot, if any, stays public until the office reviews this.
		status = 'submitted';
		await tx.update(startups).set({ status, submittedAt: now }).where(eq(startups.id, startupId));
	}
	await recordAudit(
		tx,
		auditOf(
			importer,
			actor,
			{ type: 'startup', id: startupId, ref: s.ref, province: s.province },
			'startup.import_update',
			{ status }
		)
	);
	await enqueueSearchSync(tx, 'startup', [startupId]);
	return 'updated';
}

async function updateDemand(
	tx: Tx,
	d: ExchangeDemand,
	existing: StoredDemand,
	buyerOrganisationId: string,
	importer: Importer,
	actor: string
): Promise<ImportOutcome> {
	if (sameDemand(existing, d, buyerOrganisationId)) return 'unchanged';
	const fields = demandColumns(d, buyerOrganisationId);
	const required = [...new Set(d.required_certifications)].sort();
	const id = existing.row.id;
	await tx.update(demands).set(fields).where(eq(demands.id, id));
	await tx.delete(demandCertifications).where(eq(demandCertifications.demandId, id));
	if (required.length)
		await tx
			.insert(demandCertifications)
			.values(required.map((certificationId) => ({ demandId: id, certificationId })));
	await recordAudit(
		tx,
		auditOf(
			importer,
			actor,
			{ type: 'demand', id, ref: d.ref, province: fields.deliveryProvinceCode },
			'demand.import_update',
			{ status: existing.row.status }
		)
	);
	await enqueueSearchSync(tx, 'demand', [id]);
	return 'updated';
}

const BATCH = 500;

function chunks<T>(items: T[], size = BATCH): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** Inserts rows a statement at a time (see MAX_PARAMETERS), returning what each statement returns, in order. */
async function insertAll<T extends object, R>(
	rows: T[],
	insert: (batch: T[]) => PromiseLike<R[]>
): Promise<R[]> {
	const out: R[] = [];
	for (const batch of statementsOf(rows)) out.push(...(await insert(batch)));
	return out;
}

/** New startups (refs not yet known), written in multi-row batches: the path a bulk load takes. */
async function createStartups(
	tx: Tx,
	records: ExchangeStartup[],
	importer: Importer,
	actor: string
): Promise<void> {
	const publish = publishes(importer);
	const profiles = records.map(incomingProfile);
	const organisationRows = await insertAll(
		records.map((s, i) => ({
			kind: 'startup' as const,
			name: (s.name_th ?? s.name_en)!,
			provinceCode: s.province,
			contactEmail: profiles[i]!.contactEmail,
			agencyId: ownerOf(importer)
		})),
		(batch) => tx.insert(organisations).values(batch).returning({ id: organisations.id })
	);
	const slugs = await slugsFor(
		tx,
		records.map((s) => s.ref)
	);
	const now = new Date();
	// Product ids are made here, so each startup's approved snapshot (the shape loadProfile reads) goes in with
	// the startup itself rather than as one update per startup afterwards.
	const productIds = profiles.map((p) => p.products.map(() => crypto.randomUUID()));
	const startupRows = await insertAll(
		records.map((s, i) => {
			const p = profiles[i]!;
			const snapshot: Profile & { approvedAt: string } = {
				...p,
				phone: null,
				website: null,
				logoPath: null,
				products: p.products.map((product, k) => ({
					...product,
					id: productIds[i]![k]!,
					photoPath: null
				})),
				approvedAt: now.toISOString()
			};
			return {
				ref: s.ref,
				organisationId: organisationRows[i]!.id,
				slug: slugs.get(s.ref)!,
				provinceCode: s.province,
				nameTh: p.nameTh,
				nameEn: p.nameEn,
				summaryTh: p.summaryTh,
				summaryEn: p.summaryEn,
				contactEmail: p.contactEmail,
				...(publish
					? { status: 'approved' as const, approvedAt: now, approvedSnapshot: snapshot }
					: { status: 'submitted' as const, submittedAt: now })
			};
		}),
		(batch) => tx.insert(startups).values(batch).returning({ id: startups.id })
	);
	const ids = startupRows.map((r) => r.id);
	const divisionRows = records.flatMap((_, i) =>
		profiles[i]!.divisions.map((divisionCode) => ({ startupId: ids[i]!, divisionCode }))
	);
	await insertAll(divisionRows, (batch) => tx.insert(startupDivisions).values(batch).returning());
	const certificationRows = records.flatMap((_, i) =>
		profiles[i]!.certifications.map((c) => ({ startupId: ids[i]!, certificationId: c.id }))
	);
	await insertAll(certificationRows, (batch) => tx.insert(startupCertifications).values(batch).returning());
	const productValues = records.flatMap((_, i) =>
		profiles[i]!.products.map((p, position) => ({
			...p,
			id: productIds[i]![position]!,
			unit: p.unit,
			startupId: ids[i]!,
			position
		}))
	);
	await insertAll(productValues, (batch) => tx.insert(products).values(batch).returning({ id: products.id }));
	await insertAll(
		records.map((s, i) =>
			auditOf(
				importer,
				actor,
				{ type: 'startup', id: ids[i]!, ref: s.ref, province: s.province },
				'startup.import_create',
				{ status: publish ? 'approved' : 'submitted' }
			)
		),
		(batch) => recordAudit(tx, batch)
	);
	await enqueueSearchSync(tx, 'startup', ids);
}

/** A demand record's columns as the demands table holds them (one mapping for create, update and the demo). */
export function demandColumns(d: ExchangeDemand, buyerOrganisationId: string) {
	return {
		buyerOrganisationId,
		titleTh: d.title_th ?? null,
		titleEn: d.title_en ?? null,
		detailsTh: d.details_th ?? null,
		detailsEn: d.details_en ?? null,
		divisionCode: d.tsic,
		quantity: d.quantity,
		unit: d.unit,
		recurrence: d.recurrence,
		priceThbMax: d.price_thb_max ?? null,
		deliveryProvinceCode: d.delivery_province ?? null,
		neededBy: d.needed_by
	};
}

/** New demands (refs not yet known), in multi-row batches. */
async function createDemands(
	tx: Tx,
	records: ExchangeDemand[],
	buyers: Map<string, string>,
	importer: Importer,
	actor: string
): Promise<void> {
	const now = new Date();
	const rows = await insertAll(
		records.map((d) => ({
			ref: d.ref,
			...demandColumns(d, buyers.get(d.buyer_name)!),
			status: 'open' as const,
			publishedAt: now
		})),
		(batch) => tx.insert(demands).values(batch).returning({ id: demands.id })
	);
	const certificationRows = records.flatMap((d, i) =>
		[...new Set(d.required_certifications)].map((certificationId) => ({
			demandId: rows[i]!.id,
			certificationId
		}))
	);
	await insertAll(certificationRows, (batch) => tx.insert(demandCertifications).values(batch).returning());
	await insertAll(
		records.map((d, i) =>
			auditOf(
				importer,
				actor,
				{ type: 'demand', id: rows[i]!.id, ref: d.ref, province: d.delivery_province ?? null },
				'demand.import_create',
				{ status: 'open' }
			)
		),
		(batch) => recordAudit(tx, batch)
	);
	await enqueueSearchSync(
		tx,
		'demand',
		rows.map((r) => r.id)
	);
}

/** JSON with every object's keys sorted: equal values give equal text whatever order their keys came in. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
			: v
	);
}

/**
 * The refs of approved startups whose approved profile already equals the record, found a batch at a time: a
 * monthly re-send of a whole document is mostly these, and needs no per-record reads. (An approved startup's
 * snapshot is its live profile: any change to what a record holds either republishes it or sends it to review.)
 */
async function unchangedRefs(tx: Tx, records: ExchangeStartup[]): Promise<Set<string>> {
	const rows = await tx
		.select({ ref: startups.ref, status: startups.status, snapshot: startups.approvedSnapshot })
		.from(startups)
		.where(
			inArray(
				startups.ref,
				records.map((r) => r.ref)
			)
		);
	const stored = new Map(rows.map((r) => [r.ref, r]));
	const same = new Set<string>();
	for (const record of records) {
		const row = stored.get(record.ref);
		if (row?.status !== 'approved' || !row.snapshot) continue;
		// jsonb keeps object keys in its own order, so both sides are compared with their keys sorted.
		if (canonical(comparable(row.snapshot)) === canonical(incomingProfile(record))) same.add(record.ref);
	}
	return same;
}

/** Imports a whole document or nothing; throws ImportRejected listing every problem. */
export async function importDocument(
	db: Db,
	raw: unknown,
	options: {
		actor: string;
		/** The operator unless said: see Importer. */
		importer?: Importer;
		/** The language of the problems about stored records (ownership, offers, selection); English unless said. */
		locale?: ApiLocale;
		onProgress?: (done: number, total: number) => void;
		/** Report each record's outcome. */
		records?: boolean;
		/** Do everything, report, and roll back: nothing is stored. */
		dryRun?: boolean;
	}
): Promise<ImportReport> {
	const importer = options.importer ?? OPERATOR;
	const locale = options.locale ?? 'en';
	const { document, problems } = await checkDocument(db, raw, locale);
	if (!document || problems.length) throw new ImportRejected(problems);
	const none = () => ({ created: 0, updated: 0, unchanged: 0 });
	const report: ImportReport = {
		startups: none(),
		demands: none(),
		byproducts: none(),
		material_wants: none()
	};
	const outcomes = new Map<string, ImportOutcome>();
	const note = (type: ImportRecordType, ref: string, outcome: ImportOutcome) => {
		report[LIST_OF[type]][outcome]++;
		if (options.records) outcomes.set(`${type}:${ref}`, outcome);
	};
	const total =
		document.startups.length +
		document.demands.length +
		document.byproducts.length +
		document.material_wants.length;
	let done = 0;
	const progress = (n: number) => options.onProgress?.((done += n), total);
	const run = db.transaction(async (tx) => {
		await lockRefs(tx);
		// Everything this import may not do to stored records is found before anything is written, so a refused
		// document (or a dry run) reports every such record with its path, and never fails half-way.
		const stored = {
			startups: await storedStartups(
				tx,
				document.startups.map((s) => s.ref)
			),
			demands: await storedDemands(
				tx,
				document.demands.map((d) => d.ref)
			)
		};
		const knownBuyers = await findBuyers(
			tx,
			ownerOf(importer),
			document.demands.map((d) => d.buyer_name)
		);
		const wasteOwners = [
			...document.byproducts.map((b) => b.organisation_name),
			...document.material_wants.map((w) => w.organisation_name)
		];
		const storedLotsAndWants = await storedWaste(tx, document);
		const knownOwners = await findBuyers(tx, ownerOf(importer), wasteOwners);
		const ownerProvinces = await organisationProvinces(tx, [...knownOwners.values()]);
		const refused = [
			...refusals(document, stored, knownBuyers, importer, locale),
			...wasteRefusals(
				document,
				storedLotsAndWants,
				new Map([...knownOwners].map(([name, id]) => [name, ownerProvinces.get(id) ?? null])),
				ownerOf(importer),
				locale
			)
		];
		if (refused.length) throw new ImportRejected(refused);

		// Records new to the portal go in batches; known ones are compared and updated one by one.
		const fresh = document.startups.filter((s) => !stored.startups.has(s.ref));
		for (const batch of chunks(fresh)) {
			await createStartups(tx, batch, importer, options.actor);
			for (const s of batch) note('startup', s.ref, 'created');
			progress(batch.length);
		}
		for (const batch of chunks(document.startups.filter((s) => stored.startups.has(s.ref)))) {
			const same = await unchangedRefs(tx, batch);
			for (const s of batch) {
				note(
					'startup',
					s.ref,
					same.has(s.ref)
						? 'unchanged'
						: await updateStartup(tx, s, stored.startups.get(s.ref)!, importer, options.actor)
				);
				progress(1);
			}
		}
		const buyers = await buyersFor(
			tx,
			ownerOf(importer),
			document.demands.map((d) => d.buyer_name)
		);
		const freshDemands = document.demands.filter((d) => !stored.demands.has(d.ref));
		for (const batch of chunks(freshDemands)) {
			await createDemands(tx, batch, buyers, importer, options.actor);
			for (const d of batch) note('demand', d.ref, 'created');
			progress(batch.length);
		}
		for (const d of document.demands.filter((d) => stored.demands.has(d.ref))) {
			note(
				'demand',
				d.ref,
				await updateDemand(
					tx,
					d,
					stored.demands.get(d.ref)!,
					buyers.get(d.buyer_name)!,
					importer,
					options.actor
				)
			);
			progress(1);
		}
		// By-products and wants are few beside startups: one by one, each compared with what is stored.
		const owners = await buyersFor(tx, ownerOf(importer), wasteOwners);
		const wasteImporter = {
			agencyId: ownerOf(importer),
			tokenId: importer.kind === 'agency' ? importer.tokenId : null,
			publish: publishes(importer),
			actor: options.actor
		};
		for (const b of document.byproducts) {
			const existing = storedLotsAndWants.lots.get(b.ref);
			const organisationId = existing?.row.organisationId ?? owners.get(b.organisation_name)!;
			note('byproduct', b.ref, await importLot(tx, b, existing, organisationId, wasteImporter));
			progress(1);
		}
		for (const w of document.material_wants) {
			const existing = storedLotsAndWants.wants.get(w.ref);
			const organisationId = existing?.row.organisationId ?? owners.get(w.organisation_name)!;
			note('material_want', w.ref, await importWant(tx, w, existing, organisationId, wasteImporter));
			progress(1);
		}
		if (options.dryRun) throw new DryRunDone();
	});
	try {
		await run;
	} catch (error) {
		if (!(error instanceof DryRunDone)) throw error;
	}
	if (options.records)
		report.records = (Object.keys(LIST_OF) as ImportRecordType[]).flatMap((type) =>
			document[LIST_OF[type]].map((record) => ({
				type,
				ref: record.ref,
				outcome: outcomes.get(`${type}:${record.ref}`)!
			}))
		);
	return report;
}

/**
 * Approved startups, open demands, approved by-product lots and open material wants (of one province, if given)
 * as an exchange document.
 */
export async function exportDocument(
	db: Queryable,
	options: { province?: string } = {}
): Promise<ExchangeDocument> {
	const startupWhere: SQL[] = [publicStartup];
	if (options.province) startupWhere.push(eq(startups.provinceCode, options.province));
	const startupIds = await db
		.select({ id: startups.id, contactEmail: startups.contactEmail })
		.from(startups)
		.where(and(...startupWhere))
		.orderBy(asc(startups.id));
	const contacts = new Map(startupIds.map((r) => [r.id, r.contactEmail]));
	const demandWhere: SQL[] = [eq(demands.status, 'open')];
	if (options.province) demandWhere.push(eq(demands.deliveryProvinceCode, options.province));
	const demandIds = await db
		.select({ id: demands.id })
		.from(demands)
		.where(and(...demandWhere))
		.orderBy(asc(demands.id));
	const [startupSources, demandSources] = await Promise.all([
		loadStartupSources(
			db,
			startupIds.map((r) => r.id)
		),
		loadDemandSources(
			db,
			demandIds.map((r) => r.id)
		)
	]);
	const optional = <T>(value: T | null | undefined) =>
		value === null || value === undefined ? undefined : value;
	const waste = await exportWaste(db, options);
	return {
		format: 'provincial-matchmaking/v1',
		startups: startupSources.map((s) => ({
			ref: s.ref ?? s.id,
			province: s.province.code,
			name_th: optional(s.nameTh),
			name_en: optional(s.nameEn),
			summary_th: optional(s.summaryTh),
			summary_en: optional(s.summaryEn),
			tsic: s.divisions,
			certifications: s.certifications,
			products: s.products.map((p) => ({
				name_th: optional(p.nameTh),
				name_en: optional(p.nameEn),
				unit: p.unit,
				monthly_capacity: p.monthlyCapacity,
				price_thb_min: optional(p.priceThbMin),
				price_thb_max: optional(p.priceThbMax)
			})),
			contact_email: optional(contacts.get(s.id))
		})),
		demands: demandSources.map((d) => ({
			ref: d.ref ?? d.id,
			buyer_name: d.buyerName,
			title_th: optional(d.titleTh),
			title_en: optional(d.titleEn),
			details_th: optional(d.detailsTh),
			details_en: optional(d.detailsEn),
			tsic: d.division,
			quantity: d.quantity,
			unit: d.unit,
			recurrence: d.recurrence,
			price_thb_max: optional(d.priceThbMax),
			delivery_province: d.deliveryProvince?.code ?? null,
			needed_by: d.neededBy,
			required_certifications: d.requiredCertifications
		})),
		...waste
	};
}
