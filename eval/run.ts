// `npm run eval`: matching quality on the labelled set (eval/labelled-set.json), for the Meilisearch engine and
// the Postgres fallback side by side. Runs on a scratch DATA_DIR with its own managed Meilisearch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { parseEnv } from '../src/lib/server/env';
import { demands } from '../src/lib/server/db/schema';
import { importDocument } from '../src/lib/server/exchange/service';
import { matchStartupsForDemand, textSearches, type Engine } from '../src/lib/server/matching/service';
import { INDEXES } from '../src/lib/server/search/indexes';
import { drainOutboxOnce } from '../src/lib/server/search/outbox';
import { startRuntime } from '../src/lib/server/runtime';
import { freePort } from '../tests/helpers/ports';
import { reportWaste } from './waste';

const set = JSON.parse(fs.readFileSync('eval/labelled-set.json', 'utf8')) as {
	document: { demands: { ref: string }[]; startups: unknown[] };
	judgments: Record<string, Record<string, number>>;
};

/** nDCG@k with gains 2^grade − 1. */
function ndcg(ranked: string[], judged: Record<string, number>, k: number): number {
	const gain = (grade: number) => 2 ** grade - 1;
	const dcg = ranked.slice(0, k).reduce((sum, ref, i) => sum + gain(judged[ref] ?? 0) / Math.log2(i + 2), 0);
	const ideal = Object.values(judged)
		.sort((a, b) => b - a)
		.slice(0, k)
		.reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
	return ideal === 0 ? 0 : dcg / ideal;
}

/** Relevant (grade ≥ 2) among the top k, over the number that could be there (k, or fewer if fewer exist). */
function precision(ranked: string[], judged: Record<string, number>, k: number): number {
	const relevant = Object.values(judged).filter((g) => g >= 2).length;
	const hits = ranked.slice(0, k).filter((ref) => (judged[ref] ?? 0) >= 2).length;
	return relevant === 0 ? 0 : hits / Math.min(k, relevant);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-eval-'));
const runtime = await startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
	outboxWorker: false,
	emailWorker: false,
	scheduler: false,
	log: () => {}
});
try {
	await importDocument(runtime.db, set.document, { actor: 'eval' });
	while ((await drainOutboxOnce(runtime.db, runtime.search.client, 1000)).processed > 0);
	const rows: {
		engine: Engine;
		ndcg5: number;
		p3: number;
		falsePositiveRate: number;
		perDemand: Record<string, string[]>;
		scores: Record<string, number>;
	}[] = [];
	for (const engine of ['meili', 'fallback'] as Engine[]) {
		const perDemand: Record<string, string[]> = {};
		const scores: Record<string, number> = {};
		let ndcgSum = 0;
		let pSum = 0;
		let judgedCount = 0;
		let noMatch = 0;
		let falsePositives = 0;
		for (const { ref } of set.document.demands) {
			const [row] = await runtime.db.select({ id: demands.id }).from(demands).where(eq(demands.ref, ref));
			const result = await matchStartupsForDemand(runtime.db, runtime.search.client, row!.id, {
				limit: 10,
				engine
			});
			if (result.engine !== engine)
				throw new Error(`${ref}: asked for ${engine}, answered by ${result.engine}`);
			const ranked = result.matches.map((m) => m.ref ?? m.id);
			perDemand[ref] = ranked;
			for (const m of result.matches) scores[`${ref} ${m.ref ?? m.id}`] = m.score;
			const judged = set.judgments[ref] ?? {};
			if (Object.keys(judged).length === 0) {
				noMatch++;
				// A category-only suggestion is shown as one, not as a match: only a product match is a false positive.
				if (result.matches.some((m) => m.reasons.relevance === 'product')) falsePositives++;
				continue;
			}
			judgedCount++;
			ndcgSum += ndcg(ranked, judged, 5);
			pSum += precision(ranked, judged, 3);
		}
		rows.push({
			engine,
			ndcg5: ndcgSum / judgedCount,
			p3: pSum / judgedCount,
			falsePositiveRate: noMatch ? falsePositives / noMatch : 0,
			perDemand,
			scores
		});
	}
	console.log(
		`\nmatching quality on ${set.document.demands.length} demands × ${set.document.startups.length} startups (eval/labelled-set.json)\n`
	);
	console.log('  engine     nDCG@5   P@3    no-match false positives');
	for (const row of rows)
		console.log(
			`  ${row.engine.padEnd(9)}  ${row.ndcg5.toFixed(3)}    ${row.p3.toFixed(3)}  ${(row.falsePositiveRate * 100).toFixed(0)} %`
		);
	// What Meilisearch's text searches find by themselves, before the filter-only candidates: the share of the
	// startups judged relevant (grade ≥ 2) among their hits. Proves the engine reaches across languages and
	// spellings rather than leaning on the filter.
	let relevantCount = 0;
	let foundByText = 0;
	for (const demand of set.document.demands as { ref: string; title_th?: string; title_en?: string }[]) {
		const relevant = Object.entries(set.judgments[demand.ref] ?? {}).filter(([, grade]) => grade >= 2);
		if (relevant.length === 0) continue;
		const query = [demand.title_th, demand.title_en].filter(Boolean).join(' ');
		const { results } = await runtime.search.client.multiSearch({
			queries: textSearches(query).map((q) => ({
				indexUid: INDEXES.startups.uid,
				limit: 50,
				attributesToRetrieve: ['ref'],
				...q
			}))
		});
		const hits = new Set(results.flatMap((r) => r.hits.map((hit) => hit.ref as string)));
		relevantCount += relevant.length;
		foundByText += relevant.filter(([ref]) => hits.has(ref)).length;
	}
	console.log(
		`\n  Meilisearch text searches alone find ${foundByText} of ${relevantCount} relevant startups (${((foundByText / relevantCount) * 100).toFixed(0)} %)`
	);
	// One pair, one score: the pairs both engines returned must carry the same score.
	const [meili, fallback] = rows;
	const shared = Object.keys(meili!.scores).filter((pair) => pair in fallback!.scores);
	const differing = shared.filter((pair) => meili!.scores[pair] !== fallback!.scores[pair]);
	console.log(
		`\n  pairs both engines returned: ${shared.length}, with different scores: ${differing.length}`
	);
	const waste = await reportWaste(runtime.db);
	fs.mkdirSync('bench/results', { recursive: true });
	fs.writeFileSync(
		'bench/results/eval.json',
		JSON.stringify(
			{
				at: new Date().toISOString(),
				rows,
				textRecall: { found: foundByText, relevant: relevantCount },
				differing,
				waste
			},
			null,
			2
		)
	);
	console.log('\nSaved bench/results/eval.json');
} finally {
	await runtime.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
