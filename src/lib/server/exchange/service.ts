// Import and export in the exchange format. An import is checked whole (shape, then every code against the
// reference tables) and written in one transaction: all or nothing. Records are keyed by `ref`, and a record
// that already holds the same data is left alone, so importing the same document twice changes nothing.
// Imported startups become approved candidates of their province, never its selected startup.
import { and, asc, eq, inArray, isNotNull, ne, type SQL } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import {
	auditEvents,
	certifications,
	demandCertifications,
	demands,
	organisations,
	products,
	provinces,
	startupCertifications,
	startupDivisions,
	startups,
	tsicDivisions
} from '../db/schema';
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
import type { Unit } from '$lib/schemas/units';

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

export interface ImportReport {
	startups: Record<ImportOutcome, number>;
	demands: Record<ImportOutcome, number>;
	/** What happened to each record, in the document's order (when asked for). */
	records?: { type: 'startup' | 'demand'; ref: string; outcome: ImportOutcome }[];
}

/** Thrown inside a dry run's transaction to roll it back once the report is complete. */
class DryRunDone extends Error {}

/** Every problem in the document, with its JSON path; empty when it can be imported. */
export async function checkDocument(
	db: Queryable,
	raw: unknown
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
	const check = (set: Set<string>, value: string | null | undefined, path: PropertyKey[], what: string) => {
		if (value && !set.has(value))
			problems.push({ path: jsonPath(path), message: `unknown ${what} "${value}"` });
	};
	document.startups.forEach((s, i) => {
		check(known.province, s.province, ['startups', i, 'province'], 'province');
		s.tsic.forEach((code, j) => check(known.division, code, ['startups', i, 'tsic', j], 'TSIC division'));
		s.certifications.forEach((id, j) =>
			check(known.certification, id, ['startups', i, 'certifications', j], 'certification')
		);
	});
	document.demands.forEach((d, i) => {
		check(known.province, d.delivery_province, ['demands', i, 'delivery_province'], 'province');
		check(known.division, d.tsic, ['demands', i, 'tsic'], 'TSIC division');
		d.required_certifications.forEach((id, j) =>
			check(known.certification, id, ['demands', i, 'required_certifications', j], 'certification')
		);
	});
	return { document, problems };
}

