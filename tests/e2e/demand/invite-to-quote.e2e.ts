// A Khon Kaen hotel needs more rice a month than any one farm makes: the portal proposes the two Khon Kaen farms as
// a group, and the hotel invites the whole group to quote in one step, in Thai. One farm opens the offer form the
// invitation filled from the demand and offers, the other declines with a reason, and the buyer's page shows
// where each invitation stands.
import { expect, test } from '@playwright/test';
import { daysFromToday } from '../../helpers/dates';
import { approvedStartup, followMailedLink, invitedOfficer, keepScreenshot, THAI, unique } from '../fixtures';

test('ผู้ซื้อเชิญกลุ่มที่ระบบเสนอให้เสนอราคาในครั้งเดียว รายหนึ่งยื่นข้อเสนอ อีกรายปฏิเสธ', async ({ browser }, testInfo) => {
	test.setTimeout(360_000);
	const officer = await invitedOfficer(
		browser,
		`khonkaen-${unique()}@industry.go.th`,
		'TH-40',
		'ขอนแก่นนครแห่งไหม 2569'
	);
	const farmA = await approvedStartup(
		browser,
		officer.page,
		'TH-40',
		'ฟาร์มข้าวอินทรีย์บ้านไผ่',
		'organic-thailand'
	);
	const farmB = await approvedStartup(
		browser,
		officer.page,
		'TH-40',
		'วิสาหกิจข้าวหอมน้ำพอง',
		'organic-thailand'
	);

	// The buyer signs up in Thai and confirms the address (posting and inviting send mail).
	const buyerEmail = `hotel-${unique()}@example.com`;
	const buyerContext = await browser.newContext();
	const buyer = await buyerContext.newPage();
	await buyer.goto('/sign-up');
	await buyer.getByLabel('ผู้ซื้อ').check();
	await buyer.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('โรงแรมแก่นนคร จำกัด');
	await buyer.getByLabel(THAI.email).fill(buyerEmail);
	await buyer.getByLabel(THAI.password, { exact: true }).fill('ข้าวหอมมะลิทุกมื้อเช้า');
	await buyer.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(buyer).toHaveURL(/\/buyer/);
	await followMailedLink(buyer, buyerEmail);
	await buyer.getByRole('button', { name: 'ยืนยันอีเมล' }).click();
	await expect(buyer.getByTestId('email-verified')).toBeVisible();

	await buyer.goto('/buyer/demands/new');
	await buyer.getByLabel('หัวข้อ (ภาษาไทย)').fill('ข้าวหอมมะลิอินทรีย์ส่งโรงแรมทุกเดือน');
	await buyer.getByLabel('หมวดอุตสาหกรรม (TSIC)').selectOption('01');
	// Each farm makes 10 tonnes a month (the fixture): 15 needs two of them.
	await buyer.getByLabel('ปริมาณ', { exact: true }).fill('15');
	await buyer.getByLabel('หน่วย', { exact: true }).selectOption('tonne');
	await buyer.getByLabel('ทุกเดือน').check();
	await buyer.getByLabel('ราคาสูงสุดต่อหน่วย (บาท)').fill('45,000');
	await buyer.getByLabel('จังหวัดที่ส่งมอบ').selectOption('TH-40');
	await buyer.getByLabel('ต้องการภายในวันที่').fill(daysFromToday(60));
	await buyer.getByRole('checkbox', { name: /Organic Thailand/ }).check();
	await buyer.getByRole('button', { name: 'เผยแพร่ประกาศ' }).click();
	await expect(buyer.getByTestId('demand-published')).toBeVisible();
	const manageUrl = buyer.url().replace(/\?.*$/, '');
	const demandId = manageUrl.split('/').pop()!;

	// Both farms are matched, neither alone has 15 tonnes a month: the page proposes them as a group, the nearest
	// first, with how much each covers, and the buyer invites the whole group in one step.
	const matched = buyer.getByTestId('matched-startups');
	for (const name of ['ฟาร์มข้าวอินทรีย์บ้านไผ่', 'วิสาหกิจข้าวหอมน้ำพอง'])
		await expect(matched.getByRole('listitem').filter({ hasText: name })).toBeVisible();
	const group = buyer.getByTestId('split-proposal');
	const members = group.getByTestId('split-member');
	await expect(members).toHaveCount(2);
	for (const name of ['ฟาร์มข้าวอินทรีย์บ้านไผ่', 'วิสาหกิจข้าวหอมน้ำพอง'])
		await expect(members.filter({ hasText: name })).toHaveCount(1);
	const covered = (await group.getByTestId('split-covers').allTextContents()).map((text) =>
		Number(/([\d,]+)\s*ตัน/.exec(text)![1]!.replace(/,/g, ''))
	);
	expect(covered.reduce((sum, quantity) => sum + quantity, 0)).toBe(15);
	await group.getByRole('button', { name: 'เชิญกลุ่มนี้เสนอราคา' }).click();
	await expect(buyer.getByTestId('invite-done')).toHaveText('ส่งคำเชิญแล้ว 2 ราย');
	const invitations = buyer.getByTestId('invitations');
	await expect(invitations.locator('tbody tr')).toHaveCount(2);
	await expect(invitations.locator('tbody tr[data-status="invited"]')).toHaveCount(2);

	// Farm A is told in the portal and by email, opens the form already filled from the demand, and offers.
	await farmA.page.goto('/dev/mail');
	await expect(farmA.page.locator(`article[data-to="${farmA.email}"]`).first()).toContainText(
		'คำเชิญให้เสนอราคา: ข้าวหอมมะลิอินทรีย์ส่งโรงแรมทุกเดือน'
	);
	await farmA.page.goto('/notifications');
	await farmA.page.getByRole('link', { name: 'คำเชิญให้เสนอราคา: ข้าวหอมมะลิอินทรีย์ส่งโรงแรมทุกเดือน' }).click();
	await expect(farmA.page).toHaveURL(new RegExp(`/demand/${demandId}`));
	await expect(farmA.page.getByTestId('invitation')).toContainText('ผู้ซื้อเชิญคุณเสนอราคาสำหรับประกาศนี้');
	await expect(farmA.page.getByLabel(/ปริมาณที่เสนอ/)).toHaveValue('15');
	await expect(farmA.page.getByLabel('ราคาต่อหน่วย (บาท)')).toHaveValue('45000');
	await expect(farmA.page.getByLabel('ระยะเวลาส่งมอบ (วัน)')).toHaveValue('60');
	await farmA.page.getByRole('button', { name: 'ยื่นข้อเสนอ' }).click();
	await expect(farmA.page.getByTestId('offer-saved')).toBeVisible();

	// Farm B finds the invitation on its home page, opens it (the buyer sees it viewed) and declines with a reason.
	await farmB.page.goto('/startup');
	await farmB.page
		.getByTestId('invitations')
		.getByRole('link', { name: 'ข้าวหอมมะลิอินทรีย์ส่งโรงแรมทุกเดือน' })
		.click();
	await expect(farmB.page.getByTestId('invitation')).toBeVisible();
	await buyer.goto(manageUrl);
	await expect(
		buyer.getByTestId('invitations').locator('tbody tr', { hasText: 'วิสาหกิจข้าวหอมน้ำพอง' })
	).toContainText('เปิดดูแล้ว');
	await farmB.page.getByText('ปฏิเสธคำเชิญ', { exact: true }).first().click();
	await farmB.page.getByLabel('เหตุผลที่ปฏิเสธ (ไม่บังคับ)').fill('เดือนนี้กำลังการผลิตเต็มแล้ว');
	await farmB.page.getByRole('button', { name: 'ปฏิเสธคำเชิญ' }).click();
	await expect(farmB.page.getByTestId('invitation')).toContainText('คุณปฏิเสธคำเชิญนี้แล้ว');

	// The buyer's page shows who offered and who declined, with the reason.
	await buyer.goto(manageUrl);
	const rows = buyer.getByTestId('invitations').locator('tbody tr');
	await expect(rows.filter({ hasText: 'ฟาร์มข้าวอินทรีย์บ้านไผ่' })).toContainText('ยื่นข้อเสนอแล้ว');
	await expect(rows.filter({ hasText: 'วิสาหกิจข้าวหอมน้ำพอง' })).toContainText('ปฏิเสธ');
	await expect(rows.filter({ hasText: 'วิสาหกิจข้าวหอมน้ำพอง' })).toContainText('เดือนนี้กำลังการผลิตเต็มแล้ว');
	await expect(buyer.getByTestId('offers-table').locator('tbody tr')).toHaveCount(1);
	await keepScreenshot(buyer, testInfo.outputPath('invitations.png'));

	for (const context of [officer.context, farmA.context, farmB.context, buyerContext]) await context.close();
});
