// `npm run bench -- matching`: 10,000 startups and 100,000 demands (deterministic), imported through the exchange
// path and indexed, then the latencies that matter: write → searchable, matching through the service against a
// bare Meilisearch query of the same shape, the Postgres fallback, and memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { parseEnv } from '../src/lib/server/env';
import { demandCertifications, demands, startups } from '../src/lib/server/db/schema';
import { importDocument } from '../src/lib/server/exchange/service';
import { compatibleDivisions } from '../src/lib/server/matching/related';
import { matchStartupsForDemand, textSearches } from '../src/lib/server/matching/service';
import { proposeSplit } from '../src/lib/server/volumes/split';
import { proposeGroupForDemand } from '../src/lib/server/volumes/service';
import { provinceData } from '../src/lib/server/reference';
import { INDEXES } from '../src/lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync, startOutboxWorker } from '../src/lib/server/search/outbox';
import { SYNONYM_PAIRS } from '../src/lib/server/search/synonyms';
import { quote } from '../src/lib/server/search/filters';
import { UNITS } from '../src/lib/schemas/units';
import { convertQuantity } from '../src/lib/units';
import { startRuntime } from '../src/lib/server/runtime';
import { freePort } from '../tests/helpers/ports';

type Row = { measure: string; value: string };

