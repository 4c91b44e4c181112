// The public portal with demo data loaded (`seed --demo`): every public page passes axe-core, works without
// JavaScript, fits a phone, and the map, province pages and gap dashboard show the figures. Screenshots of home,
// a province page and /market in Thai and English, desktop and phone, are kept when asked (SCREENSHOTS=1).
import { expect, test, type Browser, type Page } from '@playwright/test';
import { axeViolations, keepScreenshot, screenshotPath, VIEWS } from '../fixtures';

const PUBLIC_PAGES = [
	'/',
	'/?layer=gap',
	'/provinces/TH-40',
	'/regions/northeast',
	'/market',
	'/market?province=TH-50',
	'/demand',
	'/search?q=ข้าว',
	'/search?q=xylophone',
	'/demand?q=ข้าว',
	'/waste',
	'/sign-in',
	'/sign-up',
	'/forgot-password'
];

async function inLocale(browser: Browser, locale: 'th' | 'en', viewport: { width: number; height: number }) {
	const context = await browser.newContext({ viewport });
	if (locale === 'en') {
		const page = await context.newPage();
		await page.goto('/');
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.close();
	}
	return context;
}

// One test per language, so each has its own time limit: some 16 pages with axe each take minutes while the tests
// run beside the walks in CI.
for (const locale of ['th', 'en'] as const) {
	test(`axe-core finds no violations on any public page, in ${locale === 'th' ? 'Thai' : 'English'}`, async ({
		browser
	}) => {
		// About 30 s on a quiet machine; four times that beside the tests in CI.
		test.setTimeout(360_000);
		const found: string[] = [];
		const check = async (page: Page) => {
			for (const violation of await axeViolations(page)) found.push(`${locale} ${page.url()} ${violation}`);
		};
		const context = await inLocale(browser, locale, { width: 1280, height: 900 });
		const page = await context.newPage();
		for (const path of PUBLIC_PAGES) {
			await page.goto(path);
			await check(page);
		}
		// A demand and a startup page from the demo data.
		for (const testid of ['demand-here', 'candidates']) {
			await page.goto('/provinces/TH-40');
			await page.getByTestId(testid).getByRole('link').first().click();
			await page.waitForLoadState();
			await check(page);
		}
		await context.close();
		expect(found).toEqual([]);
	});
}

test('with demo data every province has figures, and the map colours them', async ({ page }) => {
	await page.goto('/');
	await page.getByText('ดูเป็นตาราง').click();
	const rows = page.getByTestId('map-table').locator('tbody tr');
	await expect(rows).toHaveCount(77);
	// Every province has at least one approved startup in the demo.
	const startups = await rows.locator('td:nth-child(5)').allInnerTexts();
	expect(startups.filter((n) => Number(n) > 0)).toHaveLength(77);
	const fills = await page
		.locator('use[data-province]')
		.evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
	expect(new Set(fills).size).toBeGreaterThan(2);
	// The outlines come from the cached sprite: each province is drawn (has a size), not an empty <use>.
	await expect
		.poll(() =>
			page.locator('use[data-province="TH-50"]').evaluate((e) => (e as SVGGraphicsElement).getBBox().width)
		)
		.toBeGreaterThan(5);
	await page.goto('/?layer=gap');
	await expect(page.locator('a:has(use[data-province="TH-40"]) > title')).toContainText('ยังไม่มีผู้รองรับ');
	// Pointing at a province shows its name and figure in the map's empty corner (CSS only, no JavaScript).
	const readout = page.locator('[data-readout="TH-40"]');
	await expect(readout).toBeHidden();
	await page.locator('a:has(use[data-province="TH-40"])').hover();
	await expect(readout).toBeVisible();
	await expect(readout).toContainText('ขอนแก่น');
	await expect(readout).toContainText('ยังไม่มีผู้รองรับ');
	// No JavaScript is sent to the public pages.
	expect(await page.locator('script[src], link[rel="modulepreload"]').count()).toBe(0);
});

