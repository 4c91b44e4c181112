// `npm run bench -- alerts`: 10,000 saved searches and 1,000 new demands on a fresh portal (its own PostgreSQL and
// Meilisearch). The demands go through the search outbox as every write does; the drain indexes them and looks up
// the saved searches they enter; then every alert is delivered (at once, and the daily and weekly digests once
// their periods turn). Reported: the time of each step, the candidate checks done against re-running every search
// over every new demand (10,000 × 1,000), and whether the keyed lookup found exactly what re-running finds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, isNull } from 'drizzle-orm';
import { anchorsOf, criteriaSchema, matches } from '../src/lib/server/alerts/criteria';
import { deliverAlerts, listingsOf, periodStart, recordMatches } from '../src/lib/server/alerts/service';
import {
	demands,
	organisations,
	savedSearchHits,
	savedSearches,
	searchOutbox,
	users
} from '../src/lib/server/db/schema';
import { parseEnv } from '../src/lib/server/env';
import { startRuntime } from '../src/lib/server/runtime';
import { demandDocument } from '../src/lib/server/search/documents';
import { drainOutboxOnce } from '../src/lib/server/search/outbox';
import { loadDemandSources } from '../src/lib/server/search/sources';
import { freePort } from '../tests/helpers/ports';
import { todayInThailand } from '../src/lib/schemas/calendar-date';

type Row = { measure: string; value: string };

const SAMPLE = 100;

const PRODUCTS = [
	'ข้าวหอมมะลิ',
	'ทุเรียน',
	'มังคุด',
	'ลำไย',
	'กาแฟ',
	'ยางพารา',
	'มันสำปะหลัง',
	'อ้อย',
	'ปาล์มน้ำมัน',
	'ข้าวโพด',
	'สับปะรด',
	'มะพร้าว',
	'กล้วยหอม',
	'ผ้าไหม',
	'สมุนไพร',
	'น้ำผึ้ง',
	'ชา',
	'โกโก้',
	'พริก',
	'กระเทียม',
	'หอมแดง',
	'ปลาทูน่า',
	'กุ้ง',
	'ไข่ไก่',
	'นมโค',
	'เห็ด',
	'มะม่วง',
	'ลิ้นจี่',
	'เงาะ',
	'ส้มโอ',
	'ขิง',
	'ตะไคร้',
	'ถั่วเหลือง',
	'งา',
	'กระดาษ',
	'cashew',
	'cassava',
	'coffee',
	'rubber',
	'durian'
];
const QUALIFIERS = ['อบแห้ง', 'แช่แข็ง', 'อินทรีย์', 'ส่งออก', 'บรรจุถุง', 'เกรดเอ', 'สด', 'ผง'];
const PROVINCES = ['TH-10', 'TH-50', 'TH-57', 'TH-40', 'TH-30', 'TH-90', 'TH-83', 'TH-20', 'TH-70', 'TH-34'];
const DIVISIONS = ['01', '10', '13', '20', '22'];