const slugOf = (ref: string) => `s-${ref.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 80);

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

async function importStartup(
	tx: Tx,
	s: ExchangeStartup,
	actor: string
): Promise<'created' | 'updated' | 'unchanged'> {
	const incoming = incomingProfile(s);
	const [existing] = await tx.select().from(startups).where(eq(startups.ref, s.ref));
	if (
		existing &&
		JSON.stringify(comparable(await loadProfile(tx, existing))) === JSON.stringify(incoming) &&
		existing.approvedAt
	)
		return 'unchanged';
	let startupId: string;
	const fields = {
		nameTh: incoming.nameTh,
		nameEn: incoming.nameEn,
		summaryTh: incoming.summaryTh,
		summaryEn: incoming.summaryEn,
		provinceCode: s.province,
		contactEmail: incoming.contactEmail
	};
	if (existing) {
		startupId = existing.id;
		await tx
			.update(organisations)
			.set({ name: (s.name_th ?? s.name_en)!, provinceCode: s.province })
			.where(eq(organisations.id, existing.organisationId));
		await tx.update(startups).set(fields).where(eq(startups.id, startupId));
		await tx.delete(startupDivisions).where(eq(startupDivisions.startupId, startupId));
		await tx.delete(startupCertifications).where(eq(startupCertifications.startupId, startupId));
		await tx.delete(products).where(eq(products.startupId, startupId));
	} else {
		const [organisation] = await tx
			.insert(organisations)
			.values({
				kind: 'startup',
				name: (s.name_th ?? s.name_en)!,
				provinceCode: s.province,
				contactEmail: incoming.contactEmail
			})
			.returning({ id: organisations.id });
		const [created] = await tx
			.insert(startups)
			.values({
				...fields,
				ref: s.ref,
				organisationId: organisation!.id,
				slug: slugOf(s.ref),
				status: 'approved'
			})
			.returning({ id: startups.id });
		startupId = created!.id;
	}
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
			.values(incoming.products.map((p, position) => ({ ...p, unit: p.unit as Unit, startupId, position })));
	const [row] = await tx.select().from(startups).where(eq(startups.id, startupId));
	const now = new Date();
	await tx
		.update(startups)
		.set({
			status: 'approved',
			approvedAt: row!.approvedAt ?? now,
			approvedSnapshot: {
				...(await loadProfile(tx, row!)),
				approvedAt: (row!.approvedAt ?? now).toISOString()
			}
		})
		.where(eq(startups.id, startupId));
	await tx.insert(auditEvents).values({
		actorLabel: actor,
		action: existing ? 'startup.import_update' : 'startup.import_create',
		subjectType: 'startup',
		subjectId: startupId,
		provinceCode: s.province,
		after: { ref: s.ref }
	});
	await enqueueSearchSync(tx, 'startup', [startupId]);
	return existing ? 'updated' : 'created';
}

async function buyerOrganisation(tx: Tx, name: string, cache: Map<string, string>): Promise<string> {
	const cached = cache.get(name);
	if (cached) return cached;
	const [found] = await tx
		.select({ id: organisations.id })
		.from(organisations)
		.where(and(eq(organisations.kind, 'buyer'), eq(organisations.name, name)))
		.limit(1);
	const id =
		found?.id ??
		(await tx.insert(organisations).values({ kind: 'buyer', name }).returning({ id: organisations.id }))[0]!
			.id;
	cache.set(name, id);
	return id;
}

async function importDemand(
	tx: Tx,
	d: ExchangeDemand,
	buyers: Map<string, string>
): Promise<'created' | 'updated' | 'unchanged'> {
	const buyerOrganisationId = await buyerOrganisation(tx, d.buyer_name, buyers);
	const fields = demandColumns(d, buyerOrganisationId);
	const required = [...new Set(d.required_certifications)].sort();
	const [existing] = await tx.select().from(demands).where(eq(demands.ref, d.ref));
	if (existing) {
		const held = (
			await tx
				.select({ id: demandCertifications.certificationId })
				.from(demandCertifications)
				.where(eq(demandCertifications.demandId, existing.id))
		)
			.map((r) => r.id)
			.sort();
		const same = Object.entries(fields).every(
			([key, value]) => existing[key as keyof typeof existing] === value
		);
		if (same && JSON.stringify(held) === JSON.stringify(required)) return 'unchanged';
		await tx.update(demands).set(fields).where(eq(demands.id, existing.id));
		await tx.delete(demandCertifications).where(eq(demandCertifications.demandId, existing.id));
	}
	const id =
		existing?.id ??
		(
			await tx
				.insert(demands)
				.values({ ...fields, ref: d.ref, status: 'open', publishedAt: new Date() })
				.returning({ id: demands.id })
		)[0]!.id;
	if (required.length)
		await tx
			.insert(demandCertifications)
			.values(required.map((certificationId) => ({ demandId: id, certificationId })));
	await enqueueSearchSync(tx, 'demand', [id]);
	return existing ? 'updated' : 'created';
}

const BATCH = 500;

function chunks<T>(items: T[], size = BATCH): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** New startups (refs not yet known), written in multi-row batches: the path a bulk load takes. */
async function createStartups(tx: Tx, records: ExchangeStartup[], actor: string): Promise<void> {
	for (const batch of chunks(records)) {
		const profiles = batch.map(incomingProfile);
		const organisationRows = await tx
			.insert(organisations)
			.values(
				batch.map((s, i) => ({
					kind: 'startup' as const,
					name: (s.name_th ?? s.name_en)!,
					provinceCode: s.province,
					contactEmail: profiles[i]!.contactEmail
				}))
			)
			.returning({ id: organisations.id });
		const now = new Date();
		// Product ids are made here, so each startup's approved snapshot (the shape loadProfile reads) goes in with
		// the startup itself rather than as one update per startup afterwards.
		const productIds = profiles.map((p) => p.products.map(() => crypto.randomUUID()));
		const startupRows = await tx
			.insert(startups)
			.values(
				batch.map((s, i) => {
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
						slug: slugOf(s.ref),
						status: 'approved' as const,
						provinceCode: s.province,
						nameTh: p.nameTh,
						nameEn: p.nameEn,
						summaryTh: p.summaryTh,
						summaryEn: p.summaryEn,
						contactEmail: p.contactEmail,
						approvedAt: now,
						approvedSnapshot: snapshot
					};
				})
			)
			.returning({ id: startups.id });
		const ids = startupRows.map((r) => r.id);
		const divisionRows = batch.flatMap((_, i) =>
			profiles[i]!.divisions.map((divisionCode) => ({ startupId: ids[i]!, divisionCode }))
		);
		if (divisionRows.length) await tx.insert(startupDivisions).values(divisionRows);
		const certificationRows = batch.flatMap((_, i) =>
			profiles[i]!.certifications.map((c) => ({ startupId: ids[i]!, certificationId: c.id }))
		);
		if (certificationRows.length) await tx.insert(startupCertifications).values(certificationRows);
		const productValues = batch.flatMap((_, i) =>
			profiles[i]!.products.map((p, position) => ({
				...p,
				id: productIds[i]![position]!,
				unit: p.unit as Unit,
				startupId: ids[i]!,
				position
			}))
		);
		if (productValues.length) await tx.insert(products).values(productValues);
		await tx.insert(auditEvents).values(
			batch.map((s, i) => ({
				actorLabel: actor,
				action: 'startup.import_create',
				subjectType: 'startup',
				subjectId: ids[i]!,
				provinceCode: s.province,
				after: { ref: s.ref }
			}))
		);
		await enqueueSearchSync(tx, 'startup', ids);
	}
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
async function createDemands(tx: Tx, records: ExchangeDemand[], buyers: Map<string, string>): Promise<void> {
	for (const batch of chunks(records)) {
		for (const d of batch) await buyerOrganisation(tx, d.buyer_name, buyers);
		const now = new Date();
		const rows = await tx
			.insert(demands)
			.values(
				batch.map((d) => ({
					ref: d.ref,
					...demandColumns(d, buyers.get(d.buyer_name)!),
					status: 'open' as const,
					publishedAt: now
				}))
			)
			.returning({ id: demands.id });
		const certificationRows = batch.flatMap((d, i) =>
			[...new Set(d.required_certifications)].map((certificationId) => ({
				demandId: rows[i]!.id,
				certificationId
			}))
		);
		if (certificationRows.length) await tx.insert(demandCertifications).values(certificationRows);
		await enqueueSearchSync(
			tx,
			'demand',
			rows.map((r) => r.id)
		);
	}
}

/**
 * The refs of approved startups whose approved profile already equals the record, found a batch at a time: a
 * monthly re-send of a whole document is mostly these, and needs no per-record reads. (An approved startup's
 * snapshot is its live profile: any change to what a record holds either republishes it or sends it to review.)
 */
/** JSON with every object's keys sorted: equal values give equal text whatever order their keys came in. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
			: v
	);
}

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
		if (canonical(comparable(row.snapshot as Profile)) === canonical(incomingProfile(record)))
			same.add(record.ref);
	}
	return same;
}

async function knownRefs(
	tx: Tx,
	table: typeof startups | typeof demands,
	refs: string[]
): Promise<Set<string>> {
	const known = new Set<string>();
	for (const batch of chunks(refs, 5000)) {
		const rows = await tx.select({ ref: table.ref }).from(table).where(inArray(table.ref, batch));
		for (const row of rows) if (row.ref) known.add(row.ref);
	}
	return known;
}

/** Imports a whole document or nothing; throws ImportRejected listing every problem. */
export async function importDocument(
	db: Db,
	raw: unknown,
	options: {
		actor: string;
		onProgress?: (done: number, total: number) => void;
		/** Report each record's outcome. */
		records?: boolean;
		/** Do everything, report, and roll back: nothing is stored. */
		dryRun?: boolean;
	}
): Promise<ImportReport> {
	const { document, problems } = await checkDocument(db, raw);
	if (!document || problems.length) throw new ImportRejected(problems);
	const report: ImportReport = {
		startups: { created: 0, updated: 0, unchanged: 0 },
		demands: { created: 0, updated: 0, unchanged: 0 }
	};
	const outcomes = new Map<string, ImportOutcome>();
	const note = (type: 'startup' | 'demand', ref: string, outcome: ImportOutcome) => {
		report[type === 'startup' ? 'startups' : 'demands'][outcome]++;
		if (options.records) outcomes.set(`${type}:${ref}`, outcome);
	};
	const total = document.startups.length + document.demands.length;
	let done = 0;
	const progress = (n: number) => options.onProgress?.((done += n), total);
	const run = db.transaction(async (tx) => {
		// Records new to the portal go in batches; known ones are compared and updated one by one.
		const knownStartups = await knownRefs(
			tx,
			startups,
			document.startups.map((s) => s.ref)
		);
		const fresh = document.startups.filter((s) => !knownStartups.has(s.ref));
		for (const batch of chunks(fresh)) {
			await createStartups(tx, batch, options.actor);
			for (const s of batch) note('startup', s.ref, 'created');
			progress(batch.length);
		}
		for (const batch of chunks(document.startups.filter((s) => knownStartups.has(s.ref)))) {
			const same = await unchangedRefs(tx, batch);
			for (const s of batch) {
				note('startup', s.ref, same.has(s.ref) ? 'unchanged' : await importStartup(tx, s, options.actor));
				progress(1);
			}
		}
		const buyers = new Map<string, string>();
		const knownDemands = await knownRefs(
			tx,
			demands,
			document.demands.map((d) => d.ref)
		);
		const freshDemands = document.demands.filter((d) => !knownDemands.has(d.ref));
		for (const batch of chunks(freshDemands)) {
			await createDemands(tx, batch, buyers);
			for (const d of batch) note('demand', d.ref, 'created');
			progress(batch.length);
		}
		for (const d of document.demands.filter((d) => knownDemands.has(d.ref))) {
			note('demand', d.ref, await importDemand(tx, d, buyers));
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
		report.records = [
			...document.startups.map((s) => ({
				type: 'startup' as const,
				ref: s.ref,
				outcome: outcomes.get(`startup:${s.ref}`)!
			})),
			...document.demands.map((d) => ({
				type: 'demand' as const,
				ref: d.ref,
				outcome: outcomes.get(`demand:${d.ref}`)!
			}))
		];
	return report;
}

/** Approved startups and open demands (of one delivery/startup province, if given) as an exchange document. */
export async function exportDocument(
	db: Queryable,
	options: { province?: string } = {}
): Promise<ExchangeDocument> {
	const startupWhere: SQL[] = [isNotNull(startups.approvedAt), ne(startups.status, 'suspended')];
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
				unit: p.unit as ExchangeStartup['products'][number]['unit'],
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
			unit: d.unit as ExchangeDemand['unit'],
			recurrence: d.recurrence as ExchangeDemand['recurrence'],
			price_thb_max: optional(d.priceThbMax),
			delivery_province: d.deliveryProvince?.code ?? null,
			needed_by: d.neededBy,
			required_certifications: d.requiredCertifications
		}))
	};
}
