// Operations CLI: `npm run cli -- <command>`. Readable text by default, --json where a machine reads it;
// a failure prints one clear line and exits non-zero.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { count, eq, or, sql } from 'drizzle-orm';
import { AccountError, createAdmin } from '$lib/server/accounts/service';
import { backupDatabase, BackupError, restoreDatabase } from '$lib/server/backup/service';
import { schema } from '$lib/server/db';
import { ConfigError, env } from '$lib/server/env';
import { seedReferenceData } from '$lib/server/reference/seed';
import { seedDemo } from '$lib/server/demo/seed';
import { refreshAllCoverage } from '$lib/server/gap/coverage';
import { gapTotal } from '$lib/server/gap/queries';
import { INDEXES } from '$lib/server/search/indexes';
import { drainOutboxOnce, outboxLag } from '$lib/server/search/outbox';
import { exportDocument, importDocument, ImportRejected } from '$lib/server/exchange/service';
import { matchDemandsForStartup, matchStartupsForDemand, type Engine } from '$lib/server/matching/service';
import { isHealthy } from '$lib/server/search/process';
import { reindexAll } from '$lib/server/search/reindex';
import { startRuntime, type RuntimeOptions } from '$lib/server/runtime';
import { lotByRef, wantByRef } from '$lib/server/waste/queries';
import { lotMatches, wantMatches, type WasteMatch } from '$lib/server/waste/service';
import { readPassword } from './prompt';
import { messageOf } from '$lib/server/system-errors';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      apply database migrations
  seed [--demo]                load reference data (provinces, TSIC, certifications); idempotent.
                               --demo also loads fictional demo startups, demands and selections for all
                               77 provinces (marked [ตัวอย่าง]/[Demo], refs demo-…), then waits for search
  create-admin --email E       create an administrator; the password is asked for, or read from stdin
  reindex                      rebuild the search indexes from the database and swap them in
  status                       database, search and outbox state
  import FILE                  import an exchange document (all or nothing), then wait for the index; as the
                               operator it may change any record and publishes startups at once
  export [--province TH-xx]    print approved startups and open demands as an exchange document
  match --demand REF|--startup REF [--limit N] [--engine meili|fallback]
                               print the best matches as JSON
  match --byproduct REF|--want REF [--limit N]
                               print the receivers a by-product fits, or the by-products a material want fits,
                               as JSON (code fit, distance, licence rule; on PostgreSQL)
  backup [--out FILE]          copy the database (one consistent snapshot, while the portal runs) and the uploads
                               to one file (default DATA_DIR/backups/portal-YYYYMMDD-HHMMSS.tar.gz, UTC)
  restore FILE [--force]       restore a backup into the portal's own PostgreSQL (the portal stopped): checked,
                               migrated, search index rebuilt; --force replaces a database that holds data, which
                               is kept aside on the server as portal_before_restore_<time>

