// Issue 23's walk, in Thai: a Ratchaburi food factory lists 20 t/month of fruit peel going to landfill; its office
// approves it; a compost startup in Nakhon Pathom that takes chapter-02 residues within 150 km sees it matched with
// reasons and distance; they agree, work through the checklist, the factory records a transfer, the composter
// confirms it, and the public figures show the tonnes diverted. Along the way both sides edit what they listed, and
// at the end the factory withdraws the lot. The factory works without JavaScript throughout.
import { expect, test, type Browser } from '@playwright/test';
import { daysFromToday } from '../../helpers/dates';
import { invitedOfficer, unique } from '../fixtures';

async function member(browser: Browser, kind: 'สตาร์ทอัพ / ผู้ผลิต' | 'ผู้ซื้อ', name: string, province: string) {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/sign-up');
	await page.getByLabel(kind).check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill(name);
	await page.getByLabel('จังหวัดที่ตั้งกิจการ').selectOption(province);
	await page.getByLabel('อีเมล').fill(`waste-${unique()}@example.org`);
	await page.getByLabel('รหัสผ่าน', { exact: true }).fill('เปลือกผลไม้เป็นปุ๋ยหมัก');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page).toHaveURL(/\/(startup|buyer)/);
	return page;
}

test('fruit peel from Ratchaburi becomes compost in Nakhon Pathom, and the tonnes diverted are counted', async ({
	browser
}) => {
	test.setTimeout(300_000);
	const officer = await invitedOfficer(
		browser,
		`ratchaburi-${unique()}@industry.go.th`,
		'TH-70',
		'ราชบุรี 2569'
	);
	const factory = await member(browser, 'ผู้ซื้อ', 'โรงงานผลไม้กระป๋องราชบุรี', 'TH-70');
	const composter = await member(browser, 'สตาร์ทอัพ / ผู้ผลิต', 'ปุ๋ยหมักนครปฐม', 'TH-73');

	// The factory lists the peel; it waits for the office.
	await factory.goto('/waste');
	await factory.getByRole('link', { name: 'ลงประกาศวัสดุเหลือใช้' }).click();
	await factory.getByLabel('ชื่อ (ภาษาไทย)').fill('เปลือกสับปะรดและเปลือกมะม่วง');
	await factory.getByLabel('รหัสของเสีย').selectOption('020304');
	await factory.getByLabel('ปริมาณต่อเดือน').fill('20');
	await factory.getByLabel('หน่วย', { exact: true }).selectOption('tonne');
	// A buyer's organisation has no province of its own (a factory group may have plants in several): it says
	// where the lot is, and that province's office reviews it. A startup's lot lies in the startup's province.
	await factory.getByLabel('จังหวัดที่ตั้งของวัสดุ').selectOption('TH-70');
	await factory.getByLabel('ปัจจุบันจัดการอย่างไร').selectOption('landfill');
	await factory.getByLabel('ราคาที่ขอ (บาทต่อหน่วย)').fill('-150');
	// A last day already past is refused, in Thai, beside the field and in the summary; what was typed stays.
	await factory.getByLabel('พร้อมส่งถึงวันที่').fill(daysFromToday(-1));
	await factory.getByRole('button', { name: 'ส่งให้สำนักงานตรวจ' }).click();
	await expect(factory.getByTestId('error-summary').getByRole('link', { name: /พร้อมส่งถึงวันที่/ })).toContainText(
		'วันสุดท้ายต้องไม่อยู่ในอดีต'
	);
	await expect(factory.locator('#availableUntil-error')).toHaveText('วันสุดท้ายต้องไม่อยู่ในอดีต');
	await expect(factory.getByLabel('ชื่อ (ภาษาไทย)')).toHaveValue('เปลือกสับปะรดและเปลือกมะม่วง');
	await expect(factory.getByLabel('รหัสของเสีย')).toHaveValue('020304');
	await expect(factory.getByLabel('ปริมาณต่อเดือน')).toHaveValue('20');
	await expect(factory.getByLabel('หน่วย', { exact: true })).toHaveValue('tonne');
	await expect(factory.getByLabel('ปัจจุบันจัดการอย่างไร')).toHaveValue('landfill');
	await expect(factory.getByLabel('ราคาที่ขอ (บาทต่อหน่วย)')).toHaveValue('-150');
	await expect(factory.getByLabel('พร้อมส่งถึงวันที่')).toHaveValue(daysFromToday(-1));
	// Two months ahead is taken, and the lot page shows that day as Thai readers count years (พ.ศ.).
	const lastDay = daysFromToday(60);
	await factory.getByLabel('พร้อมส่งถึงวันที่').fill(lastDay);
	await factory.getByRole('button', { name: 'ส่งให้สำนักงานตรวจ' }).click();
	await expect(factory.getByTestId('waste-lot-status')).toHaveText('รอสำนักงานตรวจ');
	// The confirmation is where the focus goes, without JavaScript too.
	await expect(
		factory.locator('[data-notice="success"]').filter({ has: factory.getByTestId('waste-saved') })
	).toBeFocused();
	await expect(factory.getByTestId('waste-lot')).toContainText('โรงงานจ่ายค่าขนย้าย');
	const buddhistYear = String(Number(lastDay.slice(0, 4)) + 543);
	const thaiDay = new Intl.DateTimeFormat('th-TH', { dateStyle: 'medium', timeZone: 'Asia/Bangkok' }).format(
		new Date(`${lastDay}T00:00:00+07:00`)
	);
	expect(thaiDay).toContain(buddhistYear);
	await expect(factory.getByTestId('waste-lot-until')).toHaveText(`พร้อมส่งถึงวันที่ ${thaiDay}`);

	// Ratchaburi's office approves it.
	await officer.page.goto('/office/TH-70/waste');
	const queued = officer.page
		.getByTestId('waste-queue')
		.getByRole('listitem')
		.filter({ hasText: 'เปลือกสับปะรด' });
	await queued.getByLabel('อนุมัติให้เผยแพร่').check();
	await queued.getByRole('button', { name: 'บันทึกผลการตรวจ' }).click();
	await expect(officer.page.getByTestId('waste-queue-empty')).toBeVisible();

	// A new quantity on the published lot takes effect at once, without another review.
	await factory.reload();
	await expect(factory.getByTestId('waste-lot-status')).toHaveText('เผยแพร่แล้ว');
	await factory.getByRole('link', { name: 'แก้ไขประกาศวัสดุเหลือใช้' }).click();
	await expect(factory.getByLabel('ปริมาณต่อเดือน')).toHaveValue('20');
	await factory.getByLabel('ปริมาณต่อเดือน').fill('22');
	await factory.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
	await expect(factory.getByTestId('waste-saved')).toHaveText('บันทึกแล้ว');
	await expect(factory.getByTestId('waste-lot-status')).toHaveText('เผยแพร่แล้ว');
	await expect(factory.getByTestId('waste-lot')).toContainText('22 ตัน');

	// The composter posts what it takes: chapter-02 plant residues, within 150 km of Nakhon Pathom.
	await composter.goto('/waste/wants/new');
	await composter.getByLabel('ชื่อ (ภาษาไทย)').fill('เศษผักผลไม้สำหรับทำปุ๋ยหมัก');
	await composter.getByText(/^02 ของเสียจากการเกษตร/).click();
	await composter.getByRole('checkbox', { name: /^02 03 01/ }).check();
	await composter.getByRole('checkbox', { name: /^02 01 03/ }).check();
	await composter.getByLabel('ปริมาณต่อเดือน').fill('30');
	await composter.getByLabel('หน่วย', { exact: true }).selectOption('tonne');
	await composter.getByLabel('จังหวัดที่รับวัสดุ').selectOption('TH-73');
	await composter.getByLabel('ระยะที่เก็บได้ไกลสุด (กม.)').fill('150');
	await composter.getByLabel('ราคาที่จ่าย (บาทต่อหน่วย)').fill('0');
	await composter.getByRole('button', { name: 'ประกาศ' }).click();
	await expect(composter.getByTestId('waste-saved')).toHaveText('บันทึกแล้ว');
	// It takes less than first said: the want is edited and matched again at once.
	await composter.getByRole('link', { name: 'แก้ไขวัสดุที่ต้องการรับ' }).click();
	await expect(composter.getByRole('checkbox', { name: /^02 03 01/ })).toBeChecked();
	await composter.getByLabel('ปริมาณต่อเดือน').fill('25');
	await composter.getByRole('button', { name: 'บันทึกการแก้ไข' }).click();
	await expect(composter.getByText('25 ตัน')).toBeVisible();

	// The peel is matched, with its reasons and the distance between the provinces.
	const match = composter.getByTestId('waste-match').filter({ hasText: 'เปลือกสับปะรด' });
	await expect(match).toContainText('โรงงานผลไม้กระป๋องราชบุรี');
	await expect(match.getByTestId('waste-match-reasons')).toContainText('หมวดย่อยเดียวกัน');
	await expect(match.getByTestId('waste-match-reasons')).toContainText(/ห่าง \d+ กม\./);
	await expect(match.getByTestId('waste-match-reasons')).toContainText('ค่าขนส่งประมาณ');
	await match.getByRole('button', { name: 'เสนอส่งมอบ' }).click();
	await expect(composter.getByTestId('waste-agreement-status')).toHaveText('รอตอบรับ');
	const agreementUrl = composter.url();

	// The factory sees it waiting and agrees; the checklist opens, the manifest not needed for non-hazardous peel.
	await factory.goto('/waste/mine');
	await expect(factory.getByTestId('waste-agreements')).toContainText('รอคุณดำเนินการ');
	await factory.getByTestId('waste-agreements').getByRole('link', { name: 'เปลือกสับปะรด' }).click();
	await factory.getByRole('button', { name: 'ตกลง', exact: true }).click();
	await expect(factory.getByTestId('waste-agreement-status')).toHaveText('ตกลงแล้ว');
	await expect(factory.getByTestId('waste-reminder')).toContainText('ยังเหลือ 2 ขั้นตอน');
	await expect(
		factory.getByTestId('waste-step-transport_manifest').getByTestId('waste-step-status')
	).toHaveText('ไม่ต้องใช้');
	const permit = factory.getByTestId('waste-step-removal_permit');
	await permit.getByLabel('สถานะ').selectOption('done');
	await permit.getByLabel('เลขที่เอกสารหรือที่เก็บเอกสาร').fill('สก.2 เลขที่ 70-0123/2569');
	await permit.getByRole('button', { name: 'บันทึกขั้นตอน' }).click();
	await expect(factory.getByTestId('waste-reminder')).toContainText('ยังเหลือ 1 ขั้นตอน');
	// Nothing can be recorded before the receiver's step is done.
	await expect(factory.getByRole('button', { name: 'บันทึกการส่งมอบ' })).toHaveCount(0);

	await composter.goto(agreementUrl);
	const receiverStep = composter.getByTestId('waste-step-licensed_receiver');
	await receiverStep.getByLabel('สถานะ').selectOption('done');
	await receiverStep.getByRole('button', { name: 'บันทึกขั้นตอน' }).click();
	await expect(composter.getByTestId('waste-reminder')).toHaveCount(0);

	// The factory records the load; the composter confirms it.
	await factory.goto(agreementUrl);
	await factory.getByLabel('ปริมาณ (ตัน)').fill('20');
	await factory.getByLabel('มูลค่า (บาท)').fill('-3000');
	await factory.getByRole('button', { name: 'บันทึกการส่งมอบ' }).click();
	await expect(factory.getByTestId('waste-transfer-status')).toHaveText('รอผู้รับยืนยัน');
	await composter.goto(agreementUrl);
	await composter.getByRole('button', { name: 'ยืนยันว่าได้รับแล้ว' }).click();
	await expect(composter.getByTestId('waste-transfer-status')).toHaveText('ผู้รับยืนยันแล้ว');

	// The public figures count the 20 tonnes that no longer go to landfill, for Ratchaburi and nationwide.
	await factory.goto('/waste');
	await expect(factory.getByTestId('waste-diverted')).toHaveText('20');
	await expect(factory.getByRole('row', { name: /ราชบุรี/ })).toContainText('20');
	// The home map's by-product layer says it for Ratchaburi, on the map and in its table.
	await factory.goto('/?layer=byproducts');
	await expect(factory.getByRole('link', { name: 'ผลพลอยได้ที่พร้อมส่ง', exact: true })).toHaveAttribute(
		'aria-current',
		'true'
	);
	await expect(factory.getByRole('link', { name: /^ราชบุรี: / })).toHaveAttribute(
		'aria-label',
		/เลี่ยงการฝังกลบได้ 20 ตัน/
	);
	await factory.getByText('ดูเป็นตาราง').click();
	await expect(
		factory.getByTestId('map-table').getByRole('row', { name: /ราชบุรี/ }).getByTestId('map-diverted')
	).toHaveText('20');
	// /market shows the nationwide total.
	await factory.goto('/market');
	await expect(factory.getByTestId('waste-figures').getByTestId('waste-diverted')).toHaveText('20');

	// The factory stops listing the peel: withdrawn, it leaves the public list and matches nobody.
	await factory.goto('/waste/mine');
	await factory.getByTestId('waste-my-lots').getByRole('link', { name: 'เปลือกสับปะรด' }).click();
	await factory.getByRole('button', { name: 'ถอนประกาศนี้' }).click();
	await expect(factory.getByTestId('waste-lot-status')).toHaveText('ถอนแล้ว');
	await expect(factory.getByTestId('waste-saved')).toContainText('ถอนประกาศแล้ว');
	await factory.goto('/waste');
	await expect(factory.getByText('เปลือกสับปะรดและเปลือกมะม่วง')).toHaveCount(0);
});
