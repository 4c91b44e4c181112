// The page cache on the production server: a public page is rendered once for visitors who are not signed in,
// per language, and never shared with a signed-in person.
import { expect, test } from '@playwright/test';

test('a public page is served again to the next anonymous visitor, in their language', async ({
	playwright,
	baseURL
}) => {
	const visitor = await playwright.request.newContext({ baseURL });
	const first = await visitor.get('/market?e2e=page-cache');
	expect(first.status()).toBe(200);
	expect(first.headers()['x-page-cache']).toBe('miss');
	const again = await visitor.get('/market?e2e=page-cache');
	expect(again.headers()['x-page-cache']).toBe('hit');
	expect(await again.text()).toBe(await first.text());
	// The same address in English is a page of its own.
	const english = await playwright.request.newContext({
		baseURL,
		storageState: {
			cookies: [
				{
					name: 'PARAGLIDE_LOCALE',
					value: 'en',
					domain: new URL(baseURL!).hostname,
					path: '/',
					expires: -1,
					httpOnly: false,
					secure: false,
					sameSite: 'Lax'
				}
			],
			origins: []
		}
	});
	const inEnglish = await english.get('/market?e2e=page-cache');
	expect(inEnglish.headers()['x-page-cache']).toBe('miss');
	expect(await inEnglish.text()).toContain('lang="en"');
	// A session cookie, valid or not, means the page is rendered for that person.
	const signedIn = await visitor.get('/market?e2e=page-cache', {
		headers: { cookie: 'session=not-a-session' }
	});
	expect(signedIn.headers()['x-page-cache']).toBeUndefined();
	await Promise.all([visitor.dispose(), english.dispose()]);
});
