import { describe, expect, it } from 'vitest';
import { crossSiteForm } from './csrf';

const ORIGIN = 'https://portal.example';

function post(
	path: string,
	{ origin, type = 'application/x-www-form-urlencoded', method = 'POST' } = {} as {
		origin?: string;
		type?: string;
		method?: string;
	}
) {
	const url = new URL(`${ORIGIN}${path}`);
	const headers: Record<string, string> = { 'content-type': type };
	if (origin) headers.origin = origin;
	return crossSiteForm(new Request(url, { method, headers, body: 'List-Unsubscribe=One-Click' }), url);
}

describe('cross-site form check', () => {
	it('refuses form posts from another origin, or with none, as SvelteKit does', () => {
		expect(post('/sign-in?/default', { origin: 'https://evil.example' })).toBe(true);
		expect(post('/account/searches?/create')).toBe(true);
		expect(
			post('/account', { origin: 'https://evil.example', type: 'multipart/form-data; boundary=x' })
		).toBe(true);
		expect(post('/account', { origin: 'https://evil.example', type: 'text/plain;charset=utf-8' })).toBe(true);
		expect(post('/account', { origin: 'https://evil.example', method: 'DELETE' })).toBe(true);
	});

	it('lets the portal’s own forms and non-form requests through', () => {
		expect(post('/account', { origin: ORIGIN })).toBe(false);
		expect(post('/api/v1/imports', { origin: 'https://partner.example', type: 'application/json' })).toBe(
			false
		);
		const url = new URL(`${ORIGIN}/demand`);
		expect(crossSiteForm(new Request(url), url)).toBe(false);
	});

	it('lets only the one-click unsubscribe POST through from anywhere (RFC 8058)', () => {
		expect(post('/alerts/unsubscribe/0b6f3c1e-9d7a-4c55-8f0e-0d1f2e3a4b5c.abc_DEF-123')).toBe(false);
		expect(post('/alerts/unsubscribe/x.y', { origin: 'https://mail.example' })).toBe(false);
		// Not another method, another action, a deeper path, or a look-alike prefix.
		expect(post('/alerts/unsubscribe/x.y', { method: 'PUT' })).toBe(true);
		expect(post('/alerts/unsubscribe/x.y?/other')).toBe(true);
		expect(post('/alerts/unsubscribe/x.y/more')).toBe(true);
		expect(post('/alerts/unsubscribe-all/x.y')).toBe(true);
		expect(post('/alerts/unsubscribe/')).toBe(true);
	});
});