test('a province page: its startup, candidates, demand, gap and what the market wants, without JavaScript', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	// The readable alias redirects to the code.
	await page.goto('/provinces/khon-kaen');
	await expect(page).toHaveURL(/\/provinces\/TH-40$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('จังหวัดขอนแก่น');
	await expect(page.getByTestId('selected-startup')).toBeVisible();
	await expect(page.getByTestId('candidates').locator('li').first()).toContainText('[ตัวอย่าง]');
	await expect(page.getByTestId('demand-here').locator('li').first()).toBeVisible();
	await expect(page.getByTestId('gap-table').locator('tbody tr').first()).toBeVisible();
	await expect(page.getByRole('heading', { name: 'ตลาดต้องการอะไรจากผู้ผลิตในจังหวัดนี้' })).toBeVisible();
	const missing = await page.goto('/provinces/atlantis');
	expect(missing?.status()).toBe(404);
	await context.close();
});

test('the gap dashboard filters without JavaScript and its CSV opens in Excel', async ({
	browser,
	request
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/market');
	await expect(page.getByTestId('total-unmet')).not.toHaveText(/^0 /);
	await page.getByRole('combobox', { name: 'จังหวัด' }).selectOption('TH-40');
	await page.getByRole('button', { name: 'แสดง' }).click();
	await expect(page).toHaveURL(/province=TH-40/);
	const provinces = await page.getByTestId('gap-table').locator('tbody tr td:first-child').allInnerTexts();
	expect(provinces.length).toBeGreaterThan(0);
	expect(new Set(provinces)).toEqual(new Set(['ขอนแก่น']));
	await context.close();

	const csv = await request.get('/market/gap.csv?province=TH-40');
	expect(csv.headers()['content-type']).toContain('text/csv');
	const body = await csv.body();
	expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = body.toString('utf8').trim().split('\r\n');
	expect(lines[0]).toContain('province_code,province,tsic_division');
	expect(lines.slice(1).every((line) => line.startsWith('TH-40,ขอนแก่น,'))).toBe(true);
});

test('sitemap.xml lists the public pages and robots.txt points to it', async ({ request, baseURL }) => {
	const sitemap = await (await request.get('/sitemap.xml')).text();
	expect(sitemap.match(/\/provinces\/TH-\d\d</g)).toHaveLength(77);
	expect(sitemap).toContain(`${baseURL}/market</loc>`);
	expect(sitemap).toMatch(/\/startups\/[a-z0-9-]+<\/loc><lastmod>/);
	const robots = await (await request.get('/robots.txt')).text();
	expect(robots).toContain(`Sitemap: ${baseURL}/sitemap.xml`);
	expect(robots).toContain('Disallow: /admin');
});

for (const locale of ['th', 'en'] as const) {
	for (const [device, viewport] of VIEWS) {
		test(`the public pages fit the screen, with screenshots when asked (${locale}, ${device})`, async ({
			browser,
			request
		}) => {
			const demandList = await (await request.get('/demand')).text();
			const demand = demandList.match(/href="(\/demand\/[0-9a-f-]{36})"/)?.[1];
			const sitemap = await (await request.get('/sitemap.xml')).text();
			const startup = sitemap.match(/\/startups\/[a-z0-9-]+(?=<\/loc>)/)?.[0];
			expect(demand && startup, 'a demand and a startup in the demo data').toBeTruthy();
			const context = await inLocale(browser, locale, viewport);
			const page = await context.newPage();
			for (const [name, path] of [
				['home', '/'],
				['province-TH-40', '/provinces/TH-40'],
				['market', '/market'],
				['demand-board', '/demand'],
				['demand', demand!],
				['startup', startup!],
				['search', '/search?q=ข้าว'],
				['search-no-results', '/search?q=xylophone']
			] as const) {
				await page.goto(path);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				expect({ path, overflows: overflow > 0 }).toEqual({ path, overflows: false });
				await keepScreenshot(page, screenshotPath(`public-${name}-${locale}-${device}`));
			}
			await context.close();
		});
	}
}

test('a region page names its region once (the Thai title read "ภาคภาค…")', async ({ page }) => {
	await page.goto('/regions/northeast');
	const heading = page.getByRole('heading', { level: 1 });
	await expect(heading).toContainText('ภาคตะวันออกเฉียงเหนือ');
	await expect(heading).not.toContainText('ภาคภาค');
});

test('Bangkok, which has no provincial office, is not called a province office’s page', async ({ page }) => {
	await page.goto('/provinces/TH-10');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('กรุงเทพมหานคร');
	await expect(page.getByTestId('selected-startup')).not.toContainText('สำนักงานอุตสาหกรรมจังหวัด');
});