/** A small deterministic generator, so every run measures the same data. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1_664_525 + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

export async function alertsBench(
	searchCount = Number(process.env.BENCH_SEARCHES ?? 10_000),
	demandCount = Number(process.env.BENCH_DEMANDS ?? 1_000)
): Promise<Row[]> {
	const t0 = performance.now();
	const progress = (step: string) =>
		console.error(`[alerts] ${((performance.now() - t0) / 1000).toFixed(1)} s ${step}`);
	const next = random(24);
	const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-alerts-'));
	const runtime = await startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
		outboxWorker: false,
		emailWorker: false,
		scheduler: false,
		log: () => {}
	});
	const { db } = runtime;
	progress('portal started');
	const rows: Row[] = [];
	try {
		// People: 10 saved searches each (the limit is 50).
		const people = Math.ceil(searchCount / 10);
		const orgs = await db
			.insert(organisations)
			.values(Array.from({ length: people }, (_, i) => ({ kind: 'startup' as const, name: `Bench ${i}` })))
			.returning({ id: organisations.id });
		const members = await db
			.insert(users)
			.values(
				orgs.map((org, i) => ({
					email: `bench-${i}@alerts.test`,
					role: 'startup' as const,
					organisationId: org.id
				}))
			)
			.returning({ id: users.id });
		// Searches: most by words (some with a province), some by filters alone, a handful for every new demand.
		const searches = Array.from({ length: searchCount }, (_, i) => {
			const kind = next();
			const input =
				kind < 0.5
					? { q: pick(PRODUCTS) }
					: kind < 0.75
						? { q: `${pick(PRODUCTS)} ${pick(QUALIFIERS)}` }
						: kind < 0.9
							? { q: pick(PRODUCTS), province: [pick(PROVINCES)] }
							: kind < 0.999
								? { tsic: [pick(DIVISIONS)], province: [pick(PROVINCES)] }
								: {};
			const criteria = criteriaSchema.parse({ type: 'demand', ...input });
			const frequency: 'instant' | 'daily' | 'weekly' =
				next() < 0.6 ? 'instant' : next() < 0.75 ? 'daily' : 'weekly';
			return {
				userId: members[i % members.length]!.id,
				name: `search ${i}`,
				source: 'demand' as const,
				criteria,
				anchors: anchorsOf(criteria),
				frequency
			};
		});
		for (let i = 0; i < searches.length; i += 1000)
			await db.insert(savedSearches).values(searches.slice(i, i + 1000));

		progress('searches saved');
		const buyers = await db
			.insert(organisations)
			.values(Array.from({ length: 20 }, (_, i) => ({ kind: 'buyer' as const, name: `Buyer ${i}` })))
			.returning({ id: organisations.id });
		const neededBy = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
		// The demands and their outbox rows in one transaction, as the demand service writes them.
		const created = await db.transaction(async (tx) => {
			const inserted: { id: string }[] = [];
			for (let i = 0; i < demandCount; i += 500) {
				const batch = Array.from({ length: Math.min(500, demandCount - i) }, () => ({
					buyerOrganisationId: pick(buyers).id,
					titleTh:
						next() < 0.5 ? `${pick(PRODUCTS)}${pick(QUALIFIERS)}` : `${pick(PRODUCTS)} ${pick(QUALIFIERS)}`,
					divisionCode: pick(DIVISIONS),
					deliveryProvinceCode: next() < 0.8 ? pick(PROVINCES) : null,
					quantity: 1 + Math.floor(next() * 100),
					unit: 'tonne' as const,
					recurrence: 'monthly' as const,
					neededBy,
					status: 'open' as const,
					publishedAt: new Date()
				}));
				const ids = await tx.insert(demands).values(batch).returning({ id: demands.id });
				await tx
					.insert(searchOutbox)
					.values(ids.map(({ id }) => ({ entity: 'demand' as const, entityId: id, op: 'upsert' as const })));
				inserted.push(...ids);
			}
			return inserted;
		});

		progress('demands written');
		// The lookup alone (what the drain adds to indexing), rolled back, to count its checks and time it.
		const sources = await loadDemandSources(
			db,
			created.map((d) => d.id)
		);
		const listings = listingsOf('demand', sources.map(demandDocument));
		let lookup = { candidateChecks: 0, hits: 0, ms: 0 };
		await db
			.transaction(async (tx) => {
				const started = performance.now();
				const result = await recordMatches(tx, listings);
				lookup = { ...result, ms: performance.now() - started };
				throw new Error('rollback');
			})
			.catch((error: unknown) => {
				if (!(error instanceof Error) || error.message !== 'rollback') throw error;
			});

		progress('lookup timed');
		// Re-running every search over new demands, in memory (no database at all): the work avoided. Over a sample
		// of the demands (all 10,000,000 pairs take minutes), scaled up; the sample's hits are compared with the lookup's.
		const sample = listings.slice(0, Math.min(SAMPLE, listings.length));
		const sampleIds = new Set(sample.map((l) => l.document.id));
		const day = todayInThailand();
		let naiveHits = 0;
		const naiveStarted = performance.now();
		for (const { criteria } of searches)
			for (const listing of sample) if (matches(criteria, listing, day)) naiveHits++;
		const naiveMs = ((performance.now() - naiveStarted) * listings.length) / Math.max(1, sample.length);
		progress('re-run timed');
		// End to end: drain (index in Meilisearch + lookup), then deliver.
		const drainStarted = performance.now();
		for (;;) {
			const { processed, failed } = await drainOutboxOnce(db, runtime.search.indexer, 500);
			if (failed > 0) throw new Error(`${failed} outbox rows failed`);
			if (processed === 0) break;
		}
		const drainMs = performance.now() - drainStarted;
		const [recorded] = await db.select({ n: count() }).from(savedSearchHits);
		const recordedInSample = (await db.select({ id: savedSearchHits.entityId }).from(savedSearchHits)).filter(
			(hit) => sampleIds.has(hit.id)
		).length;

		progress('drained');
		const now = new Date();
		let started = performance.now();
		const instant = await deliverAlerts(db, 'http://bench.test', now);
		const instantMs = performance.now() - started;
		const afterWeek = new Date(periodStart('weekly', now).getTime() + 7 * 86_400_000 + 60_000);
		started = performance.now();
		const digests = await deliverAlerts(db, 'http://bench.test', afterWeek);
		const digestMs = performance.now() - started;
		const [left] = await db
			.select({ n: count() })
			.from(savedSearchHits)
			.where(isNull(savedSearchHits.alertedAt));

		const all = searchCount * demandCount;
		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		rows.push(
			{
				measure: 'saved searches · new demands',
				value: `${searchCount.toLocaleString('en')} · ${demandCount.toLocaleString('en')}`
			},
			{
				measure: `drain: index ${demandCount.toLocaleString('en')} demands in Meilisearch + keyed lookup`,
				value: s(drainMs)
			},
			{ measure: 'keyed lookup alone (one query + exact checks)', value: s(lookup.ms) },
			{ measure: 'candidate checks (keyed lookup)', value: lookup.candidateChecks.toLocaleString('en') },
			{
				measure: 'checks when re-running every search (searches × demands)',
				value: all.toLocaleString('en')
			},
			{
				measure: 'share of work vs re-running all',
				value: `${((100 * lookup.candidateChecks) / all).toFixed(2)} %`
			},
			{
				measure: `re-running all, in memory only (timed on ${sample.length} demands, scaled)`,
				value: s(naiveMs)
			},
			{ measure: 'listings that entered searches (keyed lookup)', value: recorded!.n.toLocaleString('en') },
			{
				measure: `on the ${sample.length} sampled demands: keyed lookup / re-run all`,
				value: `${recordedInSample.toLocaleString('en')} / ${naiveHits.toLocaleString('en')}`
			},
			{
				measure: 'alerts at once delivered (searches · listings)',
				value: `${instant.alerts.toLocaleString('en')} · ${instant.listings.toLocaleString('en')} in ${s(instantMs)}`
			},
			{
				measure: 'daily + weekly digests delivered (searches · listings)',
				value: `${digests.alerts.toLocaleString('en')} · ${digests.listings.toLocaleString('en')} in ${s(digestMs)}`
			},
			{
				measure: 'time to deliver every alert (drain + at once + digests)',
				value: s(drainMs + instantMs + digestMs)
			},
			{ measure: 'hits left undelivered', value: String(left!.n) }
		);
	} finally {
		await runtime.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	return rows;
}
