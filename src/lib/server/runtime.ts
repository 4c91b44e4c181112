// Brings the portal's services up in order — database, migrations, reference data, search, outbox worker —
// and down in reverse. The web server (hooks.server.ts) and the CLI both start through here.
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { checkDataDir } from './data-dir';
import { openDatabase, type DatabaseHandle, type Db } from './db';
import { EmbeddedPostgres, type Owner } from './db/embedded';
import { carryOverPglite } from './backup/carry-over';
import { assertPatchedDriver } from './db/driver-check';
import type { Env } from './env';
import { startDemandSchedule } from './demands/service';
import { startEmailWorker } from './email/outbox';
import { messagingApiPush } from './line/client';
import { lineChannelOf } from './line/config';
import { startLineWorker } from './line/outbox';
import { startCoverageWorker } from './gap/coverage';
import { startHousekeeping } from './housekeeping';
import { startAlertWorker } from './alerts/service';
import { logTransport, smtpTransport, type MailTransport } from './email/transport';
import { startReferralWorker } from './referrals/service';
import { startCertificateWorker } from './certificates/service';
import { startWasteReminders } from './waste/reminders';
import { startOrphanUploadSweep } from './uploads/orphans';
import { seedReferenceData } from './reference/seed';
import { createSearchClient } from './search/client';
import { applyIndexSettings } from './search/indexes';
import { startSearchLogPruning } from './search/log';
import { logMessage } from './log';
import { startOutboxWorker } from './search/outbox';
import { isHealthy, MeiliProcess } from './search/process';
import { startSearchRecovery } from './search/recovery';
import { reindexIfRequested } from './search/reindex';

export interface SearchHandle {
	/** For what a visitor waits on (searches, matching): each request's deadline is MEILI_TIMEOUT_MS. */
	client: Meilisearch;
	/** For the background's writes (outbox, reindex, index settings), with a longer deadline. */
	indexer: Meilisearch;
	url: string;
	/** Present when the portal runs Meilisearch itself. */
	managed?: MeiliProcess;
}

export interface Runtime {
	env: Env;
	database: DatabaseHandle;
	db: Db;
	search: SearchHandle;
	stop(): Promise<void>;
}

export interface RuntimeOptions {
	migrate?: boolean;
	seed?: boolean;
	/** Start Meilisearch (managed) or connect to it (external); off for database-only CLI commands. */
	search?: boolean;
	outboxWorker?: boolean;
	/** Send queued mail, and LINE messages, from this process (the web server does; CLI commands do not). */
	emailWorker?: boolean;
	/**
	 * Run the background jobs from this process: the demand schedule (expiry, closing reminders; every 15 minutes),
	 * the gap coverage (what the matching engine finds for each open demand; every 10 seconds) and the standing
	 * referral check (startups whose matched demand outgrows them; every 5 minutes), the housekeeping (old
	 * rate-limit windows and delivered mail removed; every 10 minutes) and the search log's pruning (every hour).
	 */
	scheduler?: boolean;
	/**
	 * Who starts the embedded PostgreSQL (without DATABASE_URL): the web server (`portal`) owns it while it runs,
	 * and CLI commands share it; a CLI command (the default) that finds none starts one for its own length.
	 */
	owner?: Owner;
	log?: (message: string) => void;
}

/** A service that did not come up, named in the message ("Meilisearch: …"); the original error is its cause. */
export class ServiceStartError extends Error {
	constructor(
		readonly service: string,
		cause: unknown
	) {
		const message = cause instanceof Error ? cause.message : String(cause);
		super(message.includes(service.split(' ')[0]!) ? message : `${service}: ${message}`, { cause });
		this.name = 'ServiceStartError';
	}
}

/**
 * The database: the server DATABASE_URL names, or the portal's own PostgreSQL under DATA_DIR, started here (or,
 * for a CLI command while the web server runs, shared with it). Returns the open handle; `stops` gains its closing.
 */
export async function connectDatabase(
	env: Env,
	owner: Owner,
	log: (message: string) => void,
	stops: (() => Promise<void>)[]
): Promise<DatabaseHandle> {
	const poolSize = env.DATABASE_POOL_SIZE;
	if (env.DATABASE_URL) return pushClose(await openDatabase({ url: env.DATABASE_URL, poolSize }), stops);
	const server = new EmbeddedPostgres({
		dataDir: env.dataDir,
		owner,
		log: (message) => log(`[postgres] ${message}`)
	});
	await server.start();
	stops.push(() => server.stop());
	if (!server.attached) await carryOverPglite(env.dataDir, server, (message) => log(`[postgres] ${message}`));
	return pushClose(await openDatabase({ url: server.url, poolSize, source: server.location }), stops);
}

function pushClose(handle: DatabaseHandle, stops: (() => Promise<void>)[]): DatabaseHandle {
	stops.push(() => handle.close());
	return handle;
}

