// Backup and restore as the operator runs them: CLI commands with exit codes, on the embedded server and on a
// PostgreSQL server (whose restore is pg_restore's).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../helpers/cli';
import { createTestDatabase } from '../helpers/database';
import { dataDirWithCluster } from '../helpers/data-dir';
import { freePort } from '../helpers/meili';

/** What `backup --json` and `restore --json` print, as far as these tests read it. */
const backupReport = z.object({
	file: z.string(),
	manifest: z.object({ rows: z.record(z.string(), z.number()) })
});
const restoreReport = z.object({ migrationsApplied: z.number(), keptAside: z.string(), search: z.unknown() });

describe('backup and restore commands', () => {
	it('runs as CLI commands with exit codes; backs up a PostgreSQL server, and sends its restore to pg_restore', async () => {
		const dataDir = dataDirWithCluster('backup-cli');
		const env = { DATA_DIR: dataDir, MEILI_PORT: String(await freePort()) };
		expect(runCli(['import', 'tests/fixtures/exchange-small.json', '--json'], env)).toMatchObject({
			code: 0
		});
		const backedUp = runCli(['backup', '--json'], env);
		expect(backedUp.code).toBe(0);
		const backup = backupReport.parse(JSON.parse(backedUp.stdout));
		expect(backup.manifest.rows).toMatchObject({ startups: 2, demands: 1 });
		expect(fs.existsSync(backup.file)).toBe(true);

		const refused = runCli(['restore', backup.file], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr.trim()).toMatch(/Error: .* already holds the portal's database; add --force/);
		const restored = runCli(['restore', backup.file, '--force', '--json'], env);
		expect(restored.code, restored.stderr).toBe(0);
		const report = restoreReport.parse(JSON.parse(restored.stdout));
		expect(report.keptAside).toMatch(/^portal_before_restore_/);
		expect(report).toMatchObject({
			migrationsApplied: 0,
			search: { reindexed: { startups: 2, demands: 1, waste_lots: 0, material_wants: 0 } }
		});

		const withoutFile = runCli(['restore'], env);
		expect(withoutFile.code).toBe(2);
		expect(withoutFile.stderr).toContain('restore needs a FILE');
		const external = await createTestDatabase();
		try {
			const outside = { ...env, DATABASE_URL: external.url };
			const copy = runCli(['backup', '--json', '--out', path.join(dataDir, 'server.tar.gz')], outside);
			expect(copy.code, copy.stderr).toBe(0);
			expect(backupReport.parse(JSON.parse(copy.stdout)).manifest.rows).toMatchObject({ provinces: 77 });
			const server = runCli(['restore', path.join(dataDir, 'server.tar.gz'), '--force'], outside);
			expect(server.code).toBe(1);
			expect(server.stderr.trim().split('\n')).toHaveLength(1);
			expect(server.stderr).toContain('pg_restore');
		} finally {
			await external.dispose();
		}
	}, 240_000);
});
