// Thai is drawn in Noto Sans Thai on a first visit, even when the fonts arrive late (issue 22, item 1). This
// machine has no Thai font of its own (`fc-list :lang=th` is empty), like the Linux kiosks of the issue: a page
// that kept its fallback would show empty boxes. Each page is opened in a fresh browser context, at phone width,
// with the font files held back as on a slow network, which is what made `font-display: optional` give up.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { keepScreenshot, screenshotPath } from '../fixtures';

const FONT_DELAY_MS = 600;
const THAI_FALLBACKS = [
	'Noto Sans Thai local',
	'Noto Sans Thai fallback Leelawadee',
	'Noto Sans Thai fallback Tahoma',
	'Noto Sans Thai fallback Thonburi',
	'Noto Sans Thai fallback Loma'
];

async function firstVisit(browser: Browser, baseURL: string | undefined) {
	const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
	await context.route(/\.woff2$/, async (route) => {
		await new Promise((resolve) => setTimeout(resolve, FONT_DELAY_MS));
		await route.continue();
	});
	return context;
}

/** The page's h1 in the page's fonts, against the same text measured in a copy of the web font no rule can have dropped. */
async function headingWidths(page: Page) {
	return page.evaluate(async () => {
		await document.fonts.ready;
		const h1 = document.querySelector('h1');
		if (!h1) throw new Error('the page has no h1');
		const style = getComputedStyle(h1);
		const weight = Number(style.fontWeight) >= 600 ? 700 : 400;
		const file = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="font"]')]
			.map((link) => link.href)
			.find((href) => href.includes(`noto-sans-thai-thai-${weight}-normal`));
		if (!file) throw new Error(`the Thai ${weight} face is not preloaded`);
		const probe = new FontFace('Probe Noto Sans Thai', `url(${file})`, {
			weight: String(weight),
			unicodeRange: 'U+0E01-0E5B'
		});
		document.fonts.add(await probe.load());
		const text = h1.textContent.trim();
		// Measured in the page, as the heading is: one line, the heading's size and weight, the given fonts.
		const measure = (family: string) => {
			const span = document.createElement('span');
			span.style.cssText = `position: absolute; white-space: nowrap; font: ${weight} ${style.fontSize} ${family}`;
			span.textContent = text;
			document.body.append(span);
			const width = span.getBoundingClientRect().width;
			span.remove();
			return width;
		};
		return {
			text,
			// The heading's own font stack, on one line: whatever the page's rules draw it in.
			drawn: measure(style.fontFamily),
			// Its Thai letters in the probe, the rest (spaces, brackets) in the page's Latin face.
			noto: measure('"Probe Noto Sans Thai", "Noto Sans Thai"'),
			loaded: document.fonts.check(`${weight} 16px "Noto Sans Thai"`, 'ก'),
			fontFamily: getComputedStyle(document.body).fontFamily
		};
	});
}

test('Thai renders in Noto Sans Thai on a first visit to /sign-in, a demand and a startup page', async ({
	browser,
	baseURL,
	request
}) => {
	const demandList = await (await request.get('/demand')).text();
	const demand = demandList.match(/href="(\/demand\/[0-9a-f-]{36})"/)?.[1];
	const sitemap = await (await request.get('/sitemap.xml')).text();
	const startup = sitemap.match(/\/startups\/[a-z0-9-]+(?=<\/loc>)/)?.[0];
	expect(demand, 'a demand in the demo data').toBeTruthy();
	expect(startup, 'a startup in the demo data').toBeTruthy();

	for (const path of ['/sign-in', demand!, startup!]) {
		const context = await firstVisit(browser, baseURL);
		const page = await context.newPage();
		await page.goto(path);
		const heading = await headingWidths(page);
		expect(heading.text, `${path}: a Thai heading`).toMatch(/[\u0E01-\u0E5B]/);
		expect(heading.loaded, `${path}: the Thai face loaded`).toBe(true);
		// Drawn in the web font: its width is the web font's, not the width the boxes take without it.
		expect(
			Math.abs(heading.drawn - heading.noto),
			`${path}: "${heading.text}" drawn in Noto Sans Thai`
		).toBeLessThan(heading.noto * 0.02);
		for (const family of [...THAI_FALLBACKS, 'system-ui']) expect(heading.fontFamily).toContain(family);
		expect(heading.fontFamily.startsWith('"Noto Sans Thai"')).toBe(true);
		// What a first visit on a browser without a Thai system font looks like (this machine has none).
		const name = path === '/sign-in' ? 'sign-in' : path.startsWith('/demand') ? 'demand' : 'startup';
		await keepScreenshot(page, screenshotPath(`first-visit-no-thai-font-${name}-th-phone`));
		await context.close();
	}
});
