// Operations CLI: `npm run cli -- <command>`. Readable text by default, --json where a machine reads it;
// a failure prints one clear line and exits non-zero.
import { parseArgs } from 'node:util';
import { count, sql } from 'drizzle-orm';
import { AccountError, createAdmin } from '$lib/server/accounts/service';
import { schema } from '$lib/server/db';
import { ConfigError, env } from '$lib/server/env';
import { seedReferenceData } from '$lib/server/reference/seed';
import { INDEXES } from '$lib/server/search/indexes';
import { outboxLag } from '$lib/server/search/outbox';
import { isHealthy } from '$lib/server/search/process';
import { reindexAll } from '$lib/server/search/reindex';
import { startRuntime, type RuntimeOptions } from '$lib/server/runtime';
import { readPassword } from './prompt';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      apply database migrations
  seed                         load reference data (provinces, TSIC, certifications); idempotent
  create-admin --email E       create an administrator; the password is asked for, or read from stdin
  reindex                      rebuild the search indexes from the database and swap them in
  status                       database, search and outbox state

Options:
  --json                       machine-readable output (status, seed, reindex)
  -h, --help                   this text`;

class UsageError extends Error {}

type Command = (args: { email?: string; json: boolean }) => Promise<void>;

const print = (json: boolean, value: unknown, text: string) =>
	console.log(json ? JSON.stringify(value) : text);

async function withRuntime<T>(
	options: RuntimeOptions,
	body: (rt: Awaited<ReturnType<typeof startRuntime>>) => Promise<T>
) {
	const rt = await startRuntime(env(), {
		outboxWorker: false,
		emailWorker: false,
		scheduler: false,
		log: (m) => console.error(m),
		...options
	});
	try {
		return await body(rt);
	} finally {
		await rt.stop();
	}
}

const commands: Record<string, Command> = {
	async migrate({ json }) {
		await withRuntime({ migrate: true, seed: false, search: false }, async (rt) => {
			print(
				json,
				{ migrated: true, driver: rt.database.driver },
				`Migrations applied (${rt.database.driver}, ${rt.database.location}).`
			);
		});
	},

	async seed({ json }) {
		await withRuntime({ seed: false, search: false }, async (rt) => {
			const counts = await seedReferenceData(rt.db);
			print(
				json,
				counts,
				`Reference data loaded: ${counts.provinces} provinces, ${counts.tsicSections} TSIC sections, ` +
					`${counts.tsicDivisions} TSIC divisions, ${counts.sCurveIndustries} S-curve industries, ` +
					`${counts.certifications} certifications.`
			);
		});
	},

	async 'create-admin'({ email, json }) {
		if (!email) throw new UsageError('create-admin needs --email');
		const password = await readPassword();
		await withRuntime({ search: false }, async (rt) => {
			const admin = await createAdmin(rt.db, { email, password }, 'cli');
			print(json, admin, `Administrator ${admin.email} created.`);
		});
	},

	async reindex({ json }) {
		await withRuntime({}, async (rt) => {
			const started = performance.now();
			const totals = await reindexAll(rt.db, rt.search.client, ({ index, documents }) => {
				if (!json && process.stderr.isTTY) process.stderr.write(`\r${index}: ${documents} documents`);
				else if (!json) process.stderr.write(`${index}: ${documents} documents\n`);
			});
			if (!json && process.stderr.isTTY) process.stderr.write('\n');
			const seconds = (performance.now() - started) / 1000;
			print(
				json,
				{ ...totals, seconds },
				`Reindexed ${Object.entries(totals)
					.map(([index, n]) => `${index}: ${n}`)
					.join(', ')} in ${seconds.toFixed(1)} s (indexes swapped).`
			);
		});
	},

	async status({ json }) {
		await withRuntime({ migrate: false, seed: false }, async (rt) => {
			const applied = await rt.db.execute<{ n: number }>(
				sql`select count(*)::int as n from drizzle.__drizzle_migrations`
			);
			const [provinceCount] = await rt.db.select({ n: count() }).from(schema.provinces);
			const searchUp = await isHealthy(rt.search.url);
			const indexes: Record<string, number | null> = {};
			for (const { uid } of Object.values(INDEXES)) {
				indexes[uid] = searchUp
					? await rt.search.client
							.index(uid)
							.getStats()
							.then((s) => s.numberOfDocuments)
					: null;
			}
			const lag = await outboxLag(rt.db);
			const report = {
				database: {
					driver: rt.database.driver,
					location: rt.database.location,
					migrations: Number(rowsOf<{ n: number }>(applied)[0]?.n ?? 0),
					provinces: provinceCount?.n ?? 0
				},
				search: { url: rt.search.url, healthy: searchUp, managed: Boolean(rt.search.managed), indexes },
				outbox: lag
			};
			print(
				json,
				report,
				[
					`Database: ${report.database.driver} at ${report.database.location}, ${report.database.migrations} migrations, ${report.database.provinces} provinces`,
					`Search:   ${searchUp ? 'healthy' : 'NOT ANSWERING'} at ${rt.search.url}${rt.search.managed ? ' (managed)' : ''}; ` +
						Object.entries(indexes)
							.map(([uid, n]) => `${uid} ${n ?? '?'} documents`)
							.join(', '),
					`Outbox:   ${lag.pending} pending, oldest ${lag.oldestSeconds} s`
				].join('\n')
			);
		});
	}
};

/** postgres.js returns rows as the result; PGlite wraps them in { rows }. */
function rowsOf<T>(result: unknown): T[] {
	return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				email: { type: 'string' },
				json: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		});
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const [name, ...rest] = parsed.positionals;
	if (parsed.values.help || !name) {
		console.log(USAGE);
		return name || parsed.values.help ? 0 : 2;
	}
	const command = commands[name];
	if (!command || rest.length > 0) {
		console.error(`Unknown command: ${[name, ...rest].join(' ')}\n\n${USAGE}`);
		return 2;
	}
	try {
		await command({ email: parsed.values.email, json: parsed.values.json });
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`${error.message}\n\n${USAGE}`);
			return 2;
		}
		const known = error instanceof ConfigError || error instanceof AccountError;
		console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
		if (!known && process.env.DEBUG) console.error(error);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
