// An office suspends a startup that turned out not to be what it claimed (issue 20 items 2–3), in Thai: a buyer
// reports its profile, the office's card names it and the reason and leads to its standing; suspended, its pending
// offer is withdrawn and the buyer told, the report is settled, and it leaves search, its public page and the
// province page the map leads to. The office also dismisses a baseless report, which leaves the queue and is on the
// record, and sees its response target.
import { expect, test } from '@playwright/test';
import { approvedStartup, confirmedBuyer, invitedOfficer, publishDemand, unique } from '../fixtures';

const PROVINCE = 'TH-34';
const NAME = `ข้าวอินทรีย์วารินชำราบ ${unique()}`;

test('an officer suspends a startup and dismisses a baseless report', async ({ browser }) => {
	test.setTimeout(240_000);
	const officer = await invitedOfficer(
		browser,
		`ubon-${unique()}@industry.go.th`,
		PROVINCE,
		'อุบลราชธานี 2569'
	);
	const farm = await approvedStartup(browser, officer.page, PROVINCE, NAME);
	await officer.page.goto(`/office/${PROVINCE}`);
	const profileLink = officer.page.getByRole('link', { name: NAME, exact: true }).last();
	const slug = (await profileLink.getAttribute('href'))!.split('/').pop()!;

	// A buyer signs up in Thai, confirms the address and publishes a demand delivered to Ubon Ratchathani.
	const {
		context: buyerContext,
		page: buyer,
		email: buyerEmail
	} = await confirmedBuyer(browser, 'โรงแรมริมมูล');
	const demandId = await publishDemand(buyer, {
		titleTh: 'ข้าวหอมมะลิสำหรับโรงแรม',
		deliveryProvinceCode: PROVINCE
	});

	// The farm offers; anyone finds it by name.
	await farm.page.goto(`/demand/${demandId}`);
	await farm.page.getByLabel(/ปริมาณที่เสนอ/).fill('1');
	await farm.page.getByLabel('ราคาต่อหน่วย (บาท)').fill('40,000');
	await farm.page.getByLabel('ระยะเวลาส่งมอบ (วัน)').fill('7');
	await farm.page.getByRole('button', { name: 'ยื่นข้อเสนอ' }).click();
	await expect(farm.page.getByTestId('offer-saved')).toBeVisible();
	const search = `/search?q=${encodeURIComponent(NAME)}`;
	await expect(async () => {
		await buyer.goto(search);
		await expect(buyer.getByTestId('search-results')).toContainText(NAME, { timeout: 1000 });
	}).toPass({ timeout: 20_000 });

	// Someone reports the demand without grounds; the office sees the count, what was reported and by whom.
	await farm.page.goto(`/demand/${demandId}`);
	await farm.page.getByText('รายงานประกาศนี้').click();
	await farm.page.getByLabel('เหตุผลที่รายงาน').fill('น่าจะเป็นประกาศปลอม');
	await farm.page.getByRole('button', { name: 'ส่งรายงาน' }).click();
	await expect(farm.page.getByText('ส่งรายงานถึงสำนักงานอุตสาหกรรมจังหวัดแล้ว')).toBeVisible();
	await officer.page.goto(`/office/${PROVINCE}`);
	await expect(officer.page.getByTestId('reports-waiting')).toContainText('รายงานที่รอตรวจ: 1');
	await officer.page.getByTestId('reports-waiting').getByRole('link').click();
	const card = officer.page.getByTestId('report').filter({ hasText: 'ข้าวหอมมะลิสำหรับโรงแรม' });
	await expect(card).toContainText('ลงโดย โรงแรมริมมูล');
	await expect(card).toContainText('น่าจะเป็นประกาศปลอม');
	await card.getByLabel('บันทึกของสำนักงาน (ไม่บังคับ)').fill('ตรวจแล้ว โรงแรมมีอยู่จริง');
	await card.getByRole('button', { name: 'ยกเลิกรายงาน (ไม่มีมูล)' }).click();
	await expect(officer.page.getByTestId('report-dismissed')).toBeVisible();
	await expect(officer.page.getByTestId('reports')).toContainText('ไม่มีรายงานที่รอตรวจสอบ');
	await officer.page.goto(`/office/${PROVINCE}/audit?subject=${demandId}`);
	await expect(officer.page.locator('[data-action="report.dismiss"]')).toBeVisible();
	// The demand stays public.
	await farm.page.goto(`/demand/${demandId}`);
	await expect(farm.page.getByText('ข้าวหอมมะลิสำหรับโรงแรม').first()).toBeVisible();

	// The buyer reports the farm's profile; the office's card names the farm and the buyer's reason, and leads to
	// the farm's standing.
	await buyer.goto(`/startups/${slug}`);
	await buyer.getByText('รายงานโปรไฟล์นี้ต่อสำนักงาน').click();
	await buyer.getByLabel('เหตุผลที่รายงาน').fill('ฟาร์มนี้ไม่ได้อยู่ในอุบลราชธานี');
	await buyer.getByRole('button', { name: 'ส่งรายงาน' }).click();
	await expect(buyer.getByTestId('report-sent')).toBeVisible();
	await officer.page.goto(`/office/${PROVINCE}`);
	await expect(officer.page.getByTestId('response-targets')).toContainText('ภายใน 15 วันทำการ');
	await expect(officer.page.getByTestId('reports-waiting')).toContainText('รายงานที่รอตรวจ: 1');
	await officer.page.goto(`/office/${PROVINCE}/moderation`);
	const profileCard = officer.page.locator('[data-testid="report"][data-kind="startup"]');
	await expect(profileCard).toContainText('โปรไฟล์สตาร์ทอัพ');
	await expect(profileCard.getByRole('heading')).toContainText(NAME);
	await expect(profileCard).toContainText('ฟาร์มนี้ไม่ได้อยู่ในอุบลราชธานี');

	// The office suspends the farm with a reason.
	await profileCard.getByTestId('act-startup').click();
	await officer.page.getByRole('radio', { name: /ระงับชั่วคราว/ }).check();
	await officer.page.getByLabel('เหตุผล (สตาร์ทอัพจะเห็นข้อความนี้)').fill('ตรวจพบว่าไม่ได้ผลิตในจังหวัด');
	await officer.page.getByRole('button', { name: 'บันทึกการตัดสิน' }).click();
	await expect(officer.page.getByTestId('standing-done')).toContainText('ระงับสตาร์ทอัพแล้ว');
	await expect(officer.page.getByTestId('suspended')).toContainText(NAME);
	// The suspension settles the report on its profile.
	await officer.page.goto(`/office/${PROVINCE}/moderation`);
	await expect(officer.page.getByTestId('reports')).toContainText('ไม่มีรายงานที่รอตรวจสอบ');

	// The buyer is told, in the portal and by email, and the offer leaves the comparison.
	await buyer.goto('/notifications');
	await expect(buyer.getByTestId('notifications')).toContainText('ข้อเสนอสำหรับ ข้าวหอมมะลิสำหรับโรงแรม ถูกถอน');
	await buyer.goto('/dev/mail');
	await expect(buyer.locator(`article[data-to="${buyerEmail}"]`).first()).toContainText('ถูกถอน');
	// The comparison lists live offers only: the withdrawn one has gone from it; and once the search index has
	// caught up, the farm leaves the startups matched to the demand too.
	await expect(async () => {
		await buyer.goto(`/buyer/demands/${demandId}`);
		await expect(buyer.locator('main')).not.toContainText(NAME, { timeout: 1000 });
	}).toPass({ timeout: 20_000 });
	// The farm is told why, and can no longer offer.
	await farm.page.goto('/notifications');
	await expect(farm.page.getByTestId('notifications')).toContainText('ตรวจพบว่าไม่ได้ผลิตในจังหวัด');

	// It leaves search, its public page and the province page the map links to.
	await expect(async () => {
		await buyer.goto(search);
		await expect(buyer.getByTestId('search-results')).not.toContainText(NAME, { timeout: 1000 });
	}).toPass({ timeout: 20_000 });
	expect((await buyer.goto(`/startups/${slug}`))?.status()).toBe(404);
	await expect(async () => {
		await buyer.goto(`/provinces/${PROVINCE}`);
		await expect(buyer.locator('main')).not.toContainText(NAME, { timeout: 1000 });
	}).toPass({ timeout: 30_000 });

	for (const context of [officer.context, farm.context, buyerContext]) await context.close();
});
