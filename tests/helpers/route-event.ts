// Route handlers called the way SvelteKit calls them: every server route module, a RequestEvent with real locals
// (a session validated from its token, as the auth hook does), params, a URL and a form body, and what came of the
// call. Shared by the authorization matrix and the fuzz tests.
import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import type { Queryable } from '$lib/server/db';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';

export const ROUTE_MODULES = import.meta.glob<Record<string, unknown>>([
	'/src/routes/**/+page.server.ts',
	'/src/routes/**/+layout.server.ts',
	'/src/routes/**/+server.ts'
]);

/** A route module's path under src/routes, e.g. `(app)/startup/+page.server.ts`. */
export const routeFile = (file: string) => file.replace('/src/routes/', '');

export async function routeModule(file: string): Promise<Record<string, unknown>> {
	const load = ROUTE_MODULES[`/src/routes/${file}`];
	if (!load) throw new Error(`no route file src/routes/${file}`);
	return load();
}

/** Locals exactly as the auth hook builds them: a new session for the user, validated from its token. */
export async function signedInLocals(db: Queryable, userId: string | null): Promise<App.Locals> {
	if (userId === null) return { user: null, session: null };
	const token = generateSessionToken();
	await createSession(db, token, userId);
	const { user, session } = await validateSessionToken(db, token);
	return { user, session };
}

/** A browser's cookies for one request, keeping the options each was set with. */
function cookieJar(initial: Record<string, string> = {}) {
	const jar = new Map(Object.entries(initial));
	const options = new Map<string, Record<string, unknown>>();
	return {
		get: (name: string) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string, opts: Record<string, unknown> = {}) => {
			jar.set(name, value);
			options.set(name, opts);
		},
		delete: (name: string) => void jar.delete(name),
		serialize: () => '',
		optionsOf: (name: string) => options.get(name)
	};
}

export interface EventSpec {
	locals: App.Locals;
	method: 'GET' | 'POST';
	params?: Record<string, string>;
	/** The query string, with its `?`. */
	search?: string;
	/** The posted form (POST only). */
	body?: FormData | Record<string, string>;
	address?: string;
	/** The browser's cookies. */
	cookies?: Record<string, string>;
	/** Where the request went; http://portal.test unless said. */
	origin?: string;
}

export function routeEvent(spec: EventSpec) {
	const url = new URL(`${spec.origin ?? 'http://portal.test'}/x${spec.search ?? ''}`);
	let body = spec.body;
	if (!(body instanceof FormData)) {
		const form = new FormData();
		for (const [name, value] of Object.entries(body ?? {})) form.set(name, value);
		body = form;
	}
	return {
		locals: spec.locals,
		params: spec.params ?? {},
		url,
		request: new Request(url, spec.method === 'POST' ? { method: 'POST', body } : { method: 'GET' }),
		cookies: cookieJar(spec.cookies),
		getClientAddress: () => spec.address ?? '198.51.100.7',
		setHeaders: () => {},
		parent: async () => ({}),
		depends: () => {},
		untrack: <T>(fn: () => T) => fn(),
		fetch,
		route: { id: null },
		isDataRequest: false,
		isSubRequest: false,
		platform: undefined
	};
}

/** What a call of a load, action or handler came to, as SvelteKit would answer it. */
export type Settled =
	| { kind: 'data'; status: number; value: unknown }
	| { kind: 'failure'; status: number; data: unknown }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'http'; status: number; message: string }
	| { kind: 'crash'; status: 500; error: unknown };

export async function settle(run: () => unknown): Promise<Settled> {
	try {
		const value = await run();
		if (isActionFailure(value)) return { kind: 'failure', status: value.status, data: value.data };
		if (value instanceof Response) return { kind: 'data', status: value.status, value };
		return { kind: 'data', status: 200, value };
	} catch (error) {
		if (isRedirect(error)) return { kind: 'redirect', status: error.status, location: error.location };
		if (isHttpError(error)) return { kind: 'http', status: error.status, message: error.body.message };
		return { kind: 'crash', status: 500, error };
	}
}
