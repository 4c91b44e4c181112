// Every role's home and main forms pass axe-core's WCAG 2.2 AA rules, in Thai and English, on a desktop and a
// phone, each saved as a screenshot when asked (SCREENSHOTS=1, test-results/screenshots): the startup waiting for
// review and approved, the buyer with the offer comparison, the office queue and review, the administrators' lists.
// On the demo data's server, after the public pages.
import { expect, test, type Page } from '@playwright/test';
import {
	approvedStartup,
	axeViolations,
	E2E_ADMIN,
	followMailedLink,
	invitedOfficer,
	keepScreenshot,
	screenshotPath,
	signIn,
	submittedStartup,
	THAI,
	unique,
	VIEWS
} from '../fixtures';
import { daysFromToday } from '../../helpers/dates';

test('signed-in pages: no axe violations, Thai and English, desktop and phone, nothing wider than a phone', async ({
	browser,
	baseURL
}) => {
	// Sixteen pages in two languages, with axe on each, and a phone view of eight: minutes on a shared two-core machine.
	test.setTimeout(600_000);
	const officer = await invitedOfficer(
		browser,
		`khonkaen-${unique()}@industry.go.th`,
		'TH-40',
		'แก่นนคร 2569'
	);
	const waiting = await submittedStartup(browser, 'TH-40', 'ผ้าไหมมัดหมี่ชนบท');
	const approved = await approvedStartup(browser, officer.page, 'TH-40', 'ข้าวอินทรีย์บ้านฝาง');

	// A buyer signs up, confirms the address and posts a demand the approved startup can serve, which it offers on.
	const buyerEmail = `buyer-${unique()}@example.com`;
	const buyerContext = await browser.newContext();
	const buyer = await buyerContext.newPage();
	await buyer.goto('/sign-up');
	await buyer.getByRole('radio', { name: /^ผู้ซื้อ/ }).check();
	await buyer.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('โรงแรมริมโขง');
	await buyer.getByLabel(THAI.email).fill(buyerEmail);
	await buyer.getByLabel(THAI.password, { exact: true }).fill('ข้าวหอมมะลิทุกเช้า');
	await buyer.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(buyer).toHaveURL(/\/buyer/);
	await followMailedLink(buyer, buyerEmail);
	await buyer.getByRole('button', { name: 'ยืนยันอีเมล' }).click();
	await expect(buyer.getByTestId('email-verified')).toBeVisible();
	const origin = { origin: baseURL! };
	const published = await buyer.request.post('/buyer/demands/new?/publish', {
		headers: origin,
		form: {
			titleTh: 'ข้าวหอมมะลิอินทรีย์ ส่งทุกเดือน',
			titleEn: 'Organic jasmine rice, monthly',
			detailsTh: 'สำหรับห้องอาหารของโรงแรม',
			detailsEn: 'For the hotel restaurants',
			divisionCode: '01',
			quantity: '2',
			unit: 'tonne',
			recurrence: 'monthly',
			priceThbMax: '45000',
			deliveryProvinceCode: 'TH-40',
			neededBy: daysFromToday(120),
			maxOffers: ''
		}
	});
	expect(published.status()).toBeLessThan(400);
	await buyer.goto('/buyer');
	const demandId = (await buyer.content()).match(/\/buyer\/demands\/([0-9a-f-]{36})/)?.[1];
	expect(demandId, 'the published demand on the buyer home').toBeTruthy();
	const offered = await approved.page.request.post(`/demand/${demandId}?/offer`, {
		headers: origin,
		form: { quantity: '2', unitPriceThb: '42000', leadTimeDays: '14', message: 'ส่งได้ทุกต้นเดือน' }
	});
	expect(offered.status()).toBeLessThan(400);

	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(admin).toHaveURL(/\/admin$/);

	const waitingId = await officer.page
		.goto('/office/TH-40')
		.then(() =>
			officer.page
				.getByTestId('queue')
				.getByRole('listitem')
				.filter({ hasText: 'ผ้าไหมมัดหมี่ชนบท' })
				.getByRole('link')
				.getAttribute('href')
		);
	const walks: [string, Page, string[]][] = [
		['startup-waiting', waiting.page, ['/startup']],
		['startup', approved.page, ['/startup', '/startup/profile', '/startup/products', '/startup/offers']],
		['buyer', buyer, ['/buyer', '/buyer/demands/new', `/buyer/demands/${demandId}`]],
		['office', officer.page, ['/office/TH-40', waitingId!, '/office/TH-40/audit']],
		['admin', admin, ['/admin', '/admin/startups', '/admin/users', '/admin/audit', '/admin/invite']]
	];
	const onPhone = new Set([
		'/startup',
		'/buyer',
		`/buyer/demands/${demandId}`,
		'/office/TH-40',
		'/admin',
		// The administrators' tables, which turn into cards on a phone.
		'/admin/startups',
		'/admin/users',
		'/admin/audit'
	]);
	const found: string[] = [];
	for (const [role, page, paths] of walks) {
		for (const locale of ['th', 'en'] as const) {
			await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
			for (const [view, viewport] of VIEWS) {
				await page.setViewportSize(viewport);
				for (const path of paths) {
					// On a phone, only the homes and the offer comparison the issue names: the walk stays short.
					if (view === 'phone' && !onPhone.has(path)) continue;
					const response = await page.goto(path);
					expect(response?.status(), path).toBe(200);
					await expect(page.locator('html')).toHaveAttribute('lang', locale);
					// The axe rules do not change with the width; once per page and language is enough.
					if (view === 'desktop')
						for (const violation of await axeViolations(page)) found.push(`${locale} ${path} ${violation}`);
					const name = `${role}${path.replace(/\/[0-9a-f-]{36}/g, '/id').replace(/[/?=&]+/g, '-')}`;
					await keepScreenshot(page, screenshotPath(`${name}-${locale}-${view}`));
					// Nothing is cut off or needs sideways scrolling on a phone: tables become cards.
					if (view === 'phone')
						expect(
							await page.evaluate(() => document.documentElement.scrollWidth),
							`${locale} ${path} is wider than the phone`
						).toBeLessThanOrEqual(viewport.width);
				}
			}
		}
	}
	expect(found).toEqual([]);
	for (const context of [waiting.context, approved.context, officer.context, buyerContext, adminContext])
		await context.close();
});
