// Loads the demo data set (generate.ts) through the services real writes use: the exchange import for startups
// and open demands, the curation service for this year's province selections. Demand that already ended, with its
// offers and deals, has no service that backdates, so it is written here with the audit events and search-outbox
// rows the services would leave. Idempotent: every record is keyed by its demo- ref and what exists is left alone.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import {
	deals,
	demandCertifications,
	demands,
	offers,
	organisations,
	provinceSelections,
	startups,
	users
} from '../db/schema';
import { recordAudit } from '../audit/record';
import { selectProvinceStartup } from '../curation/service';
import type { Actor } from '../auth/actor';
import { demandColumns, importDocument, type ImportReport } from '../exchange/service';
import { enqueueSearchSync } from '../search/outbox';
import { isPublicStartup } from '../startups/public';
import { DEMO_MARK_EN, DEMO_MARK_TH } from './data';
import { generateDemo, type DemoData, type DemoOpenDemand } from './generate';
import { one } from '../db/rows';

/** The actor label of what the loader writes itself, as `cli` is for the import command. */
export const DEMO_ACTOR = 'demo-seed';
/** Makes the demo selections: an administrator that is suspended and has no password, so nobody signs in as it. */
export const DEMO_CURATOR_EMAIL = 'demo-curator@demo.example.org';

export interface DemoReport {
	year: number;
	startups: ImportReport['startups'];
	openDemands: ImportReport['demands'];
	pastDemands: { created: number; unchanged: number };
	deals: number;
	/** `skipped`: the province already has another startup for the year (an office chose), which the demo keeps. */
	selections: { created: number; unchanged: number; skipped: number };
}

const DAY = 86_400_000;

async function demoCurator(db: Db): Promise<Pick<Actor, 'id' | 'email'>> {
	return db.transaction(async (tx) => {
		const [found] = await tx
			.select({ id: users.id, email: users.email })
			.from(users)
			.where(sql`lower(${users.email}) = ${DEMO_CURATOR_EMAIL}`);
		if (found) return found;
		const curator = one(
			await tx
				.insert(users)
				.values({
					email: DEMO_CURATOR_EMAIL,
					role: 'admin',
					status: 'suspended',
					displayName: `${DEMO_MARK_TH}ผู้คัดเลือก / ${DEMO_MARK_EN}Curator`
				})
				.returning({ id: users.id, email: users.email }),
			'insert into users'
		);
		await recordAudit(tx, {
			actorLabel: DEMO_ACTOR,
			action: 'user.create_admin',
			subjectType: 'user',
			subjectId: curator.id,
			after: { email: curator.email, role: 'admin', status: 'suspended' }
		});
		return curator;
	});
}

async function existingRefs(db: Queryable, refs: string[]): Promise<Set<string>> {
	if (refs.length === 0) return new Set();
	const rows = await db.select({ ref: demands.ref }).from(demands).where(inArray(demands.ref, refs));
	return new Set(rows.map((r) => r.ref!));
}

/**
 * The import publishes at the moment it runs; demo demands get the posting dates the generator chose, so the
 * monthly trend shows a history rather than one spike. Only demands this run created are moved.
 */
async function backdate(db: Db, created: DemoOpenDemand[], now: Date): Promise<void> {
	const byDays = new Map<number, string[]>();
	for (const d of created)
		byDays.set(d.postedDaysAgo, [...(byDays.get(d.postedDaysAgo) ?? []), d.record.ref]);
	await db.transaction(async (tx) => {
		for (const [days, refs] of byDays) {
			const at = new Date(now.getTime() - days * DAY);
			const rows = await tx
				.update(demands)
				.set({ publishedAt: at, createdAt: at })
				.where(inArray(demands.ref, refs))
				.returning({ id: demands.id });
			await enqueueSearchSync(
				tx,
				'demand',
				rows.map((r) => r.id)
			);
		}
	});
}

/** Buyer organisations by name, created when missing: the same identity the exchange import gives them. */
async function buyerOrganisations(tx: Tx, names: string[]): Promise<Map<string, string>> {
	const ids = new Map<string, string>();
	const found = await tx
		.select({ id: organisations.id, name: organisations.name })
		.from(organisations)
		.where(and(eq(organisations.kind, 'buyer'), inArray(organisations.name, names)));
	for (const row of found) if (!ids.has(row.name)) ids.set(row.name, row.id);
	const missing = names.filter((name) => !ids.has(name));
	if (missing.length) {
		const rows = await tx
			.insert(organisations)
			.values(missing.map((name) => ({ kind: 'buyer' as const, name })))
			.returning({ id: organisations.id, name: organisations.name });
		for (const row of rows) ids.set(row.name, row.id);
	}
	return ids;
}

