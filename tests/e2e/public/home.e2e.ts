// The home page as a visitor sees it: Thai by default, the 77 provinces from the database, English on request.
import { expect, test } from '@playwright/test';
import { keepScreenshot } from '../fixtures';

test('home page lists the 77 provinces in Thai, by region', async ({ page }, testInfo) => {
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'th');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('ตลาดนำการผลิต');
	await expect(page.locator('[data-code]')).toHaveCount(77);
	await expect(page.getByRole('heading', { name: /ภาคเหนือ/ })).toBeVisible();
	await expect(page.locator('[data-code="TH-50"]')).toHaveText('เชียงใหม่');
	await expect(page.locator('[data-code="TH-10"]')).toContainText('ไม่มีสำนักงานอุตสาหกรรมจังหวัด');
	await keepScreenshot(page, testInfo.outputPath('home-th.png'));
});

test('the language switch turns the page to English and remembers it', async ({ page }, testInfo) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Market-led production');
	await expect(page.locator('[data-code="TH-50"]')).toHaveText('Chiang Mai');
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await keepScreenshot(page, testInfo.outputPath('home-en.png'));
	await page.getByRole('button', { name: 'ภาษาไทย' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'th');
});

test('the language switch works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await context.close();
});

test('a phone-width screen shows the page without horizontal scrolling', async ({ browser }, testInfo) => {
	const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
	const page = await context.newPage();
	await page.goto('/');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await keepScreenshot(page, testInfo.outputPath('home-th-phone.png'));
	await context.close();
});

test('an unknown page gets the error page in the visitor’s language', async ({ page }) => {
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('ไม่พบหน้าที่คุณต้องการ');
});

test('health is 200 and names both parts; security headers are set', async ({ request }) => {
	const health = await request.get('/health');
	expect(health.status()).toBe(200);
	expect(await health.json()).toMatchObject({ database: { ok: true }, search: { ok: true }, failing: [] });
	const home = await request.get('/');
	const headers = home.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
});

test('a cross-site form post is refused', async ({ request }) => {
	const response = await request.post('/locale', {
		form: { locale: 'en', redirectTo: '/' },
		headers: { Origin: 'https://evil.example' }
	});
	expect(response.status()).toBe(403);
});

test('the language switch never redirects off the site', async ({ request, baseURL }) => {
	const response = await request.post('/locale', {
		form: { locale: 'en', redirectTo: '//evil.example/' },
		headers: { Origin: baseURL! },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	expect(response.headers()['location']).toBe('/');
});

test('the map of Thailand shows 77 provinces without JavaScript, with layers and a table', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/');
	const map = page.getByTestId('province-map');
	await expect(map.locator('use[data-province]')).toHaveCount(77);
	await expect(map.locator('a:has(use[data-province="TH-50"]) > title')).toHaveText(
		/เชียงใหม่: ความต้องการที่เปิดอยู่ \d+ รายการ/
	);
	await page.getByRole('link', { name: 'เลือกสตาร์ทอัพของจังหวัดแล้ว' }).click();
	await expect(page).toHaveURL(/layer=selected/);
	await expect(map.locator('a:has(use[data-province="TH-50"]) > title')).toContainText('สตาร์ทอัพของจังหวัดปี');
	await page.getByText('ดูเป็นตาราง').click();
	await expect(page.getByTestId('map-table').locator('tbody tr')).toHaveCount(77);
	await keepScreenshot(page, testInfo.outputPath('home-map.png'));
	await context.close();
});
