// A real Meilisearch process for one test file, on a free port in a temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { MeiliProcess } from '$lib/server/search/process';
import { freePort } from './ports';

export { freePort };

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** A quiet manager for Meilisearch in `dataDir` on `port`, not yet started. */
export function meiliAt(dataDir: string, port: number): MeiliProcess {
	return new MeiliProcess({ dataDir, port, log: () => {} });
}

export async function startTestMeili(dataDir = tempDir('meili')): Promise<MeiliProcess> {
	const meili = meiliAt(dataDir, await freePort());
	await meili.start();
	return meili;
}

/** The ids of a search's hits, in their order (Meilisearch's client types a hit as Record<string, any>). */
export const hitIds = (result: { hits: unknown[] }): string[] =>
	z
		.array(z.object({ id: z.string() }))
		.parse(result.hits)
		.map((hit) => hit.id);
