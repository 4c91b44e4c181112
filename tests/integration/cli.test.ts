// The operations CLI as an operator runs it: a real process, a scratch DATA_DIR, exit codes and output.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli as cli } from '../helpers/cli';
import { dataDirWithCluster } from '../helpers/data-dir';
import { freePort, tempDir } from '../helpers/meili';

// What these tests read field by field of the CLI's JSON output and of drizzle's migration journal.
const statusReport = z.object({ database: z.unknown(), search: z.unknown() });
const migrationJournal = z.object({ entries: z.array(z.unknown()) });
const matchResult = z.object({ matches: z.array(z.object({ reasons: z.unknown() })) });

describe('cli', () => {
	it('migrates, seeds, creates an admin once, and reports status as JSON', async () => {
		const env = { DATA_DIR: tempDir('cli'), MEILI_PORT: String(await freePort()) };
		expect(cli(['migrate'], env)).toMatchObject({ code: 0 });
		const seeded = cli(['seed', '--json'], env);
		expect(seeded.code).toBe(0);
		expect(JSON.parse(seeded.stdout)).toMatchObject({ provinces: 77, certifications: 16 });

		const created = cli(['create-admin', '--email', 'Admin@Example.org'], env, 'a-long-password\n');
		expect(created).toMatchObject({ code: 0 });
		expect(created.stdout).toContain('admin@example.org');
		expect(created.stdout + created.stderr).not.toContain('a-long-password');
		const again = cli(['create-admin', '--email', 'admin@example.org'], env, 'a-long-password\n');
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('already exists');
		const weak = cli(['create-admin', '--email', 'other@example.org'], env, 'short\n');
		expect(weak.code).toBe(1);
		expect(weak.stderr).toMatch(/10 to 256 characters/);

		const status = cli(['status', '--json'], env);
		expect(status.code).toBe(0);
		const report = statusReport.parse(JSON.parse(status.stdout));
		const journal = migrationJournal.parse(JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')));
		expect(report.database).toMatchObject({
			driver: 'postgres',
			embedded: true,
			migrations: journal.entries.length,
			provinces: 77
		});
		expect(report.search).toMatchObject({
			healthy: true,
			managed: true,
			indexes: { startups: 0, demands: 0 }
		});
		// Seven CLI processes in a row, each opening the embedded database: slow on a loaded 2-core machine.
	}, 240_000);

	it('imports an exchange document once, matches by ref with JSON only on stdout, and refuses a broken one', async () => {
		const env = { DATA_DIR: dataDirWithCluster('cli-exchange'), MEILI_PORT: String(await freePort()) };
		const imported = cli(['import', 'tests/fixtures/exchange-small.json', '--json'], env);
		expect(imported.code, imported.stderr).toBe(0);
		expect(JSON.parse(imported.stdout)).toMatchObject({ startups: { created: 2 }, demands: { created: 1 } });
		const match = cli(['match', '--demand', 'd-001', '--limit', '5', '--json'], env);
		expect(match.code).toBe(0);
		const result: unknown = JSON.parse(match.stdout);
		expect(result).toMatchObject({ demand: 'd-001', engine: 'meili', matches: [{ startup: 's-001' }] });
		expect(matchResult.parse(result).matches[0]?.reasons).toMatchObject({
			category: 'same',
			certificationsRequired: ['thai-fda']
		});
		const fallback: unknown = JSON.parse(
			cli(['match', '--startup', 's-001', '--engine', 'fallback', '--json'], env).stdout
		);
		expect(fallback).toMatchObject({ startup: 's-001', engine: 'fallback', matches: [{ demand: 'd-001' }] });
		const broken = path.join(tempDir('cli-broken'), 'broken.json');
		fs.writeFileSync(
			broken,
			JSON.stringify({ format: 'provincial-matchmaking/v1', startups: [{ ref: 'x' }] })
		);
		const refused = cli(['import', broken], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('$.startups[0].province');
		const again = cli(['import', 'tests/fixtures/exchange-small.json', '--json'], env);
		expect(JSON.parse(again.stdout)).toMatchObject({
			startups: { created: 0, unchanged: 2 },
			demands: { unchanged: 1 }
		});
	}, 240_000);

	it('exits 2 with the usage on an unknown command or a missing option', () => {
		const unknown = cli(['frobnicate']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('Unknown command: frobnicate');
		const missing = cli(['create-admin'], { DATA_DIR: tempDir('cli-usage') });
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('create-admin needs --email');
		// Two CLI processes, each loading the whole CLI: about 10 s on a quiet machine, over a minute beside the walks.
	}, 240_000);

	it('stops with one line naming a bad setting', () => {
		const result = cli(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('DATABASE_URL');
	}, 240_000);
});
