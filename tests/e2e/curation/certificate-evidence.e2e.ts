// Certificate evidence (issue 20 item 7), in Thai: a startup attaches evidence for its organic certificate (number,
// issuer, expiry, the PDF), the province's office checks it from its queue, and the buyer comparing offers sees the
// certificate as checked where it was declared before. Dates are relative to the day the walk runs.
import { expect, test } from '@playwright/test';
import { daysFromToday } from '../../helpers/dates';
import { approvedStartup, confirmedBuyer, invitedOfficer, publishDemand, unique } from '../fixtures';

const PROVINCE = 'TH-46';
const NAME = `ข้าวอินทรีย์กันทรวิชัย ${unique()}`;
const TITLE = `ข้าวหอมมะลิอินทรีย์ ${unique()}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test('a startup attaches certificate evidence, the office checks it, the buyer sees it checked', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const officer = await invitedOfficer(
		browser,
		`sarakham-${unique()}@industry.go.th`,
		PROVINCE,
		'มหาสารคาม 2569'
	);
	const farm = await approvedStartup(browser, officer.page, PROVINCE, NAME, 'organic-thailand');

	// A buyer publishes a demand that requires the organic certificate; the farm offers.
	const buyer = await confirmedBuyer(browser, 'ร้านข้าวสารสารคาม');
	const demandId = await publishDemand(buyer.page, {
		titleTh: TITLE,
		deliveryProvinceCode: PROVINCE,
		certifications: 'organic-thailand'
	});
	await farm.page.goto(`/demand/${demandId}`);
	await farm.page.getByLabel(/ปริมาณที่เสนอ/).fill('1');
	await farm.page.getByLabel('ราคาต่อหน่วย (บาท)').fill('40,000');
	await farm.page.getByLabel('ระยะเวลาส่งมอบ (วัน)').fill('7');
	await farm.page.getByRole('button', { name: 'ยื่นข้อเสนอ' }).click();
	await expect(farm.page.getByTestId('offer-saved')).toBeVisible();

	// Before any evidence, the buyer sees the certificate as declared by the startup.
	await buyer.page.goto(`/buyer/demands/${demandId}`);
	await expect(buyer.page.locator('[data-certificate="declared"]').first()).toContainText('แจ้งเอง');

	// The farm attaches its evidence: a form without the file is refused and keeps what was typed.
	await farm.page.goto('/startup');
	await farm.page.getByRole('link', { name: 'แนบหลักฐานใบรับรอง' }).click();
	const card = farm.page.locator('[data-certificate-id="organic-thailand"]');
	await expect(card.getByTestId('certificate-standing')).toContainText('ยังไม่ได้แนบหลักฐาน');
	await card.getByLabel('เลขที่ใบรับรอง').fill('มกท. 0421/2569');
	await card.getByLabel('หน่วยงานที่ออกใบรับรอง').fill('กรมวิชาการเกษตร');
	await card.getByLabel('วันหมดอายุ').fill(daysFromToday(400));
	await card.getByRole('button', { name: 'บันทึกหลักฐาน' }).click();
	await expect(farm.page.getByTestId('error-summary')).toContainText('แนบไฟล์ใบรับรองเป็น PDF');
	await expect(card.getByLabel('เลขที่ใบรับรอง')).toHaveValue('มกท. 0421/2569');
	await card
		.getByLabel(/ไฟล์ใบรับรอง/)
		.setInputFiles({ name: 'organic.pdf', mimeType: 'application/pdf', buffer: PDF });
	await card.getByRole('button', { name: 'บันทึกหลักฐาน' }).click();
	await expect(farm.page.getByTestId('evidence-saved')).toBeVisible();
	await expect(card.getByTestId('certificate-standing')).toContainText('รอสำนักงานจังหวัดตรวจ');
	// The expiry is written in the Buddhist era on the Thai page.
	const expiryYear = Number(daysFromToday(400).slice(0, 4)) + 543;
	await expect(card.getByTestId('certificate-standing')).toContainText(String(expiryYear));

	// The office finds it in its queue and checks it.
	await officer.page.goto(`/office/${PROVINCE}`);
	const waiting = officer.page
		.getByTestId('certificate-queue')
		.getByRole('listitem')
		.filter({ hasText: NAME });
	await expect(waiting).toContainText('มกท. 0421/2569');
	await expect(waiting).toContainText('กรมวิชาการเกษตร');
	// The evidence is private: the office downloads it through /evidence, never from the public /uploads.
	const fileLink = waiting.getByRole('link', { name: 'เปิดไฟล์ใบรับรอง' });
	await expect(fileLink).toHaveAttribute('href', /^\/evidence\/[0-9a-f-]{36}\/organic-thailand$/);
	const file = await officer.page.request.get((await fileLink.getAttribute('href'))!);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-type']).toBe('application/pdf');
	expect(file.headers()['cache-control']).toBe('private, no-store');
	await waiting.getByRole('button', { name: 'ยืนยันว่าตรวจแล้ว' }).click();
	await expect(officer.page.getByTestId('certificate-decided')).toContainText('บันทึกว่าตรวจแล้ว');
	await expect(officer.page.getByTestId('certificate-queue')).toContainText('ไม่มีใบรับรองรอตรวจ');

	// The farm sees it checked; the buyer sees the offer's certificate as checked.
	await farm.page.goto('/startup/certificates');
	await expect(card.getByTestId('certificate-standing')).toContainText('ตรวจหลักฐานแล้ว');
	await buyer.page.goto(`/buyer/demands/${demandId}`);
	await expect(buyer.page.locator('[data-certificate="checked"]').first()).toContainText('ตรวจหลักฐานแล้ว');
	await expect(buyer.page.locator('[data-certificate="declared"]')).toHaveCount(0);

	for (const context of [officer.context, farm.context, buyer.context]) await context.close();
});