export async function startRuntime(env: Env, options: RuntimeOptions = {}): Promise<Runtime> {
	checkDataDir(env.dataDir);
	assertPatchedDriver();
	const log = options.log ?? logMessage;
	const stops: (() => Promise<void>)[] = [];
	let stopping: Promise<void> | undefined;
	// Idempotent: the shutdown hook and a failing start-up may both ask.
	const stopAll = () =>
		(stopping ??= (async () => {
			for (const stop of stops.reverse()) await stop();
		})());
	try {
		// The database and Meilisearch start side by side: neither needs the other to come up.
		// The web server says how each one came up, so a slow or failing start shows which service it waits for.
		const progress = options.owner === 'portal' ? log : () => {};
		const timed = async <T>(service: string, start: () => Promise<T>): Promise<T> => {
			const started = performance.now();
			progress(`[start] waiting for ${service}…`);
			try {
				const result = await start();
				progress(`[start] ${service} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
				return result;
			} catch (error) {
				throw new ServiceStartError(service, error);
			}
		};
		const [databaseResult, searchResult] = await Promise.allSettled([
			timed(env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PostgreSQL', async () => {
				const database = await connectDatabase(env, options.owner ?? 'cli', log, stops);
				if (options.migrate ?? true) await database.migrate();
				if (options.seed ?? true) await seedReferenceData(database.db);
				return database;
			}),
			options.search === false
				? Promise.resolve(undefined)
				: timed(env.MEILI_URL ? 'Meilisearch (MEILI_URL)' : 'Meilisearch', () =>
						connectSearch(env, log, stops)
					)
		]);
		if (databaseResult.status === 'rejected') throw databaseResult.reason;
		if (searchResult.status === 'rejected') throw searchResult.reason;
		const database = databaseResult.value;
		const search = searchResult.value;
		if (search && (options.outboxWorker ?? true)) {
			const worker = startOutboxWorker(database.db, search.indexer);
			stops.push(() => worker.stop());
			const recovery = startSearchRecovery(database.db, search.url);
			stops.push(() => recovery.stop());
			// In the background: a restore asks for a full rebuild, which must not hold up start-up.
			const rebuild = reindexIfRequested(database.db, search.indexer, log);
			stops.push(() => rebuild);
		}
		if (options.emailWorker ?? true) {
			const transport = mailTransport(env, log);
			const worker = startEmailWorker(database.db, transport, { log });
			stops.push(async () => {
				await worker.stop();
				transport.close?.();
			});
			// LINE messages go out beside mail, from the same processes; without a channel nothing is queued for LINE.
			const channel = lineChannelOf(env);
			if (channel) {
				const lineWorker = startLineWorker(database.db, messagingApiPush(channel), { log });
				stops.push(() => lineWorker.stop());
			}
		}
		if (options.scheduler ?? true) {
			const origin = env.ORIGIN ?? `http://localhost:${env.PORT}`;
			const schedule = startDemandSchedule(database.db, origin, log);
			stops.push(() => schedule.stop());
			const coverage = startCoverageWorker(database.db, search?.client ?? null, { origin, log });
			stops.push(() => coverage.stop());
			const referrals = startReferralWorker(database.db, origin, log);
			stops.push(() => referrals.stop());
			const certificates = startCertificateWorker(database.db, origin, log);
			stops.push(() => certificates.stop());
			const wasteReminders = startWasteReminders(database.db, origin, log);
			stops.push(() => wasteReminders.stop());
			const alerts = startAlertWorker(database.db, origin, log);
			stops.push(() => alerts.stop());
			const housekeeping = startHousekeeping(database.db, log, {
				sessionDays: env.RETENTION_SESSION_DAYS,
				sentMailDays: env.RETENTION_SENT_MAIL_DAYS,
				rateLimitDays: env.RETENTION_RATE_LIMIT_DAYS,
				notificationDays: env.RETENTION_NOTIFICATION_DAYS
			});
			stops.push(() => housekeeping.stop());
			const orphans = startOrphanUploadSweep(database.db, env.dataDir, log);
			stops.push(() => orphans.stop());
			const searchLog = startSearchLogPruning(
				database.db,
				{ days: env.SEARCH_LOG_DAYS, maxRows: env.SEARCH_LOG_MAX_ROWS },
				{ log }
			);
			stops.push(() => searchLog.stop());
		}
		return {
			env,
			database,
			db: database.db,
			get search(): SearchHandle {
				if (!search) throw new Error('search was not started for this runtime');
				return search;
			},
			stop: stopAll
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

function mailTransport(env: Env, log: (message: string) => void): MailTransport {
	if (env.SMTP_URL) return smtpTransport(env.SMTP_URL, env.MAIL_FROM);
	// With nowhere to deliver mail, the whole message goes to the terminal, links included: someone trying the
	// portal still confirms their account. Said once at start-up so an operator knows mail is not leaving.
	log('[mail] SMTP_URL is not set: mail is printed here, not delivered');
	return logTransport(log);
}

function clientsOf(url: string, key: string, timeoutMs: number): SearchHandle {
	return { url, client: createSearchClient(url, key, timeoutMs), indexer: createSearchClient(url, key) };
}

async function connectSearch(
	env: Env,
	log: (message: string) => void,
	stops: (() => Promise<void>)[]
): Promise<SearchHandle> {
	let handle: SearchHandle;
	if (env.MEILI_URL) {
		handle = clientsOf(env.MEILI_URL, env.MEILI_MASTER_KEY!, env.MEILI_TIMEOUT_MS);
	} else {
		const managed = new MeiliProcess({
			dataDir: path.join(env.dataDir, 'meilisearch'),
			port: env.MEILI_PORT,
			masterKey: env.MEILI_MASTER_KEY,
			binary: env.MEILI_BIN,
			maxIndexingMemory: env.MEILI_MAX_INDEXING_MEMORY,
			log: (message) => log(`[meilisearch] ${message}`)
		});
		await managed.start();
		stops.push(() => managed.stop());
		handle = { ...clientsOf(managed.url, managed.masterKey, env.MEILI_TIMEOUT_MS), managed };
	}
	// An external Meilisearch that is down must not stop the portal: search falls back to Postgres.
	if (await isHealthy(handle.url)) {
		await applyIndexSettings(handle.indexer);
	} else {
		log(`[search] Meilisearch at ${handle.url} is not answering; search runs degraded until it does`);
	}
	return handle;
}
