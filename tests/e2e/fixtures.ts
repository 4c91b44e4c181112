// Shared by the end-to-end walks: the administrator the test server starts with, and the development
// mailbox (/dev/mail) read the way a person reads their inbox.
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';
import { daysFromToday } from '../helpers/dates';

export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e administrator passphrase' };
/** The walks' LINE official account: its channel's token and secret, known to the portal and the local LINE server. */
export const E2E_LINE = {
	accessToken: 'e2e-line-channel-access-token',
	channelSecret: 'e2e-line-channel-secret'
};

/** The walks' server's port (playwright.config.ts), the local OTLP receiver's beside it, and its log's file. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
export const E2E_OTLP_PORT = E2E_PORT + 4;
export const E2E_WALKS_LOG = path.join(os.tmpdir(), `portal-e2e-${E2E_PORT}.log`);

/** Follows the link in the newest message to `to`. */
export async function followMailedLink(page: Page, to: string): Promise<void> {
	await page.goto('/dev/mail');
	const message = page.locator(`article[data-to="${to}"]`).first();
	await expect(message).toBeVisible();
	const href = await message.locator('a').first().getAttribute('href');
	expect(href).toBeTruthy();
	await page.goto(href!);
}

export async function signIn(page: Page, email: string, password: string, labels = THAI): Promise<void> {
	await page.goto('/sign-in');
	await page.getByLabel(labels.email).fill(email);
	await page.getByLabel(labels.password, { exact: true }).fill(password);
	await page.getByRole('button', { name: labels.signIn, exact: true }).last().click();
}

export const THAI = { email: 'อีเมล', password: 'รหัสผ่าน', signIn: 'เข้าสู่ระบบ', signOut: 'ออกจากระบบ' };
export const ENGLISH = {
	email: 'Email address',
	password: 'Password',
	signIn: 'Sign in',
	signOut: 'Sign out'
};

export const unique = () => Math.random().toString(36).slice(2, 8);

/** An admin invites an officer; the officer accepts in a fresh browser context, which is returned signed in. */
export async function invitedOfficer(browser: Browser, email: string, province: string, password: string) {
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(admin).toHaveURL(/\/admin$/);
	await admin.goto('/admin/invite');
	await admin.getByLabel(THAI.email).fill(email);
	await admin.getByLabel('จังหวัด', { exact: true }).selectOption(province);
	await admin.getByRole('button', { name: 'ส่งคำเชิญ' }).click();
	await expect(admin.getByTestId('invite-sent')).toContainText(email);
	await adminContext.close();
	const context = await browser.newContext();
	const page = await context.newPage();
	await followMailedLink(page, email);
	await page.getByLabel('รหัสผ่านใหม่', { exact: true }).fill(password);
	await page.getByLabel('ยืนยันรหัสผ่านใหม่').fill(password);
	await page.getByRole('button', { name: 'ตั้งรหัสผ่านและเข้าสู่ระบบ' }).click();
	await expect(page).toHaveURL(new RegExp(`/office/${province}`));
	return { context, page };
}

/**
 * A startup of `province` with its application submitted, made through the portal's own forms (posted
 * directly, to keep the walks short). Returns its signed-in page.
 */
export async function submittedStartup(
	browser: Browser,
	province: string,
	name: string,
	certification?: string
) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const email = `${name.replace(/\W+/g, '-').toLowerCase()}-${unique()}@example.org`;
	const post = async (path: string, form: Record<string, string>) => {
		const response = await page.request.post(path, {
			form,
			headers: { origin: new URL(page.url() === 'about:blank' ? 'http://localhost' : page.url()).origin }
		});
		expect(response.status(), `${path} answered ${response.status()}`).toBeLessThan(400);
	};
	await page.goto('/sign-up');
	await page.getByLabel('สตาร์ทอัพ / ผู้ผลิต').check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill(name);
	await page.getByLabel('จังหวัดที่ตั้งกิจการ').selectOption(province);
	await page.getByLabel(THAI.email).fill(email);
	await page.getByLabel(THAI.password, { exact: true }).fill('ข้าวหอมมะลิทุ่งกุลาร้องไห้');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page).toHaveURL(/\/startup/);
	await followMailedLink(page, email);
	await page.getByRole('button', { name: 'ยืนยันอีเมล' }).click();
	await expect(page.getByTestId('email-verified')).toBeVisible();
	await post('/startup/profile?/save', {
		nameTh: name,
		nameEn: '',
		summaryTh: `${name} ผลิตข้าวหอมมะลิ`,
		summaryEn: '',
		contactEmail: email,
		phone: '',
		website: '',
		provinceCode: province,
		divisions: '01',
		...(certification ? { cert: certification } : {})
	});
	await post('/startup/products?/add', {
		nameTh: 'ข้าวหอมมะลิ',
		nameEn: 'Hom Mali rice',
		unit: 'tonne',
		monthlyCapacity: '10',
		priceThbMin: '',
		priceThbMax: ''
	});
	await post('/startup?/submit', {});
	return { context, page, email };
}

