// `npm run bench -- api`: the partner import through the API for a 10,000-startup exchange document, end to end in
// the handler (token, rate limit, body read with its size limit, JSON parse, zod check, reference check, one
// transaction), against the same import called directly (the CLI's path) on a fresh database; then the same
// document again, which must change nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { z } from 'zod';
import { runEndpoint } from '../src/lib/server/api/endpoint';
import { importEndpoint } from '../src/lib/server/api/endpoints/partners';
import { issueApiToken } from '../src/lib/server/api/tokens';
import { setRuntime } from '../src/lib/server/context';
import { startups, users } from '../src/lib/server/db/schema';
import { parseEnv } from '../src/lib/server/env';
import { importDocument } from '../src/lib/server/exchange/service';
import { startRuntime, type Runtime } from '../src/lib/server/runtime';
import { freePort } from '../tests/helpers/ports';
import { generate } from './matching';

type Row = { measure: string; value: string };

async function freshRuntime(): Promise<Runtime> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
	return startRuntime(parseEnv({ DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) }), {
		search: false,
		outboxWorker: false,
		emailWorker: false,
		scheduler: false,
		log: () => {}
	});
}

/** What the bench reads of an import's report. */
const importReport = z.object({ startups: z.object({ unchanged: z.number() }).loose() }).loose();

async function postImport(secret: string, body: string) {
	const url = new URL('http://bench.local/api/v1/import');
	const request = new Request(url, {
		method: 'POST',
		headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
		body
	});
	const started = performance.now();
	const response = await runEndpoint(importEndpoint, {
		request,
		url,
		params: {},
		getClientAddress: () => '127.0.0.1'
	});
	const report: unknown = await response.json();
	return { seconds: (performance.now() - started) / 1000, status: response.status, report };
}

export async function apiBench(startupCount = Number(process.env.BENCH_STARTUPS ?? 10_000)): Promise<Row[]> {
	const document = generate(startupCount, 0);
	const body = JSON.stringify(document);
	const rows: Row[] = [];
	const rate = (seconds: number) => `${Math.round(startupCount / seconds).toLocaleString('en')} records/s`;

	const api = await freshRuntime();
	try {
		setRuntime(api);
		const [admin] = await api.db
			.insert(users)
			.values({ email: 'bench@api.test', role: 'admin' })
			.returning({ id: users.id, email: users.email });
		const { secret } = await issueApiToken(api.db, admin!, {
			agencyId: 'sme-d-bank',
			label: 'bench',
			// Publishing at once, as the direct import it is compared with does.
			scopes: ['import', 'import:publish'],
			requestsPerMinute: 1000,
			expiresAt: new Date(Date.now() + 3_600_000)
		});
		const first = await postImport(secret, body);
		if (first.status !== 200)
			throw new Error(`import answered ${first.status}: ${JSON.stringify(first.report)}`);
		const [stored] = await api.db.select({ n: count() }).from(startups);
		if (stored!.n !== startupCount) throw new Error(`stored ${stored!.n} startups, not ${startupCount}`);
		const again = await postImport(secret, body);
		if (importReport.parse(again.report).startups.unchanged !== startupCount)
			throw new Error('the second import changed something');
		rows.push(
			{ measure: 'document size', value: `${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MB` },
			{
				measure: `POST /api/v1/import, ${startupCount} new startups`,
				value: `${first.seconds.toFixed(1)} s · ${rate(first.seconds)}`
			},
			{
				measure: 'the same document again (all unchanged)',
				value: `${again.seconds.toFixed(1)} s · ${rate(again.seconds)}`
			}
		);
	} finally {
		setRuntime(undefined);
		await api.stop();
	}

	const direct = await freshRuntime();
	try {
		const started = performance.now();
		await importDocument(direct.db, document, { actor: 'bench' });
		const seconds = (performance.now() - started) / 1000;
		const apiSeconds = Number(rows[1]!.value.split(' ')[0]);
		rows.push(
			{
				measure: 'direct import (CLI path), same document',
				value: `${seconds.toFixed(1)} s · ${rate(seconds)}`
			},
			{ measure: 'API / direct time ratio', value: (apiSeconds / seconds).toFixed(2) }
		);
	} finally {
		await direct.stop();
	}
	return rows;
}
