import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { addressLimit } from './hooks/address-limit';
import { admission } from './hooks/admission';
import { apiErrors } from './hooks/api-errors';
import { auth } from './hooks/auth';
import { bodyLimit } from './hooks/body-limit';
import { compression } from './hooks/compression';
import { csrf } from './hooks/csrf';
import { fontPreload } from './hooks/font-preload';
import { locale } from './hooks/locale';
import { pageCache } from './hooks/page-cache';
import { requestLog } from './hooks/request-log';
import { securityHeaders } from './hooks/security-headers';
import { noteUnavailable, unavailable } from './hooks/unavailable';
import { runtime, setRuntime } from '$lib/server/context';
import { DatabaseUnavailableError } from '$lib/server/db';
import { env } from '$lib/server/env';
import { currentAdmissionLoad, reportAdmissionLoad } from '$lib/server/health';
import { measureFrom } from '$lib/server/metrics/registry';
import { configureLog, log } from '$lib/server/log';
import { requestIdOf } from '$lib/server/request-id';
import { startRuntime } from '$lib/server/runtime';
import { stopTracing } from '$lib/server/tracing/start';

export const init: ServerInit = async () => {
	const started = performance.now();
	try {
		const settings = env();
		configureLog(settings.LOG_LEVEL);
		const ready = await startRuntime(settings, { owner: 'portal' });
		setRuntime(ready);
		measureFrom({
			db: () => ready.db,
			poolSize: settings.DATABASE_POOL_SIZE,
			admission: currentAdmissionLoad
		});
	} catch (error) {
		// One clear line instead of a stack trace: the operator needs to know which setting or service failed.
		console.error(`ตลาดนำการผลิต could not start: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	log().info({ ms: Math.round(performance.now() - started) }, 'Portal ready');
	process.once('sveltekit:shutdown', () => {
		// The last spans are sent after the runtime's own work has ended (tracing is started by instrumentation.server.ts).
		void runtime()
			.stop()
			.then(stopTracing)
			.then(() => process.exit(0));
	});
};

/**
 * A hook made on the first request: its settings are read once the runtime has checked them. It is named, as the
 * trace of each request names every handle of the sequence (`sveltekit.handle.sequenced.<name>`).
 */
function onFirstRequest(name: string, make: () => Handle): Handle {
	let made: Handle | undefined;
	const handle: Handle = (input) => (made ??= make())(input);
	return Object.defineProperty(handle, 'name', { value: name });
}

const cachedPublicPages = onFirstRequest('cachedPublicPages', () => {
	const { NODE_ENV, PAGE_CACHE_SECONDS } = env();
	return pageCache({ seconds: PAGE_CACHE_SECONDS ?? (NODE_ENV === 'production' ? 5 : 0) });
});

const admitInTurn = onFirstRequest('admitInTurn', () => {
	const { MAX_CONCURRENT_REQUESTS, REQUEST_QUEUE_SECONDS } = env();
	const line = admission({ limit: MAX_CONCURRENT_REQUESTS, queueTimeoutMs: REQUEST_QUEUE_SECONDS * 1000 });
	reportAdmissionLoad(line.load);
	return line.handle;
});

const limitPerAddress = onFirstRequest(
	'limitPerAddress',
	() => addressLimit({ limit: env().MAX_REQUESTS_PER_ADDRESS }).handle
);

const bodyInTime = onFirstRequest('bodyInTime', () =>
	bodyLimit({ timeoutMs: env().REQUEST_BODY_SECONDS * 1000 })
);

// The page cache is outermost: it keeps pages as they are sent, compressed. Compression comes next: it sees the
// finished response, headers and all. `unavailable` sits inside `locale` (its page speaks the visitor's
// language) and around `auth` (whose session check is the first query); so does the cross-site form check, whose
// refusal speaks the visitor's language too. Admission comes after the page cache
// (a kept page costs nothing to send) and inside `locale` (a 503 for waiting too long speaks the visitor's
// language too). The limit per address counts a request from its arrival; the body is read before the request
// joins the line, so a slow sender waits without holding a place.
export const handle = sequence(
	cachedPublicPages,
	compression,
	requestLog,
	securityHeaders,
	fontPreload,
	apiErrors,
	locale,
	csrf,
	limitPerAddress,
	bodyInTime,
	admitInTurn,
	unavailable,
	auth
);

export const handleError: HandleServerError = ({ error, status, event }) => {
	// The request's own id: the error page shows it, the response header and the log entry carry it.
	const id = requestIdOf(event);
	if (error instanceof DatabaseUnavailableError) {
		noteUnavailable();
		return { message: 'unavailable', id };
	}
	if (status >= 500) log().error({ requestId: id, route: event.route.id, err: error }, 'unhandled error');
	return { message: status === 404 ? 'not_found' : 'server_error', id };
};
