// The portal's health: the database answers, search answers, how far the search outbox is behind, and whether the
// admission line is saturated (requests waiting longer than HEALTH_QUEUE_SECONDS for their turn).
import type { AdmissionLoad } from '../../hooks/admission';
import type { Runtime } from './runtime';
import { outboxLag, type OutboxLag } from './search/outbox';
import { isHealthy } from './search/process';
import { log } from './log';

export interface HealthReport {
	status: 'ok' | 'degraded';
	database: { ok: boolean; driver: string; error?: string };
	search: { ok: boolean; managed: boolean; state?: string };
	outbox?: OutboxLag;
	/** The web server's admission line (absent outside the web server). */
	admission?: AdmissionLoad & { saturated: boolean };
	failing: string[];
}

/** The web server's admission line, as hooks.server.ts reports it once it has made it. */
let admissionLoad: (() => AdmissionLoad) | undefined;

export function reportAdmissionLoad(load: (() => AdmissionLoad) | undefined): void {
	admissionLoad = load;
}

/** The admission line now (undefined outside the web server, or before its first request). */
export const currentAdmissionLoad = (): AdmissionLoad | undefined => admissionLoad?.();

export async function checkHealth(runtime: Runtime): Promise<HealthReport> {
	const database: HealthReport['database'] = { ok: true, driver: runtime.database.driver };
	let outbox: OutboxLag | undefined;
	try {
		await runtime.database.ping();
		outbox = await outboxLag(runtime.db);
	} catch (error) {
		database.ok = false;
		database.error = error instanceof Error ? error.message : String(error);
	}
	const managed = runtime.search.managed;
	const search = {
		ok: await isHealthy(runtime.search.url),
		managed: Boolean(managed),
		...(managed ? { state: managed.state } : {})
	};
	const line = admissionLoad?.();
	const admission = line && {
		...line,
		saturated: line.longestWaitMs > runtime.env.HEALTH_QUEUE_SECONDS * 1000
	};
	const failing = [
		...(database.ok ? [] : ['database']),
		...(search.ok ? [] : ['search']),
		...(admission?.saturated ? ['saturated'] : [])
	];
	return { status: failing.length === 0 ? 'ok' : 'degraded', database, search, outbox, admission, failing };
}

/**
 * Whether a load balancer should send this node traffic: the database answers and the admission line is not
 * saturated. Search is left out on purpose: when Meilisearch is down every node answers from Postgres (degraded),
 * and taking them all out of rotation for it would turn a slower search into no portal at all.
 */
export interface Readiness {
	status: 'ready' | 'unready';
	degraded: boolean;
	failing: string[];
}

/** Whether the database answers within READY_DATABASE_MS; why not goes to the operator's log. */
async function databaseAnswers(runtime: Runtime): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer in ${READY_DATABASE_MS} ms`)), READY_DATABASE_MS);
	});
	try {
		await Promise.race([runtime.database.ping(), late]);
		return true;
	} catch (error) {
		log().warn({ component: 'health', err: error }, 'the database does not answer');
		return false;
	} finally {
		clearTimeout(timer);
	}
}

const READY_DATABASE_MS = 2_000;

export async function checkReadiness(runtime: Runtime): Promise<Readiness> {
	const [database, search] = await Promise.all([databaseAnswers(runtime), isHealthy(runtime.search.url)]);
	const line = admissionLoad?.();
	const saturated = Boolean(line && line.longestWaitMs > runtime.env.HEALTH_QUEUE_SECONDS * 1000);
	const failing = [...(database ? [] : ['database']), ...(saturated ? ['saturated'] : [])];
	return { status: failing.length === 0 ? 'ready' : 'unready', degraded: !search, failing };
}

/**
 * What anyone may read at /health: each part ok or not, the failing parts by name, and the outbox lag operators
 * alert on. The database's error text, the driver and the search process's state stay with the operator (logs, the
 * CLI): an error message can carry host names, user names and paths.
 */
export interface PublicHealth {
	status: 'ok' | 'unavailable';
	database: { ok: boolean };
	search: { ok: boolean };
	outbox?: OutboxLag;
	failing: string[];
}

export function publicHealth(report: HealthReport): PublicHealth {
	return {
		status: report.failing.length === 0 ? 'ok' : 'unavailable',
		database: { ok: report.database.ok },
		search: { ok: report.search.ok },
		...(report.outbox ? { outbox: report.outbox } : {}),
		failing: report.failing
	};
}
