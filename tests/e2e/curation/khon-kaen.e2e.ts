// The application of a Khon Kaen startup, from its first draft to the province's startup for the year, with
// the office's rejection and the fix in between.
import { expect, test } from '@playwright/test';
import { yearInThailand } from '../../helpers/dates';
import { followMailedLink, invitedOfficer, keepScreenshot, THAI, unique } from '../fixtures';

const PNG_1x1 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('a Khon Kaen startup applies, is rejected with a reason, fixes it, is approved and selected', async ({
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	const suffix = unique();
	const officer = await invitedOfficer(browser, `kk-${suffix}@industry.go.th`, 'TH-40', 'แก่นนครขอนแก่น 2569');
	const other = await invitedOfficer(browser, `udon-${suffix}@industry.go.th`, 'TH-41', 'อุดรธานี บ้านเชียง');

	// The startup signs up in Khon Kaen and confirms its email.
	const context = await browser.newContext();
	const page = await context.newPage();
	const email = `silk-${suffix}@example.org`;
	await page.goto('/sign-up');
	await page.getByLabel('สตาร์ทอัพ / ผู้ผลิต').check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('ผ้าไหมบ้านเขวา');
	await page.getByLabel('จังหวัดที่ตั้งกิจการ').selectOption('TH-40');
	await page.getByLabel(THAI.email).fill(email);
	await page.getByLabel(THAI.password, { exact: true }).fill('ไหมมัดหมี่ทอมือ');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page).toHaveURL(/\/startup/);
	await followMailedLink(page, email);
	await page.getByRole('button', { name: 'ยืนยันอีเมล' }).click();

	// Profile in Thai, with one invalid field that is kept and explained.
	await page.goto('/startup/profile');
	// The business name typed at sign-up is already there (issue 22 item 6).
	await expect(page.getByLabel('ชื่อกิจการ (ภาษาไทย)')).toHaveValue('ผ้าไหมบ้านเขวา');
	await page.getByLabel('ชื่อกิจการ (ภาษาไทย)').fill('ผ้าไหมมัดหมี่บ้านเขวา');
	await page.getByLabel('ชื่อกิจการ (ภาษาอังกฤษ)').fill('Ban Khwao Mudmee Silk');
	await page.getByLabel('คำอธิบายกิจการ (ภาษาไทย)').fill('กลุ่มทอผ้าไหมมัดหมี่ย้อมสีธรรมชาติ');
	await page.getByLabel('เว็บไซต์').fill('ไม่ใช่เว็บไซต์');
	await page.getByLabel('ค้นหาหมวด').fill('สิ่งทอ');
	await page.getByRole('checkbox', { name: /^13 / }).check();
	await page.getByRole('button', { name: 'บันทึกโปรไฟล์' }).click();
	await expect(page.getByTestId('error-summary')).toContainText('https://');
	await expect(page.getByLabel('เว็บไซต์')).toHaveValue('ไม่ใช่เว็บไซต์');
	await expect(page.getByLabel('คำอธิบายกิจการ (ภาษาไทย)')).toHaveValue('กลุ่มทอผ้าไหมมัดหมี่ย้อมสีธรรมชาติ');
	await expect(page.getByRole('checkbox', { name: /^13 / })).toBeChecked();
	await keepScreenshot(page, testInfo.outputPath('profile-error-th.png'));
	await page.getByLabel('เว็บไซต์').fill('https://khwao-silk.example.org');
	// Saved at the foot of a long form on a phone: the message is where the eye and the focus go (issue 22 item 4).
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('button', { name: 'บันทึกโปรไฟล์' }).click();
	await expect(page.getByTestId('profile-saved')).toBeVisible();
	const saved = page.locator('[data-notice="success"]').filter({ has: page.getByTestId('profile-saved') });
	await expect(saved).toBeFocused();
	await expect(saved).toBeInViewport();
	await page.setViewportSize({ width: 1280, height: 720 });
	// A logo: a file named .png that is not one is refused; a real PNG is accepted and shown.
	await page
		.getByLabel('ไฟล์โลโก้')
		.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
	await page.getByRole('button', { name: 'อัปโหลดโลโก้' }).click();
	await expect(page.locator('#logo-error')).toHaveText('ใช้ได้เฉพาะไฟล์ PNG, JPEG หรือ WebP');
	await page
		.getByLabel('ไฟล์โลโก้')
		.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1x1, 'base64') });
	await page.getByRole('button', { name: 'อัปโหลดโลโก้' }).click();
	await expect(page.getByTestId('logo-saved')).toBeVisible();

	await page.goto('/startup/products');
	await page.getByLabel('ชื่อสินค้า (ภาษาไทย)').fill('ผ้าไหมมัดหมี่');
	await page.getByLabel('หน่วย', { exact: true }).selectOption('metre');
	await page.getByLabel('กำลังการผลิตต่อเดือน').fill('300');
	await page.getByRole('button', { name: 'เพิ่มสินค้า' }).last().click();
	await expect(page.getByTestId('product-added')).toBeVisible();

	await page.goto('/startup');
	await page.getByRole('button', { name: 'ยื่นใบสมัคร' }).click();
	await expect(page.getByTestId('startup-status')).toHaveText('รอพิจารณา');
	// While it waits: the office's usual review time, whom to write to, what the market wants from textiles.
	const wait = page.getByTestId('review-wait');
	await expect(wait.getByTestId('review-time')).toBeVisible();
	await expect(wait.getByTestId('office-contact')).toContainText(`kk-${suffix}@industry.go.th`);
	await expect(wait.getByTestId('market-wants')).toBeVisible();

	// Another province's officer cannot see Khon Kaen's queue.
	expect((await other.page.goto('/office/TH-40'))?.status()).toBe(403);

	// The Khon Kaen officer scores and rejects with a reason.
	const office = officer.page;
	await office.goto('/office/TH-40');
	await expect(office.getByTestId('queue')).toContainText('ผ้าไหมมัดหมี่บ้านเขวา');
	await office.getByRole('link', { name: 'พิจารณา' }).first().click();
	const score = async (criterion: string, value: string) =>
		office.getByRole('group', { name: criterion }).getByLabel(value, { exact: true }).check();
	await score('ความต้องการของตลาดต่อสินค้า', '4');
	await score('นวัตกรรม', '3');
	await score('ความพร้อมและกำลังการผลิต', '1');
	await score('การปฏิบัติตามมาตรฐาน/ใบรับรอง', '3');
	await office.getByRole('radio', { name: 'ไม่อนุมัติ' }).check();
	await office.getByLabel('เหตุผลที่ไม่อนุมัติ').selectOption('capacity_unproven');
	await office.getByLabel('หมายเหตุถึงสตาร์ทอัพ').fill('300 เมตรต่อเดือนน้อยเกินไปสำหรับผู้ซื้อรายใหญ่');
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office).toHaveURL(/\/office\/TH-40\?decided=reject/);

	// The startup sees the reason in Thai, fixes its capacity and applies again.
	await page.goto('/startup');
	await expect(page.getByTestId('reject-reason')).toContainText('ยังไม่แสดงหลักฐานกำลังการผลิต');
	await expect(page.getByTestId('reject-reason')).toContainText('300 เมตรต่อเดือน');
	await page.goto('/startup/products');
	await page.getByRole('link', { name: 'แก้ไข' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('แก้ไขสินค้า');
	await page.getByLabel('กำลังการผลิตต่อเดือน').fill('1,500');
	await page.getByRole('button', { name: 'บันทึกสินค้า' }).click();
	await expect(page).toHaveURL(/\/startup\/products$/);
	await expect(page.getByTestId('products')).toContainText('1,500');
	await page.goto('/startup');
	await page.getByRole('button', { name: 'ยื่นใบสมัคร' }).click();
	await expect(page.getByTestId('startup-status')).toHaveText('รอพิจารณา');

	// The officer approves and selects it as the province's startup for this year: the form posts the Common-era
	// year, the Thai page shows it in the Buddhist era (2026 is พ.ศ. 2569).
	const year = yearInThailand();
	const thaiYear = `พ.ศ. ${year + 543}`;
	await office.goto('/office/TH-40');
	await office.getByRole('link', { name: 'พิจารณา' }).first().click();
	await score('ความต้องการของตลาดต่อสินค้า', '4');
	await score('นวัตกรรม', '3');
	await score('ความพร้อมและกำลังการผลิต', '4');
	await score('การปฏิบัติตามมาตรฐาน/ใบรับรอง', '3');
	await office.getByRole('radio', { name: 'อนุมัติ', exact: true }).check();
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office).toHaveURL(/decided=approve/);
	// The picker shows what the office weighs, and a confirmation names the startup and the Buddhist-era year.
	const candidate = office.getByRole('radio', { name: 'ผ้าไหมมัดหมี่บ้านเขวา' });
	await expect(candidate).not.toBeChecked();
	await expect(candidate).toHaveAccessibleDescription(/คะแนนรวม 14 จาก 20 · กำลังการผลิต 1,500 เมตร/);
	await candidate.check();
	await office.getByLabel('ปี', { exact: true }).selectOption(String(year));
	await office.getByRole('button', { name: 'ดำเนินการต่อ' }).click();
	await expect(office.getByTestId('selection-confirm')).toContainText(
		`เลือก ผ้าไหมมัดหมี่บ้านเขวา เป็นสตาร์ทอัพของจังหวัดขอนแก่น ปี ${thaiYear} ใช่หรือไม่`
	);
	await office.getByRole('button', { name: 'ยืนยันและบันทึก' }).click();
	await expect(office.getByTestId('selection-saved')).toBeVisible();
	// Afterwards the picker starts on the current choice.
	await expect(office.getByRole('radio', { name: 'ผ้าไหมมัดหมี่บ้านเขวา' })).toBeChecked();
	await expect(office.getByTestId('selection-history')).toContainText(thaiYear);
	await expect(office.getByTestId('selection-history')).not.toContainText(String(year));

	// The public page shows the badge, to anyone.
	const visitor = await browser.newPage();
	await visitor.goto('/');
	await office.getByTestId('selection-history').getByRole('link').first().click();
	await expect(office.getByTestId('selection-badge')).toContainText(thaiYear);
	await visitor.goto(office.url());
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('ผ้าไหมมัดหมี่บ้านเขวา');
	await expect(visitor.getByTestId('selection-badge')).toContainText(`สตาร์ทอัพของจังหวัดขอนแก่น ปี ${thaiYear}`);
	await expect(visitor.getByRole('table')).toContainText('1,500 เมตร');
	await keepScreenshot(visitor, testInfo.outputPath('public-startup-th.png'));

	// The office's CSV export opens in Thai (UTF-8 with BOM); another province's officer cannot fetch it.
	const csv = await office.request.get('/office/TH-40/export/reviews.csv');
	expect(csv.status()).toBe(200);
	const text = await csv.text();
	expect(text.charCodeAt(0)).toBe(0xfeff);
	expect(text).toContain('ผ้าไหมมัดหมี่บ้านเขวา');
	expect(text).toContain('capacity_unproven');
	expect((await other.page.request.get('/office/TH-40/export/reviews.csv')).status()).toBe(403);

	// The audit trail shows every step.
	await office.goto('/office/TH-40/audit');
	for (const action of ['startup.submit', 'startup.reject', 'startup.approve', 'selection.create'])
		await expect(office.locator(`[data-action="${action}"]`).first()).toBeVisible();
	await context.close();
	await officer.context.close();
	await other.context.close();
	await visitor.close();
});