/** An approved startup of `province` (see `submittedStartup`), approved by `officer` through the review page. */
export async function approvedStartup(
	browser: Browser,
	officer: Page,
	province: string,
	name: string,
	certification?: string
) {
	const startup = await submittedStartup(browser, province, name, certification);
	await officer.goto(`/office/${province}`);
	await officer
		.getByTestId('queue')
		.getByRole('listitem')
		.filter({ hasText: name })
		.getByRole('link')
		.click();
	for (const criterion of [
		'ความต้องการของตลาดต่อสินค้า',
		'นวัตกรรม',
		'ความพร้อมและกำลังการผลิต',
		'การปฏิบัติตามมาตรฐาน/ใบรับรอง'
	])
		await officer.getByRole('group', { name: criterion }).getByLabel('4', { exact: true }).check();
	await officer.getByRole('radio', { name: 'อนุมัติ', exact: true }).check();
	await officer.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(officer).toHaveURL(/decided=approve/);
	return startup;
}

/** A valid 13-digit juristic person number: twelve random digits and their check digit. */
export function juristicNumber(): string {
	const twelve = Array.from({ length: 12 }, (_, i) => (i === 0 ? 0 : Math.floor(Math.random() * 10)));
	const sum = twelve.reduce((total, digit, i) => total + digit * (13 - i), 0);
	return [...twelve, (11 - (sum % 11)) % 10].join('');
}

/**
 * The member's organisation uploads a PDF and asks for verification through the portal's own forms (posted
 * directly, to keep the walks short), and the administrators — the office for Bangkok and for buyers without a
 * province — verify it on their page, in Thai.
 */
export async function verifiedByAdmin(browser: Browser, member: Page, organisationName: string) {
	const origin = new URL(member.url()).origin;
	const upload = await member.request.post('/organisation?/upload', {
		multipart: {
			document: { name: 'affidavit.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF_BYTES) }
		},
		headers: { origin }
	});
	expect(upload.status()).toBeLessThan(400);
	const request = await member.request.post('/organisation?/request', {
		form: { registrationNumber: juristicNumber(), provinceCode: '' },
		headers: { origin }
	});
	expect(request.status()).toBeLessThan(400);
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(admin).toHaveURL(/\/admin$/);
	await admin.goto('/office/TH-10');
	await admin.getByRole('link', { name: `ตรวจสอบ ${organisationName}` }).click();
	await admin.getByRole('radio', { name: /^ยืนยันตัวตน / }).check();
	await admin.getByRole('button', { name: 'บันทึกการตัดสิน' }).click();
	await expect(admin.getByTestId('verification-state')).toHaveAttribute('data-state', 'verified');
	await adminContext.close();
}

export const PDF_BYTES = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n';

/** A buyer signed up in Thai with its email address confirmed (a buyer confirms before publishing). */
export async function confirmedBuyer(browser: Browser, organisation: string) {
	const email = `buyer-${unique()}@example.com`;
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/sign-up');
	await page.getByRole('radio', { name: /^ผู้ซื้อ/ }).check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill(organisation);
	await page.getByLabel(THAI.email).fill(email);
	await page.getByLabel(THAI.password, { exact: true }).fill('ผักสดทุกเช้าจากไร่ 2569');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page).toHaveURL(/\/buyer/);
	await followMailedLink(page, email);
	await page.getByRole('button', { name: 'ยืนยันอีเมล' }).click();
	await expect(page.getByTestId('email-verified')).toBeVisible();
	return { context, page, email };
}

/**
 * Publishes a demand through the buyer's form (posted directly): rice (TSIC 01), 2 tonnes a month at most 45,000
 * baht, needed in 200 days, with `fields` on top. Returns its id, read from the buyer's list.
 */
export async function publishDemand(page: Page, fields: Record<string, string> & { titleTh: string }) {
	const published = await page.request.post('/buyer/demands/new?/publish', {
		form: {
			titleEn: '',
			detailsTh: '',
			detailsEn: '',
			divisionCode: '01',
			quantity: '2',
			unit: 'tonne',
			recurrence: 'monthly',
			priceThbMax: '45,000',
			deliveryProvinceCode: '',
			neededBy: daysFromToday(200),
			maxOffers: '',
			...fields
		},
		headers: { origin: new URL(page.url()).origin }
	});
	expect(published.status()).toBeLessThan(400);
	await page.goto('/buyer');
	const link = page.getByRole('link', { name: fields.titleTh }).first();
	return (await link.getAttribute('href'))!.split('?')[0]!.split('/').pop()!;
}

/** Where the walks keep their screenshots: one folder under test-results (git-ignored), named by page and view. */
export const screenshotPath = (name: string) => path.join('test-results', 'screenshots', `${name}.png`);

/**
 * Screenshots are for the people reviewing the design, taken when asked: `SCREENSHOTS=1 npx playwright test`. A CI run
 * would spend some minutes of its two cores drawing full pages nobody looks at; nothing is asserted on them.
 */
export async function keepScreenshot(page: Page, file: string, { fullPage = true } = {}) {
	if (process.env.SCREENSHOTS) await page.screenshot({ path: file, fullPage });
}

/** axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page as it is; each violation with the elements it found. */
export async function axeViolations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		// Every rule still runs; axe only skips describing each element that passed (a selector per node), which
		// is most of its time on the longer pages. Before withTags: options() replaces what withTags sets.
		.options({ resultTypes: ['violations'] })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const VIEWS = [
	['desktop', { width: 1280, height: 900 }],
	['phone', { width: 390, height: 844 }]
] as const;