/** mulberry32: a small deterministic generator, so every run builds the same data. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FOOD = new Set(['01', '03', '10', '11']);
const CERTS = ['thai-fda', 'gmp', 'organic-thailand', 'halal', 'tis', 'otop-star', 'gap', 'haccp'];

export function generate(startupCount: number, demandCount: number) {
	const next = random(2026);
	const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
	const provinces = provinceData.map((p) => p.code);
	const unitOf = (division: string) => (FOOD.has(division) ? 'kg' : 'piece');
	const startupList = Array.from({ length: startupCount }, (_, i) => {
		const pair = pick(SYNONYM_PAIRS);
		const second = pick(SYNONYM_PAIRS);
		const language = i % 3;
		return {
			ref: `bs-${i}`,
			province: pick(provinces),
			...(language !== 1 ? { name_th: `${pair.th}${pick(['ดี', 'ไทย', 'สยาม', 'ทอง', 'ชุมชน'])} ${i}` } : {}),
			...(language !== 0 ? { name_en: `${pair.en} ${pick(['Co.', 'Farm', 'Group', 'Works'])} ${i}` } : {}),
			tsic: [...new Set([pair.division, second.division])],
			certifications: CERTS.filter(() => next() < 0.25),
			products: [pair, second].map((p) => ({
				name_th: p.th,
				name_en: p.en,
				unit: unitOf(p.division),
				monthly_capacity: Math.round(50 + next() * 5000),
				price_thb_min: Math.round(20 + next() * 500)
			}))
		};
	});
	const demandList = Array.from({ length: demandCount }, (_, i) => {
		const pair = pick(SYNONYM_PAIRS);
		const language = i % 3;
		return {
			ref: `bd-${i}`,
			buyer_name: `Buyer ${i % 500}`,
			...(language !== 1 ? { title_th: `ต้องการ${pair.th}` } : {}),
			...(language !== 0 ? { title_en: `Need ${pair.en}` } : {}),
			tsic: pair.division,
			quantity: Math.round(10 + next() * 2000),
			unit: unitOf(pair.division),
			recurrence: next() < 0.5 ? 'monthly' : 'once',
			price_thb_max: next() < 0.6 ? Math.round(50 + next() * 600) : undefined,
			delivery_province: next() < 0.8 ? pick(provinces) : null,
			needed_by: '2099-12-31',
			required_certifications: CERTS.filter(() => next() < 0.08)
		};
	});
	return { format: 'provincial-matchmaking/v1', startups: startupList, demands: demandList };
}

function quantiles(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
	return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function rssMiB(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export async function matchingBench(
	startupCount = Number(process.env.BENCH_STARTUPS ?? 10_000),
	demandCount = Number(process.env.BENCH_DEMANDS ?? 100_000)
): Promise<Row[]> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-matching-'));
	const runtime = await startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
		outboxWorker: false,
		emailWorker: false,
		scheduler: false,
		log: () => {}
	});
	const rows: Row[] = [];
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	try {
		const document = generate(startupCount, demandCount);
		let started = performance.now();
		await importDocument(runtime.db, document, { actor: 'bench' });
		const importSeconds = (performance.now() - started) / 1000;
		started = performance.now();
		while ((await drainOutboxOnce(runtime.db, runtime.search.indexer, 2000)).processed > 0);
		const indexSeconds = (performance.now() - started) / 1000;
		rows.push({
			measure: `bulk import (${startupCount} startups, ${demandCount} demands)`,
			value: `${importSeconds.toFixed(1)} s`
		});
		rows.push({ measure: 'indexing through the outbox', value: `${indexSeconds.toFixed(1)} s` });

		// Write → searchable, with the outbox worker running as in the app (1 s interval).
		const worker = startOutboxWorker(runtime.db, runtime.search.indexer);
		const visible: number[] = [];
		for (let i = 0; i < 20; i++) {
			const ref = `bs-${i}`;
			const marker = `benchmark${i}x${Date.now()}`;
			const t0 = performance.now();
			const [row] = await runtime.db.transaction(async (tx) => {
				const updated = await tx
					.update(startups)
					.set({ nameEn: marker })
					.where(eq(startups.ref, ref))
					.returning({ id: startups.id });
				await enqueueSearchSync(tx, 'startup', [updated[0]!.id]);
				return updated;
			});
			while (
				(await runtime.search.client.index(INDEXES.startups.uid).search(marker, { limit: 1 })).hits[0]?.id !==
				row!.id
			) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			visible.push(performance.now() - t0);
		}
		await worker.stop();
		const v = quantiles(visible);
		rows.push({ measure: 'write → searchable: p50 / p95', value: `${ms(v.p50)} / ${ms(v.p95)}` });

		// Matching through the service against the bare query it makes (same filters, same text).
		const sample = await runtime.db
			.select({
				id: demands.id,
				division: demands.divisionCode,
				unit: demands.unit,
				title: demands.titleEn,
				titleTh: demands.titleTh
			})
			.from(demands)
			.limit(300);
		const required = new Map<string, string[]>();
		for (const row of await runtime.db
			.select()
			.from(demandCertifications)
			.where(
				inArray(
					demandCertifications.demandId,
					sample.map((d) => d.id)
				)
			))
			required.set(row.demandId, [...(required.get(row.demandId) ?? []), row.certificationId]);
		const service: number[] = [];
		const bare: number[] = [];
		for (const [i, d] of sample.entries()) {
			const throughService = async () => {
				const t0 = performance.now();
				await matchStartupsForDemand(runtime.db, runtime.search.client, d.id, { limit: 10 });
				service.push(performance.now() - t0);
			};
			// The same filter and the same searches the service sends (its text searches, then the filter-only half).
			const list = (values: string[]) => `[${values.map(quote).join(', ')}]`;
			const filter = [
				'status = "approved"',
				`tsic IN ${list(compatibleDivisions(d.division))}`,
				`units IN ${list(UNITS.filter((u) => convertQuantity(1, d.unit, u) !== null))}`,
				...(required.get(d.id) ?? []).map((id) => `certifications = ${quote(id)}`)
			];
			const query = [d.titleTh, d.title].filter(Boolean).join(' ');
			const bareQuery = async () => {
				const t0 = performance.now();
				await runtime.search.client.multiSearch({
					queries: [
						...textSearches(query).map((q) => ({ indexUid: INDEXES.startups.uid, filter, limit: 50, ...q })),
						{ indexUid: INDEXES.startups.uid, q: '', filter, limit: 200 }
					]
				});
				bare.push(performance.now() - t0);
			};
			// Each goes first half the time, so neither gains from the other having just warmed a cache.
			if (i % 2 === 0) await throughService().then(bareQuery);
			else await bareQuery().then(throughService);
		}
		const s = quantiles(service);
		const b = quantiles(bare);
		rows.push({
			measure: 'match demand → startups (service): p50 / p95 / p99',
			value: `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`
		});
		rows.push({
			measure: 'bare Meilisearch query, same shape: p50 / p95',
			value: `${ms(b.p50)} / ${ms(b.p95)}`
		});
		rows.push({
			measure: 'service ÷ bare: p50 / p95 (target ≤ 1.3 each)',
			value: `${(s.p50 / b.p50).toFixed(2)} / ${(s.p95 / b.p95).toFixed(2)}`
		});
		// Split orders: the proposal through the service (matching, free capacity from deals, distances) on the
		// same demands, against matching alone; and the pure proposal over every startup as a candidate.
		// The demands of the sample ask for 40 times as much here, so that most need a group (one startup makes at
		// most about 5,000 a month), and the proposal's whole path is measured, not its early 'one is enough'.
		await runtime.db
			.update(demands)
			.set({ quantity: sql`${demands.quantity} * 40` })
			.where(
				inArray(
					demands.id,
					sample.map((d) => d.id)
				)
			);
		const split: number[] = [];
		let proposed = 0;
		for (const d of sample) {
			const t0 = performance.now();
			if (await proposeGroupForDemand(runtime.db, runtime.search.client, d.id)) proposed++;
			split.push(performance.now() - t0);
		}
		const g = quantiles(split);
		rows.push({
			measure: `split-order proposal (service, ${startupCount} startups): p50 / p95 (${proposed} of ${sample.length} got a group)`,
			value: `${ms(g.p50)} / ${ms(g.p95)}`
		});
		rows.push({
			measure: 'split proposal ÷ match (p50 / p95)',
			value: `${(g.p50 / s.p50).toFixed(2)} / ${(g.p95 / s.p95).toFixed(2)}`
		});
		const next = random(19);
		const everyone = Array.from({ length: startupCount }, (_, i) => ({
			id: `s${i}`,
			score: 0.5 + next() / 2,
			distanceKm: Math.round(next() * 1200),
			free: Math.round(50 + next() * 5000)
		}));
		const pure: number[] = [];
		for (let i = 0; i < 200; i++) {
			const t0 = performance.now();
			proposeSplit(6000 + i * 50, everyone);
			pure.push(performance.now() - t0);
		}
		const q = quantiles(pure);
		rows.push({
			measure: `split-order proposal (pure, ${startupCount} candidates): p50 / p95`,
			value: `${ms(q.p50)} / ${ms(q.p95)}`
		});
		const fallback: number[] = [];
		for (const d of sample.slice(0, 30)) {
			const t0 = performance.now();
			await matchStartupsForDemand(runtime.db, null, d.id, { limit: 10, engine: 'fallback' });
			fallback.push(performance.now() - t0);
		}
		const f = quantiles(fallback);
		rows.push({ measure: 'match on the Postgres fallback: p50 / p95', value: `${ms(f.p50)} / ${ms(f.p95)}` });
		rows.push({
			measure: 'memory: app (this process) / Meilisearch',
			value: `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB / ${runtime.search.managed?.pid ? rssMiB(runtime.search.managed.pid).toFixed(0) : '?'} MiB`
		});
	} finally {
		await runtime.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	return rows;
}
