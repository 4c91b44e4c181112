// Issue 18, sign-in and account side: redirects after sign-in and the language switch stay on this site and never
// answer 500; what the public sees carries no internal ids and no database error text; signed-in answers are
// never cached; only confirmed addresses publish, offer and report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safePath } from '$lib/safe-path';
import { routeEvent, routeModule, settle, signedInLocals } from '../helpers/route-event';
import { startWorld, WORLD_PASSWORD, type RunningWorld, type World } from '../helpers/world';

let running: RunningWorld;
let database: RunningWorld['database'];
let world: World;

beforeAll(async () => {
	running = await startWorld({ search: false });
	({ database, world } = running);
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

type Handler = (event: unknown) => unknown;
let addressCounter = 0;
const nextAddress = () => `192.0.2.${++addressCounter}`;

/** Targets that lead off the site once a browser reads them, or cannot be sent as a Location header at all. */
const HOSTILE = [
	'/\t/evil.example/',
	'/\n/evil.example/',
	'/\r/evil.example/',
	'//evil.example/',
	'/\\evil.example/',
	'/\\\\evil.example/',
	'https://evil.example/',
	'javascript:alert(1)',
	'/\n',
	'/\r\nSet-Cookie: a=b',
	'/\u3000',
	'/\u3000/evil.example',
	'/\u00a0x',
	'/\u200b/evil.example',
	'/ x',
	'/\u0000x',
	'/%0A',
	''
];

/** What a browser makes of a Location header: where it goes, and whether the header could be sent at all. */
function followed(location: string, origin = 'http://portal.test') {
	new Headers({ location }); // throws, as SvelteKit's response would (a 500), on a value no header may carry
	return new URL(location, origin);
}

describe('redirects after sign-in and the language switch (item 3)', () => {
	it('safePath keeps same-site paths and refuses everything else, whitespace and control characters included', () => {
		expect(safePath('/market?q=1#top', 'http://portal.test')).toBe('/market?q=1#top');
		expect(safePath('/demand/abc', new URL('https://portal.example.go.th/x'), '')).toBe('/demand/abc');
		// A Thai path is kept, percent-encoded, so it can travel in a header.
		expect(safePath('/ค้นหา?q=ข้าว', 'http://portal.test')).toBe(
			'/%E0%B8%84%E0%B9%89%E0%B8%99%E0%B8%AB%E0%B8%B2?q=%E0%B8%82%E0%B9%89%E0%B8%B2%E0%B8%A7'
		);
		for (const value of [...HOSTILE, null, undefined, 42, '/'.repeat(2001)])
			expect(safePath(value, 'http://portal.test', 'FALLBACK'), JSON.stringify(value)).toBe(
				value === '/%0A' ? '/%0A' : 'FALLBACK'
			);
	});

	it('signing in with any hostile `next` lands on the home page for the role, on this site', async () => {
		const action = ((await routeModule('(auth)/sign-in/+page.server.ts')).actions as Record<string, Handler>)
			.default!;
		for (const next of HOSTILE) {
			const event = routeEvent({
				locals: { user: null, session: null },
				method: 'POST',
				body: { email: world.users.buyer.email, password: WORLD_PASSWORD, next },
				address: nextAddress()
			});
			const settled = await settle(() => action(event));
			expect(settled.kind, JSON.stringify(next)).toBe('redirect');
			if (settled.kind !== 'redirect') continue;
			const target = followed(settled.location);
			expect(target.origin, JSON.stringify(next)).toBe('http://portal.test');
		}
	});

	it('a signed-in visitor sent to /sign-in?next=… with a line break or an ideographic space is not answered 500', async () => {
		const load = (await routeModule('(auth)/sign-in/+page.server.ts')).load as Handler;
		const locals = await signedInLocals(database.db, world.users.buyer.id);
		for (const next of [
			'/%0A/evil.example',
			'/%0D/evil.example',
			'/%E3%80%80/evil.example',
			'/%09/evil.example'
		]) {
			const settled = await settle(() =>
				load(routeEvent({ locals, method: 'GET', search: `?next=${next}` }))
			);
			expect(settled.kind, next).toBe('redirect');
			if (settled.kind === 'redirect') expect(followed(settled.location).origin).toBe('http://portal.test');
			if (settled.kind === 'redirect') expect(settled.location, next).toBe('/buyer');
		}
	});

	it('the language switch returns to a Thai page percent-encoded, and anywhere hostile falls back to the home page', async () => {
		const post = (await routeModule('locale/+server.ts')).POST as Handler;
		const thai = await settle(() =>
			post(
				routeEvent({
					locals: { user: null, session: null },
					method: 'POST',
					body: { locale: 'en', redirectTo: '/ค้นหา?q=ข้าว' }
				})
			)
		);
		expect(thai.kind).toBe('redirect');
		if (thai.kind === 'redirect') expect(decodeURI(followed(thai.location).pathname)).toBe('/ค้นหา');
		for (const redirectTo of HOSTILE) {
			const settled = await settle(() =>
				post(
					routeEvent({
						locals: { user: null, session: null },
						method: 'POST',
						body: { locale: 'th', redirectTo }
					})
				)
			);
			// Forms lose U+0000 on the way in (readForm), so "/\u0000x" arrives as "/x".
			const expected = ({ '/%0A': '/%0A', '/\u0000x': '/x' } as Record<string, string>)[redirectTo] ?? '/';
			expect(settled, JSON.stringify(redirectTo)).toMatchObject({ kind: 'redirect', location: expected });
		}
	});
});
