// The careful review of issue 20, in Thai: the office sets its approval threshold, scores an application
// against the described rubric, is asked for a reason to approve below the threshold, returns it for revision
// instead, and approves the revised application with a reason.
import { expect, test } from '@playwright/test';
import { invitedOfficer, keepScreenshot, submittedStartup, unique } from '../fixtures';

const CRITERIA = ['ความต้องการของตลาดต่อสินค้า', 'นวัตกรรม', 'ความพร้อมและกำลังการผลิต', 'การปฏิบัติตามมาตรฐาน/ใบรับรอง'];

test('an officer returns an application for revision, then approves it below the threshold with a reason', async ({
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	const suffix = unique();
	const officer = await invitedOfficer(browser, `mk-${suffix}@industry.go.th`, 'TH-44', 'มหาสารคาม ตักศิลา');
	const office = officer.page;

	// The office raises its threshold to 17 of 20.
	await office.goto('/office/TH-44');
	await office.getByRole('link', { name: 'เกณฑ์การพิจารณา' }).click();
	await expect(office.getByLabel('เกณฑ์อนุมัติ (คะแนนรวมขั้นต่ำ)')).toHaveValue('12');
	await office.getByLabel('เกณฑ์อนุมัติ (คะแนนรวมขั้นต่ำ)').fill('25');
	await office.getByRole('button', { name: 'บันทึกเกณฑ์' }).click();
	await expect(office.getByTestId('error-summary')).toContainText('ใส่ตัวเลข 0 ถึง 20');
	await office.getByLabel('เกณฑ์อนุมัติ (คะแนนรวมขั้นต่ำ)').fill('17');
	await office.getByRole('button', { name: 'บันทึกเกณฑ์' }).click();
	await expect(office.getByTestId('threshold-saved')).toBeVisible();

	const name = `ผ้าไหมแพรวา ${suffix}`;
	const startup = await submittedStartup(browser, 'TH-44', name);

	// Each score says what it means; the total shows as the officer scores.
	const openReview = async () => {
		await office.goto('/office/TH-44');
		await office
			.getByTestId('queue')
			.getByRole('listitem')
			.filter({ hasText: name })
			.getByRole('link')
			.click();
	};
	await openReview();
	await expect(office.getByTestId('threshold')).toHaveText('เกณฑ์อนุมัติของสำนักงาน: 17 จาก 20 คะแนน');
	const market = office.getByRole('group', { name: CRITERIA[0] });
	await expect(market.getByLabel('4', { exact: true })).toHaveAccessibleDescription(
		'— ตรงกับความต้องการที่เปิดอยู่ในระบบ หรือมีคำสั่งซื้อที่ตกลงแล้ว'
	);
	await expect(office.getByTestId('rubric-total')).toHaveText('คะแนนรวมจะแสดงเมื่อให้คะแนนครบทุกเกณฑ์');
	for (const criterion of CRITERIA)
		await office.getByRole('group', { name: criterion }).getByLabel('4', { exact: true }).check();
	await expect(office.getByTestId('rubric-total')).toContainText('คะแนนรวม 16 จาก 20');
	await expect(office.getByTestId('rubric-total')).toContainText('ต่ำกว่าเกณฑ์อนุมัติ');

	// Approving at 16 without a reason is refused, and what was chosen is kept.
	await office.getByRole('radio', { name: 'อนุมัติ', exact: true }).check();
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office.getByTestId('error-summary')).toContainText('ให้เหตุผลที่อนุมัติ');
	await expect(market.getByLabel('4', { exact: true })).toBeChecked();

	// Returning for revision needs notes; with them, the application goes back to the startup.
	await office.getByRole('radio', { name: 'ส่งกลับให้แก้ไข' }).check();
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office.getByTestId('error-summary')).toContainText('เขียนหมายเหตุบอกสตาร์ทอัพว่าต้องแก้ไขอะไร');
	await office.getByLabel('หมายเหตุถึงสตาร์ทอัพ').fill('โปรดเพิ่มรูปสินค้าและแนบหลักฐานกำลังการผลิต');
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office).toHaveURL(/\/office\/TH-44\?decided=revise/);
	await expect(office.getByTestId('decisions')).toContainText('ส่งกลับให้แก้ไข');

	// The startup reads the notes in Thai and applies again.
	const page = startup.page;
	await page.goto('/startup');
	await expect(page.getByTestId('revise-notes')).toContainText('โปรดเพิ่มรูปสินค้าและแนบหลักฐานกำลังการผลิต');
	await page.getByRole('button', { name: 'ยื่นใบสมัคร' }).click();
	await expect(page.getByTestId('startup-status')).toHaveText('รอพิจารณา');

	// Approving at 16 with a reason is accepted; the history shows the total and the reason.
	await openReview();
	for (const criterion of CRITERIA)
		await office.getByRole('group', { name: criterion }).getByLabel('4', { exact: true }).check();
	await office.getByRole('radio', { name: 'อนุมัติ', exact: true }).check();
	await office.getByLabel('เหตุผลที่อนุมัติทั้งที่คะแนนต่ำกว่าเกณฑ์').fill('ผู้ซื้อในจังหวัดรอสินค้านี้');
	await keepScreenshot(office, testInfo.outputPath('review-th.png'));
	await office.getByRole('button', { name: 'บันทึกผลการพิจารณา' }).click();
	await expect(office).toHaveURL(/decided=approve/);
	await office.getByTestId('decisions').getByRole('link', { name }).first().click();
	await expect(office.getByRole('listitem').filter({ hasText: 'อนุมัติต่ำกว่าเกณฑ์' })).toContainText(
		'คะแนนรวม 16 จาก 20'
	);

	// The audit trail names both outcomes and the threshold change.
	await office.goto('/office/TH-44/audit');
	for (const action of ['office.set_threshold', 'startup.return', 'startup.approve'])
		await expect(office.locator(`[data-action="${action}"]`).first()).toBeVisible();
	await startup.context.close();
	await officer.context.close();
});
