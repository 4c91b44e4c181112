// The portal's health: the database answers, search answers, how far the search outbox is behind, and whether the
// admission line is saturated (requests waiting longer than HEALTH_QUEUE_SECONDS for their turn).
import type { AdmissionLoad } from '../../hooks/admission';
import type { Runtime } from './runtime';
import { outboxLag, type OutboxLag } from './search/outbox';
import { isHealthy } from './search/process';

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
