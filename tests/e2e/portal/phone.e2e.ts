// Made for phones (issue 22 item 5), on the demo data at 390 × 844: the header is one row with a menu that opens
// without JavaScript, and no public page scrolls sideways.
import { expect, test } from '@playwright/test';

const PHONE = { width: 390, height: 844 };

test('the header is one short row on a phone, and its menu opens without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/demand');
	const header = page.getByTestId('site-header');
	// It wrapped to three rows (about 260 px) before.
	expect((await header.boundingBox())!.height).toBeLessThan(90);
	const market = page.getByRole('link', { name: 'ช่องว่างตลาด' });
	await expect(market).toBeHidden();
	await header.locator('summary').click();
	await expect(market).toBeVisible();
	await expect(page.getByRole('link', { name: 'เข้าสู่ระบบ' })).toBeVisible();
	await market.click();
	await expect(page).toHaveURL(/\/market$/);
	await context.close();
});

test('the header keeps its navigation in view on a wide screen', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'ช่องว่างตลาด' })).toBeVisible();
	await expect(page.getByTestId('site-header').locator('summary')).toBeHidden();
});

test('no public page scrolls sideways on a phone', async ({ browser }) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ viewport: PHONE });
	const page = await context.newPage();
	const overflowing: string[] = [];
	const check = async () => {
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		if (overflow > 0) overflowing.push(`${page.url()} ${overflow}px`);
	};
	for (const path of [
		'/',
		'/demand',
		'/search?q=ข้าว',
		'/search?q=xylophone',
		'/market',
		'/provinces/TH-40'
	]) {
		await page.goto(path);
		await check();
	}
	for (const testid of ['demand-here', 'candidates']) {
		await page.goto('/provinces/TH-40');
		await page.getByTestId(testid).getByRole('link').first().click();
		await page.waitForLoadState();
		await check();
	}
	expect(overflowing).toEqual([]);
	await context.close();
});
