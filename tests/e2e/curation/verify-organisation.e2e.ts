// Verified organisations (issue 20 item 6), in Thai: a buyer registered in Chiang Mai gives its juristic person
// number (a mistyped check digit is caught at once) and uploads its affidavit; Chiang Mai's officer finds it in the
// office's queue, opens the document and verifies it; the badge shows on the buyer's demand, to everyone.
import { expect, test } from '@playwright/test';
import {
	confirmedBuyer,
	invitedOfficer,
	juristicNumber,
	keepScreenshot,
	PDF_BYTES,
	publishDemand,
	unique
} from '../fixtures';

const PROVINCE = 'TH-50';
const BUYER = `โรงแรมดอยสุเทพ ${unique()}`;

test('an officer verifies a buyer’s organisation and the badge shows on its demand', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const officer = await invitedOfficer(
		browser,
		`chiangmai-${unique()}@industry.go.th`,
		PROVINCE,
		'เชียงใหม่ 2569 ดอยสุเทพ'
	);

	const { context: buyerContext, page: buyer } = await confirmedBuyer(browser, BUYER);
	const demandId = await publishDemand(buyer, {
		titleTh: 'ข้าวหอมมะลิสำหรับโรงแรมดอยสุเทพ',
		deliveryProvinceCode: PROVINCE
	});

	// From the buyer's home to the verification page: not verified yet, and no badge on the demand.
	await buyer.getByRole('link', { name: 'ยืนยันตัวตนองค์กร' }).click();
	await expect(buyer.getByTestId('org-state')).toHaveAttribute('data-state', 'unverified');
	await buyer.getByLabel('ไฟล์เอกสาร').setInputFiles({
		name: 'หนังสือรับรองบริษัท.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(PDF_BYTES)
	});
	await buyer.getByRole('button', { name: 'อัปโหลดเอกสาร' }).click();
	await expect(buyer.getByTestId('org-documents')).toContainText('หนังสือรับรองบริษัท.pdf');

	// A swapped last digit is caught at entry, with the number kept as typed.
	const number = juristicNumber();
	const mistyped = number.slice(0, 12) + String((Number(number[12]) + 1) % 10);
	await buyer.getByLabel('เลขทะเบียนนิติบุคคล').fill(mistyped);
	await buyer.getByLabel('จังหวัดที่ตั้งสำนักงานใหญ่ตามหนังสือรับรอง').selectOption(PROVINCE);
	await buyer.getByRole('button', { name: 'ส่งให้สำนักงานตรวจสอบ' }).click();
	await expect(buyer.getByTestId('error-summary')).toContainText('เลขทะเบียนนิติบุคคลไม่ถูกต้อง');
	await expect(buyer.getByLabel('เลขทะเบียนนิติบุคคล')).toHaveValue(mistyped);
	await buyer.getByLabel('เลขทะเบียนนิติบุคคล').fill(number);
	await buyer.getByRole('button', { name: 'ส่งให้สำนักงานตรวจสอบ' }).click();
	await expect(buyer.getByTestId('org-state')).toHaveAttribute('data-state', 'pending');

	// Chiang Mai's office finds it in its queue, downloads the affidavit and verifies the number.
	await officer.page.goto(`/office/${PROVINCE}`);
	await officer.page
		.getByTestId('verification-queue')
		.getByRole('link', { name: `ตรวจสอบ ${BUYER}` })
		.click();
	await expect(officer.page.getByTestId('verification-number')).toHaveText(number);
	const documentHref = await officer.page
		.getByTestId('verification-documents')
		.getByRole('link', { name: 'หนังสือรับรองบริษัท.pdf' })
		.getAttribute('href');
	const document = await officer.page.request.get(documentHref!);
	expect(document.headers()['content-type']).toBe('application/pdf');
	expect((await document.body()).subarray(0, 5).toString()).toBe('%PDF-');
	// Another organisation cannot read it.
	expect(
		(
			await buyerContext
				.browser()!
				.newContext()
				.then((c) => c.request.get(new URL(documentHref!, buyer.url()).href))
		).status()
	).toBe(401);
	await officer.page.getByRole('radio', { name: /^ยืนยันตัวตน / }).check();
	await officer.page.getByRole('button', { name: 'บันทึกการตัดสิน' }).click();
	await expect(officer.page.getByTestId('verification-decided')).toBeVisible();
	await expect(officer.page.getByTestId('verification-state')).toHaveAttribute('data-state', 'verified');
	await keepScreenshot(officer.page, testInfo.outputPath('office-verified.png'));

	// The badge is on its demand, for the public and for the buyer, who was told.
	const visitorContext = await browser.newContext();
	const visitor = await visitorContext.newPage();
	await visitor.goto(`/demand/${demandId}`);
	await expect(visitor.getByTestId('demand-buyer').getByTestId('verified-badge')).toHaveText(/ยืนยันตัวตนแล้ว/);
	await keepScreenshot(visitor, testInfo.outputPath('demand-badge.png'));
	await buyer.goto(`/buyer/demands/${demandId}`);
	await expect(buyer.getByTestId('demand-buyer').getByTestId('verified-badge')).toBeVisible();
	await buyer.goto('/notifications');
	await expect(buyer.getByTestId('notifications')).toContainText('ยืนยันตัวตนองค์กรแล้ว');
	// On the record.
	await officer.page.goto(`/office/${PROVINCE}/audit`);
	await expect(officer.page.locator('[data-action="organisation.verify"]')).toBeVisible();

	for (const context of [officer.context, buyerContext, visitorContext]) await context.close();
});