async function writePastDemands(db: Db, data: DemoData): Promise<{ created: number; deals: number }> {
	return db.transaction(async (tx) => {
		const known = await existingRefs(
			tx,
			data.pastDemands.map((p) => p.record.ref)
		);
		const fresh = data.pastDemands.filter((p) => !known.has(p.record.ref));
		if (fresh.length === 0) return { created: 0, deals: 0 };
		const buyers = await buyerOrganisations(tx, [...new Set(fresh.map((p) => p.record.buyer_name))]);
		const sellerRefs = [...new Set(fresh.flatMap((p) => (p.deal ? [p.deal.startupRef] : [])))];
		const sellers = new Map<string, string>();
		if (sellerRefs.length)
			for (const row of await tx
				.select({ id: startups.id, ref: startups.ref })
				.from(startups)
				.where(inArray(startups.ref, sellerRefs)))
				sellers.set(row.ref!, row.id);
		const rows = await tx
			.insert(demands)
			.values(
				fresh.map(({ record: d, status, publishedAt, closedAt }) => ({
					ref: d.ref,
					...demandColumns(d, buyers.get(d.buyer_name)!),
					status,
					publishedAt,
					closedAt,
					createdAt: publishedAt,
					updatedAt: closedAt
				}))
			)
			.returning({ id: demands.id, ref: demands.ref });
		const idOf = new Map(rows.map((r) => [r.ref!, r.id]));
		const certificationRows = fresh.flatMap((p) =>
			p.record.required_certifications.map((certificationId) => ({
				demandId: idOf.get(p.record.ref)!,
				certificationId
			}))
		);
		if (certificationRows.length) await tx.insert(demandCertifications).values(certificationRows);
		const fulfilled = fresh.filter((p) => p.deal);
		if (fulfilled.length) {
			const offerRows = await tx
				.insert(offers)
				.values(
					fulfilled.map((p) => {
						const startupId = sellers.get(p.deal!.startupRef);
						if (!startupId) throw new Error(`demo startup ${p.deal!.startupRef} is missing`);
						return {
							demandId: idOf.get(p.record.ref)!,
							startupId,
							quantity: p.record.quantity,
							unitPriceThb: p.deal!.unitPriceThb,
							leadTimeDays: p.deal!.leadTimeDays,
							status: 'accepted' as const,
							decidedAt: p.closedAt,
							createdAt: p.deal!.offeredAt,
							updatedAt: p.closedAt
						};
					})
				)
				.returning({ id: offers.id });
			await tx.insert(deals).values(
				fulfilled.map((p, i) => ({
					offerId: offerRows[i]!.id,
					demandId: idOf.get(p.record.ref)!,
					quantity: p.record.quantity,
					valueThb: Math.round(p.record.quantity * p.deal!.unitPriceThb * 100) / 100,
					createdAt: p.closedAt
				}))
			);
		}
		// What the buyer would have done by hand: published, and for a closed one, closed. Fulfilment and expiry
		// are the system's doing and the services record no event for them either.
		await recordAudit(
			tx,
			fresh.flatMap((p) => {
				const base = {
					actorLabel: DEMO_ACTOR,
					subjectType: 'demand',
					subjectId: idOf.get(p.record.ref)!,
					provinceCode: p.record.delivery_province ?? null
				};
				const published = {
					...base,
					action: 'demand.publish',
					before: { status: 'draft' },
					after: { status: 'open' },
					at: p.publishedAt
				};
				return p.status === 'closed'
					? [
							published,
							{
								...base,
								action: 'demand.close',
								before: { status: 'open' },
								after: { status: 'closed' },
								at: p.closedAt
							}
						]
					: [published];
			})
		);
		await enqueueSearchSync(tx, 'demand', [...idOf.values()]);
		return { created: fresh.length, deals: fulfilled.length };
	});
}

async function selectStartups(db: Db, data: DemoData, curator: Pick<Actor, 'id' | 'email'>, origin: string) {
	const result = { created: 0, unchanged: 0, skipped: 0 };
	const chosen = new Map(
		(
			await db
				.select({
					id: startups.id,
					ref: startups.ref,
					status: startups.status,
					approvedSnapshot: startups.approvedSnapshot
				})
				.from(startups)
				.where(
					inArray(
						startups.ref,
						data.selections.map((s) => s.startupRef)
					)
				)
		).map((r) => [r.ref!, r])
	);
	const current = new Map(
		(
			await db
				.select({ province: provinceSelections.provinceCode, startupId: provinceSelections.startupId })
				.from(provinceSelections)
				.where(eq(provinceSelections.year, data.year))
		).map((r) => [r.province, r.startupId])
	);
	for (const selection of data.selections) {
		const startup = chosen.get(selection.startupRef);
		const existing = current.get(selection.province);
		if (startup && existing === startup.id) result.unchanged++;
		// The office already chose (or an admin suspended the demo startup): its decision stands.
		else if (existing || !startup || !isPublicStartup(startup)) result.skipped++;
		else {
			await selectProvinceStartup(
				db,
				curator,
				selection.province,
				{
					startupId: startup.id,
					year: data.year,
					reason: `${DEMO_MARK_TH}คัดเลือกเพื่อสาธิตระบบ / ${DEMO_MARK_EN}Selected to demonstrate the portal`
				},
				origin
			);
			result.created++;
		}
	}
	return result;
}

/**
 * Loads (or tops up) the demo data for all 77 provinces. `now` fixes the dates (tests pass one); `origin` is the
 * portal's address for the links in any notification a service sends (demo organisations have no members, so
 * none goes out in practice).
 */
export async function seedDemo(db: Db, options: { origin: string; now?: Date }): Promise<DemoReport> {
	const now = options.now ?? new Date();
	const data = generateDemo({ now });
	const curator = await demoCurator(db);
	const known = await existingRefs(
		db,
		data.openDemands.map((d) => d.record.ref)
	);
	const imported = await importDocument(
		db,
		{
			format: 'provincial-matchmaking/v1',
			startups: data.startups,
			demands: data.openDemands.map((d) => d.record)
		},
		{ actor: DEMO_ACTOR }
	);
	await backdate(
		db,
		data.openDemands.filter((d) => !known.has(d.record.ref)),
		now
	);
	const past = await writePastDemands(db, data);
	const selections = await selectStartups(db, data, curator, options.origin);
	return {
		year: data.year,
		startups: imported.startups,
		openDemands: imported.demands,
		pastDemands: { created: past.created, unchanged: data.pastDemands.length - past.created },
		deals: past.deals,
		selections
	};
}