Options:
  --json                       machine-readable output (status, seed, reindex, backup, restore)
  -h, --help                   this text`;

class UsageError extends Error {}
/** A failure the user can act on: printed as one line, exit 1. */
class CliError extends Error {}

interface Args {
	email?: string;
	json: boolean;
	demo: boolean;
	file?: string;
	province?: string;
	demand?: string;
	startup?: string;
	byproduct?: string;
	want?: string;
	limit?: string;
	engine?: string;
	out?: string;
	force: boolean;
}

type Command = (args: Args) => Promise<void>;

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

/**
 * Drains the search outbox into Meilisearch: a command that writes is done when its records are findable.
 * Returns false when Meilisearch is not answering (the portal's worker indexes them once it does).
 */
async function waitForSearch(rt: Awaited<ReturnType<typeof startRuntime>>, json: boolean): Promise<boolean> {
	if (!(await isHealthy(rt.search.url))) return false;
	while ((await drainOutboxOnce(rt.db, rt.search.indexer, 1000)).processed > 0) {
		if (!json) process.stderr.write(`\rindexing… ${(await outboxLag(rt.db)).pending} left   `);
	}
	if (!json) process.stderr.write('\n');
	return true;
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

	async seed({ json, demo }) {
		await withRuntime({ seed: false, search: demo }, async (rt) => {
			const started = performance.now();
			const counts = await seedReferenceData(rt.db);
			const referenceText =
				`Reference data loaded: ${counts.provinces} provinces, ${counts.tsicSections} TSIC sections, ` +
				`${counts.tsicDivisions} TSIC divisions, ${counts.sCurveIndustries} S-curve industries, ` +
				`${counts.certifications} certifications.`;
			if (!demo) {
				print(json, counts, referenceText);
				return;
			}
			if (!json) process.stderr.write('loading the demo data…\n');
			const report = await seedDemo(rt.db, { origin: rt.env.ORIGIN ?? `http://localhost:${rt.env.PORT}` });
			const searchUp = await waitForSearch(rt, json);
			// The gap figures count a demand as met or unmet once the matching engine has looked at it; doing that
			// now means the map shows the demo's unmet demand at once instead of after the portal's worker catches up.
			if (!json) process.stderr.write('matching the open demands…\n');
			const checked = await refreshAllCoverage(rt.db, searchUp ? rt.search.client : null);
			const coverage = { checked, unmet: (await gapTotal(rt.db))?.unmetDemands ?? 0 };
			const seconds = (performance.now() - started) / 1000;
			const { startups, openDemands, pastDemands, selections } = report;
			print(
				json,
				{ reference: counts, demo: report, coverage, seconds },
				[
					referenceText,
					`Demo data loaded in ${seconds.toFixed(1)} s:`,
					`  startups       ${JSON.stringify(startups)}`,
					`  open demands   ${JSON.stringify(openDemands)}`,
					`  past demands   ${JSON.stringify(pastDemands)}, ${report.deals} new deals`,
					`  selections ${report.year} ${JSON.stringify(selections)}`,
					`  coverage       ${coverage.checked} open demands checked by the matching engine; ` +
						`${coverage.unmet} open demands without a good match`
				].join('\n')
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
			const totals = await reindexAll(rt.db, rt.search.indexer, ({ index, documents }) => {
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

	async import({ file, json }) {
		if (!file) throw new UsageError('import needs a FILE');
		let raw: unknown;
		try {
			raw = JSON.parse(fs.readFileSync(file, 'utf8'));
		} catch (error) {
			throw new CliError(`${file} cannot be read as JSON: ${messageOf(error)}`);
		}
		await withRuntime({}, async (rt) => {
			const started = performance.now();
			let report;
			try {
				report = await importDocument(rt.db, raw, {
					actor: 'cli',
					onProgress: (done, total) => {
						if (!json && (done === total || done % 500 === 0))
							process.stderr.write(`\rimported ${done} / ${total}`);
					}
				});
			} catch (error) {
				if (!(error instanceof ImportRejected)) throw error;
				for (const problem of error.problems) console.error(`${problem.path}: ${problem.message}`);
				throw new CliError(error.message);
			}
			if (!json) process.stderr.write('\n');
			await waitForSearch(rt, json);
			const seconds = (performance.now() - started) / 1000;
			print(
				json,
				{ ...report, seconds },
				`Imported in ${seconds.toFixed(1)} s: startups ${JSON.stringify(report.startups)}, demands ${JSON.stringify(report.demands)}, by-products ${JSON.stringify(report.byproducts)}, material wants ${JSON.stringify(report.material_wants)}.`
			);
		});
	},

	async export({ province }) {
		if (province && !/^TH-\d{2}$/.test(province)) throw new UsageError('--province takes a code like TH-50');
		await withRuntime({ search: false }, async (rt) => {
			console.log(JSON.stringify(await exportDocument(rt.db, { province }), null, '\t'));
		});
	},

	async match({ demand, startup, byproduct, want, limit, engine }) {
		if ([demand, startup, byproduct, want].filter(Boolean).length !== 1)
			throw new UsageError('match needs exactly one of --demand, --startup, --byproduct or --want');
		const max = Number(limit ?? 10);
		if (!Number.isInteger(max) || max < 1 || max > 100)
			throw new UsageError('--limit takes a number from 1 to 100');
		if (byproduct || want) return matchWaste(byproduct, want, max);
		if (engine && engine !== 'meili' && engine !== 'fallback')
			throw new UsageError('--engine is meili or fallback');
		const chosen = (engine ?? 'meili') as Engine;
		await withRuntime({ search: chosen === 'meili' }, async (rt) => {
			const search = chosen === 'meili' ? rt.search.client : null;
			const table = demand ? schema.demands : schema.startups;
			const key = (demand ?? startup)!;
			const [row] = await rt.db
				.select({ id: table.id, ref: table.ref })
				.from(table)
				.where(or(eq(table.ref, key), /^[0-9a-f-]{36}$/i.test(key) ? eq(table.id, key) : undefined));
			if (!row) throw new CliError(`no ${demand ? 'demand' : 'startup'} with ref ${key}`);
			const result = demand
				? await matchStartupsForDemand(rt.db, search, row.id, { limit: max, engine: chosen })
				: await matchDemandsForStartup(rt.db, search, row.id, { limit: max, engine: chosen });
			const other = demand ? 'startup' : 'demand';
			console.log(
				JSON.stringify({
					[demand ? 'demand' : 'startup']: row.ref ?? row.id,
					engine: result.engine,
					degraded: result.degraded,
					matches: result.matches.map((m) => ({ [other]: m.ref ?? m.id, score: m.score, reasons: m.reasons }))
				})
			);
		});
	},

	async backup({ json, out }) {
		const report = await backupDatabase(env(), {
			out,
			log: (message) => {
				if (!json) console.error(message);
			}
		});
		const { manifest } = report;
		print(
			json,
			report,
			[
				`Backup written to ${report.file} (${megabytes(report.bytes)}, ${report.seconds.toFixed(1)} s).`,
				`  sha256      ${report.sha256}`,
				`  migrations  ${manifest.migrations.count} (last ${manifest.migrations.last ?? 'none'})`,
				`  rows        ${mainRows(manifest.rows)}`,
				`  uploads     ${manifest.uploads?.files ?? 0} files (${megabytes(manifest.uploads?.bytes ?? 0)})`,
				...(report.damagedUploads.length > 0
					? [
							`  NOT backed up: ${report.damagedUploads.length} damaged uploads (content does not match the name): ` +
								report.damagedUploads.join(', ')
						]
					: [])
			].join('\n')
		);
	},

	async restore({ file, force, json }) {
		if (!file) throw new UsageError('restore needs a FILE');
		const report = await restoreDatabase(env(), {
			from: file,
			force,
			log: (message) => {
				if (!json) console.error(message);
			}
		});
		const { manifest, search } = report;
		print(
			json,
			report,
			[
				`Restored the backup of ${manifest.createdAt} from ${report.from} in ${report.seconds.toFixed(1)} s; ` +
					`row counts match the backup.`,
				`  rows        ${mainRows(manifest.rows)}`,
				`  migrations  ${manifest.migrations.count} in the backup, ${report.migrationsApplied} applied since`,
				`  uploads     ${report.uploads.written} written, ${report.uploads.present} already in place`,
				report.keptAside
					? `  previous database kept aside as "${report.keptAside}" on the portal's PostgreSQL`
					: '  there was no previous database',
				'reindexed' in search
					? `  search      reindexed ${Object.entries(search.reindexed)
							.map(([index, n]) => `${index}: ${n}`)
							.join(', ')}`
					: `  search      not rebuilt now: ${search.deferred}`
			].join('\n')
		);
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
					embedded: !rt.env.DATABASE_URL,
					location: rt.database.location,
					migrations: Number(applied[0]?.n ?? 0),
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

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The counts an operator recognises, for the one-line summary (the manifest has every table). */
const mainRows = (rows: Record<string, number>) =>
	['users', 'organisations', 'startups', 'products', 'demands', 'offers', 'deals']
		.filter((table) => table in rows)
		.map((table) => `${table} ${rows[table]}`)
		.join(', ');

/** By-product matches as JSON, in the product matcher's shape: the subject's ref, then each match with its reasons. */
async function matchWaste(byproduct: string | undefined, want: string | undefined, max: number) {
	await withRuntime({ search: false }, async (rt) => {
		let subject: { id: string; ref: string | null };
		let matches: WasteMatch[];
		if (byproduct) {
			const lot = await lotByRef(rt.db, byproduct);
			if (!lot) throw new CliError(`no by-product with ref ${byproduct}`);
			[subject, matches] = [lot, await lotMatches(rt.db, lot)];
		} else {
			const wanted = await wantByRef(rt.db, want!);
			if (!wanted) throw new CliError(`no material want with ref ${want}`);
			[subject, matches] = [wanted, await wantMatches(rt.db, wanted)];
		}
		const [own, other] = byproduct ? ['byproduct', 'want'] : ['want', 'byproduct'];
		console.log(
			JSON.stringify({
				[own]: subject.ref ?? subject.id,
				engine: 'postgres',
				matches: matches.slice(0, max).map((match) => {
					const row = byproduct ? match.want : match.lot;
					return {
						[other]: row.ref ?? row.id,
						score: match.score,
						reasons: {
							code_fit: match.codeFit,
							distance_km: match.distanceKm,
							quantity_ratio: match.quantityRatio,
							transport_thb_per_month: match.transportThbPerMonth,
							hazardous: match.lot.hazardous,
							licence_class: match.want.licenceClass
						}
					};
				})
			})
		);
	});
}

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				email: { type: 'string' },
				province: { type: 'string' },
				demand: { type: 'string' },
				startup: { type: 'string' },
				byproduct: { type: 'string' },
				want: { type: 'string' },
				limit: { type: 'string' },
				engine: { type: 'string' },
				out: { type: 'string' },
				force: { type: 'boolean', default: false },
				json: { type: 'boolean', default: false },
				demo: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		});
	} catch (error) {
		console.error(`${messageOf(error)}\n\n${USAGE}`);
		return 2;
	}
	const [name, ...rest] = parsed.positionals;
	if (parsed.values.help || !name) {
		console.log(USAGE);
		return name || parsed.values.help ? 0 : 2;
	}
	const command = commands[name];
	const takesFile = name === 'import' || name === 'restore';
	if (!command || rest.length > (takesFile ? 1 : 0)) {
		console.error(`Unknown command: ${[name, ...rest].join(' ')}\n\n${USAGE}`);
		return 2;
	}
	try {
		await command({ ...parsed.values, file: rest[0] });
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`${error.message}\n\n${USAGE}`);
			return 2;
		}
		const known =
			error instanceof ConfigError ||
			error instanceof AccountError ||
			error instanceof BackupError ||
			error instanceof CliError;
		console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
		if (!known && process.env.DEBUG) console.error(error);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
