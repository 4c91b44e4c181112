// Calls the API the way SvelteKit would: the URL is matched against the route files under src/routes/api, the
// route's exported handler runs with a real Request, and the API's error hook wraps it (an unknown path answers
// 404, a method the route lacks 405, as SvelteKit does).
import type { RequestEvent } from '@sveltejs/kit';
import { apiErrors } from '../../src/hooks/api-errors';

type Handler = (event: RequestEvent) => Promise<Response>;

const modules = import.meta.glob<Record<string, unknown>>('/src/routes/api/**/+server.ts');

/** Each route file as a path template (/api/v1/startups/[key]) with a matcher. */
export const API_ROUTES = Object.keys(modules).map((file) => {
	const template = file.replace('/src/routes', '').replace(/\/\+server\.ts$/, '') || '/';
	const names: string[] = [];
	const pattern = template.replace(/\[([a-z]+)\]/g, (_, name: string) => {
		names.push(name);
		return '([^/]+)';
	});
	return { file, template, names, regex: new RegExp(`^${pattern.replace(/\./g, '\\.')}$`) };
});

export interface CallOptions {
	token?: string;
	body?: unknown;
	/** Sent as is (no JSON encoding), e.g. to test a malformed document. */
	rawBody?: string;
	headers?: Record<string, string>;
	address?: string;
}

export async function callApi(method: string, target: string, options: CallOptions = {}): Promise<Response> {
	const url = new URL(target, 'http://portal.test');
	const headers = new Headers(options.headers);
	if (options.token) headers.set('authorization', `Bearer ${options.token}`);
	let body: string | undefined = options.rawBody;
	if (options.body !== undefined) body = JSON.stringify(options.body);
	if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
	const request = new Request(url, { method, headers, body });
	const route = API_ROUTES.find((r) => r.regex.test(url.pathname));
	const params: Record<string, string> = {};
	const event = {
		request,
		url,
		params,
		getClientAddress: () => options.address ?? '198.51.100.20'
	} as unknown as RequestEvent;
	const resolve = async (): Promise<Response> => {
		if (!route)
			return new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } });
		const match = route.regex.exec(url.pathname)!;
		route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
		const module = await modules[route.file]!();
		const handler = module[method] as Handler | undefined;
		if (!handler) {
			const allow = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m in module).join(', ');
			return new Response(`${method} method not allowed`, {
				status: 405,
				headers: { allow, 'content-type': 'text/plain' }
			});
		}
		return handler(event);
	};
	return apiErrors({ event, resolve });
}
