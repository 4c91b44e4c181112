// A partner agency's access, end to end over HTTP on the production build: the administrator issues a token on
// the admin page (shown once), the agency imports a document and reads it back through the API, the
// administrator revokes the token, and the next call is refused. The reference page renders without JavaScript.
import { expect, test } from '@playwright/test';
import { E2E_ADMIN, keepScreenshot, signIn, unique } from '../fixtures';

test('an administrator issues a token, the agency uses it, and revocation shuts it out', async ({
	page,
	request
}) => {
	await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(page).toHaveURL(/\/admin$/);
	await page.getByRole('link', { name: 'โทเคน API ของหน่วยงานพันธมิตร' }).click();
	const label = `ทีมข้อมูล ${unique()}`;

	// A mistake keeps what was typed and says what is wrong, in Thai.
	await page.getByLabel('ชื่อเรียกโทเคน').fill(label);
	await page.getByRole('checkbox', { name: /^read/ }).uncheck();
	await page.getByRole('button', { name: 'ออกโทเคน' }).click();
	await expect(page.getByText('เลือกสิทธิ์อย่างน้อยหนึ่งอย่าง').first()).toBeVisible();
	await expect(page.getByLabel('ชื่อเรียกโทเคน')).toHaveValue(label);

	await page.getByLabel('หน่วยงาน', { exact: true }).selectOption('sme-d-bank');
	await page.getByRole('checkbox', { name: /^read/ }).check();
	await page.getByRole('checkbox', { name: /^import —/ }).check();
	// Published at once, so the agency can read back what it imports (without it, startups wait for review).
	await page.getByRole('checkbox', { name: /^import:publish —/ }).check();
	await page.getByRole('button', { name: 'ออกโทเคน' }).click();
	// The token, shown once, is where the focus goes, not above the viewport (issue 22 item 4).
	const issued = page.locator('[data-notice="success"]').filter({ has: page.getByTestId('issued-secret') });
	await expect(issued).toBeFocused();
	await expect(issued).toBeInViewport();
	const secret = await page.getByTestId('issued-secret').inputValue();
	expect(secret).toMatch(/^tnp_[a-z2-7]{32}$/);
	await keepScreenshot(page, 'test-results/screenshots/admin-api-token-issued.png');
	// Shown once: a fresh load of the page does not show it again.
	await page.reload();
	await expect(page.getByTestId('issued-secret')).toHaveCount(0);
	await expect(page.locator('body')).not.toContainText(secret);

	const ref = `e2e-${unique()}`;
	const headers = { authorization: `Bearer ${secret}`, 'accept-language': 'en' };
	const imported = await request.post('/api/v1/import', {
		headers,
		data: {
			format: 'provincial-matchmaking/v1',
			startups: [{ ref, province: 'TH-50', name_en: 'E2E Weavers', tsic: ['13'] }]
		}
	});
	expect(imported.status()).toBe(200);
	const report: unknown = await imported.json();
	expect(report).toHaveProperty('records', [{ type: 'startup', ref, outcome: 'created' }]);
	const read = await request.get(`/api/v1/startups/${ref}`, { headers });
	expect(read.status()).toBe(200);
	expect(await read.json()).toMatchObject({ ref, name_en: 'E2E Weavers', province: 'TH-50' });
	// Security headers and compression apply to the API like to pages.
	expect(read.headers()['x-content-type-options']).toBe('nosniff');

	const row = page.getByTestId('token-row').filter({ hasText: label });
	await page.reload();
	await expect(row).toContainText('ใช้งานได้');
	await row.getByRole('button', { name: /เพิกถอน/ }).click();
	await expect(page.getByTestId('token-row').filter({ hasText: label })).toContainText('เพิกถอนแล้ว');

	const refused = await request.get(`/api/v1/startups/${ref}`, { headers });
	expect(refused.status()).toBe(401);
	expect(await refused.json()).toMatchObject({
		error: { code: 'token_invalid', message: 'The API token is not valid, has expired or has been revoked.' }
	});
});

test('unknown API paths and methods answer JSON; the reference page works without JavaScript', async ({
	browser,
	request
}) => {
	const missing = await request.get('/api/v1/no-such-thing');
	expect(missing.status()).toBe(404);
	expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
	const method = await request.delete('/api/v1/provinces');
	expect(method.status()).toBe(405);
	expect(await method.json()).toMatchObject({ error: { code: 'method_not_allowed' } });

	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/api/docs');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('คู่มือ API (I-Connect)');
	await expect(page.locator('#postImport')).toContainText('/api/v1/import');
	await page.setViewportSize({ width: 390, height: 844 });
	await keepScreenshot(page, 'test-results/screenshots/api-docs-phone.png', { fullPage: false });
	await page.getByRole('link', { name: /OpenAPI 3.1/ }).click();
	const openapi: unknown = JSON.parse((await page.locator('body').textContent()) ?? '{}');
	expect(openapi).toMatchObject({ openapi: '3.1.0' });
	await context.close();
});
