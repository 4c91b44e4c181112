import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { csrf, crossSiteForm } from './csrf';
import { locale } from './locale';

/** The API's error object, as far as this test reads it. */
const apiError = z.object({ error: z.object({ message: z.string() }) });

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

/**
 * A form post from another site through the locale hook and this one, as the portal runs them; `reached` says
 * whether the page behind was worked on.
 */
async function refusal(path: string, headers: Record<string, string> = {}) {
	const url = new URL(`${ORIGIN}${path}`);
	const request = new Request(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: 'https://evil.example',
			...headers
		},
		body: 'a=1'
	});
	let reached = false;
	const page = async () => {
		reached = true;
		return new Response('worked on');
	};
	const response = await locale({
		event: { url, request },
		resolve: (event: RequestEvent) => csrf({ event, resolve: page })
	} as never);
	return { response, reached, text: await response.text() };
}

describe('the refusal of a cross-site form', () => {
	it('is a page in Thai for a visitor who has not chosen a language, and the page behind never runs', async () => {
		const { response, reached, text } = await refusal('/account?/lineStop');
		expect(response.status).toBe(403);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(text).toContain('<html lang="th">');
		expect(text).toContain('<h1>ไม่รับแบบฟอร์มที่ส่งมาจากเว็บไซต์อื่น</h1>');
		expect(text).toContain('โปรดเปิดหน้านั้นในพอร์ทัลแล้วส่งแบบฟอร์มอีกครั้ง');
		expect(text).toContain('<a href="/">กลับไปหน้าแรก</a>');
		expect(reached).toBe(false);
	});

	it('is in English for a visitor who chose English', async () => {
		const { response, text } = await refusal('/account?/lineStop', { cookie: 'PARAGLIDE_LOCALE=en' });
		expect(response.status).toBe(403);
		expect(text).toContain('<html lang="en">');
		expect(text).toContain('<h1>Forms sent from another website are refused</h1>');
		expect(text).not.toContain('ไม่รับแบบฟอร์ม');
	});

	it('is JSON with the message for a form SvelteKit enhanced (it asks for JSON)', async () => {
		const { response, text } = await refusal('/account?/lineStop', {
			accept: 'application/json',
			cookie: 'PARAGLIDE_LOCALE=en'
		});
		expect(response.status).toBe(403);
		expect(JSON.parse(text)).toEqual({
			message:
				'The portal accepts forms sent from its own pages only, so that no other website can send anything in your name. Open the page in the portal and send the form again.'
		});
	});

	it('is the API’s error object under /api, in the language the request asks for', async () => {
		const thai = await refusal('/api/v1/import');
		expect(thai.response.status).toBe(403);
		expect(thai.response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(JSON.parse(thai.text)).toEqual({
			error: {
				code: 'cross_site_form',
				message: 'ไม่รับแบบฟอร์มที่ส่งมาจากเว็บไซต์อื่น: ส่งข้อมูลเป็น application/json พร้อมโทเคนใน Authorization: Bearer',
				details: null
			}
		});
		const english = await refusal('/api/v1/import', { 'accept-language': 'en-GB,en;q=0.8' });
		expect(english.response.headers.get('content-language')).toBe('en');
		expect(apiError.parse(JSON.parse(english.text)).error.message).toMatch(
			/^Form submissions from another website are refused/
		);
		expect(thai.reached || english.reached).toBe(false);
	});

	it('lets the portal’s own form through to its page', async () => {
		const { response, reached, text } = await refusal('/account?/lineStop', { origin: ORIGIN });
		expect(response.status).toBe(200);
		expect(text).toBe('worked on');
		expect(reached).toBe(true);
	});
});
