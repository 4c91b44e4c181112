// The portal's metrics in Prometheus's text format: requests by route, the admission line, the outboxes, the
// background jobs and the database's connections. Request and job figures are counted as they happen; the rest is
// read at each scrape, so an idle node costs nothing.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../db';
import { log } from '../log';
import { databaseConnections, lineOutboxDepth, mailOutboxDepth, searchOutboxByEntity } from './queries';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const requests = new Counter({
	name: 'portal_http_requests_total',
	help: 'Requests answered, by method, route and status.',
	labelNames: ['method', 'route', 'status'] as const,
	registers: [registry]
});

const durations = new Histogram({
	name: 'portal_http_request_duration_seconds',
	help: 'Time from arrival to the response, by method and route.',
	labelNames: ['method', 'route'] as const,
	buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
	registers: [registry]
});

/** A request answered; the route is its pattern (`/demand/[id]`), never the path, so the labels stay few. */
export function countRequest(method: string, route: string | null, status: number, seconds: number): void {
	const name = route ?? 'unmatched';
	requests.inc({ method, route: name, status: String(status) });
	durations.observe({ method, route: name }, seconds);
}

const jobRuns = new Counter({
	name: 'portal_background_job_runs_total',
	help: 'Rounds of each background job.',
	labelNames: ['job'] as const,
	registers: [registry]
});

const jobFailures = new Counter({
	name: 'portal_background_job_failures_total',
	help: 'Rounds of each background job that failed.',
	labelNames: ['job'] as const,
	registers: [registry]
});

export function countJobRound(job: string, failed: boolean): void {
	jobRuns.inc({ job });
	if (failed) jobFailures.inc({ job });
}

interface Sources {
	db: () => Queryable;
	poolSize: number;
	admission: () => { active: number; waiting: number; longestWaitMs: number } | undefined;
}

let sources: Sources | undefined;

/** Where the figures read at scrape time come from; set once the runtime is up. */
export function measureFrom(given: Sources): void {
	sources = given;
}

new Gauge({
	name: 'portal_admission_requests',
	help: 'Requests being worked on and waiting for their turn.',
	labelNames: ['state'] as const,
	registers: [registry],
	collect() {
		const line = sources?.admission();
		this.reset();
		if (!line) return;
		this.set({ state: 'active' }, line.active);
		this.set({ state: 'waiting' }, line.waiting);
	}
});

new Gauge({
	name: 'portal_admission_longest_wait_seconds',
	help: 'How long the request waiting longest has waited.',
	registers: [registry],
	collect() {
		this.set((sources?.admission()?.longestWaitMs ?? 0) / 1000);
	}
});

/**
 * What the database tells a scrape, read once for all the gauges below (a scrape collects them together) and not
 * again within a second. A database that does not answer leaves those gauges empty and `portal_database_up` at 0:
 * the scrape still succeeds, when the figures are wanted most.
 */
let reading: { at: number; figures: Promise<DatabaseFigures | null> } | undefined;

interface DatabaseFigures {
	outbox: Awaited<ReturnType<typeof searchOutboxByEntity>>;
	mail: Awaited<ReturnType<typeof mailOutboxDepth>>;
	line: Awaited<ReturnType<typeof lineOutboxDepth>>;
	connections: Awaited<ReturnType<typeof databaseConnections>>;
}

function databaseFigures(): Promise<DatabaseFigures | null> {
	const now = Date.now();
	if (!reading || now - reading.at > 1_000) reading = { at: now, figures: readDatabaseFigures() };
	return reading.figures;
}

async function readDatabaseFigures(): Promise<DatabaseFigures | null> {
	if (!sources) return null;
	const db = sources.db();
	try {
		const [outbox, mail, line, connections] = await Promise.all([
			searchOutboxByEntity(db),
			mailOutboxDepth(db),
			lineOutboxDepth(db),
			databaseConnections(db)
		]);
		return { outbox, mail, line, connections };
	} catch (error) {
		log().warn({ component: 'metrics', err: error }, 'the database figures could not be read');
		return null;
	}
}

new Gauge({
	name: 'portal_database_up',
	help: '1 when the database answered this scrape, else 0.',
	registers: [registry],
	async collect() {
		this.set((await databaseFigures()) ? 1 : 0);
	}
});

new Gauge({
	name: 'portal_search_outbox_pending',
	help: 'Changes waiting to reach the search index, by index.',
	labelNames: ['index'] as const,
	registers: [registry],
	async collect() {
		this.reset();
		for (const row of (await databaseFigures())?.outbox ?? []) this.set({ index: row.entity }, row.pending);
	}
});

new Gauge({
	name: 'portal_search_outbox_lag_seconds',
	help: 'Age of the oldest change waiting to reach the search index, by index.',
	labelNames: ['index'] as const,
	registers: [registry],
	async collect() {
		this.reset();
		const now = Date.now();
		for (const row of (await databaseFigures())?.outbox ?? [])
			this.set({ index: row.entity }, row.oldest ? (now - row.oldest.getTime()) / 1000 : 0);
	}
});

new Gauge({
	name: 'portal_mail_outbox',
	help: 'Mail not yet delivered: waiting (to be tried again) and given up.',
	labelNames: ['state'] as const,
	registers: [registry],
	async collect() {
		this.reset();
		const mail = (await databaseFigures())?.mail;
		if (!mail) return;
		this.set({ state: 'waiting' }, mail.waiting);
		this.set({ state: 'given_up' }, mail.givenUp);
	}
});

new Gauge({
	name: 'portal_line_outbox',
	help: 'LINE messages not yet pushed: waiting (to be tried again) and given up.',
	labelNames: ['state'] as const,
	registers: [registry],
	async collect() {
		this.reset();
		const line = (await databaseFigures())?.line;
		if (!line) return;
		this.set({ state: 'waiting' }, line.waiting);
		this.set({ state: 'given_up' }, line.givenUp);
	}
});

new Gauge({
	name: 'portal_database_pool_size',
	help: 'Connections this node may open to the database (DATABASE_POOL_SIZE).',
	registers: [registry],
	collect() {
		this.set(sources?.poolSize ?? 0);
	}
});

new Gauge({
	name: 'portal_database_connections',
	help: 'Connections to the portal database from every node, by state.',
	labelNames: ['state'] as const,
	registers: [registry],
	async collect() {
		this.reset();
		for (const row of (await databaseFigures())?.connections ?? []) this.set({ state: row.state }, row.n);
	}
});
