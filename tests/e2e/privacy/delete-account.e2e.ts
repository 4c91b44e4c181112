// PDPA in Thai: a buyer who made a deal downloads their data, then deletes their account. What identified them is
// gone (they cannot sign in, the record names "ผู้ใช้ที่ลบแล้ว #…"), and the deal stays: the startup still sees its
// offer accepted, and the administrators see the requests with their due dates.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import {
	approvedStartup,
	confirmedBuyer,
	E2E_ADMIN,
	invitedOfficer,
	publishDemand,
	signIn,
	THAI,
	unique
} from '../fixtures';

// What the test reads of the downloaded file; the profile kept whole, so that a password hash in it is seen.
const personalData = z.object({
	profile: z.looseObject({ email: z.string() }),
	records: z.object({ demands: z.array(z.object({ id: z.string() })), sessions: z.array(z.unknown()) }),
	deals: z.array(z.unknown())
});

test('ผู้ซื้อดาวน์โหลดข้อมูลของตนแล้วลบบัญชี ข้อตกลงยังอยู่โดยใช้ชื่อแทน', async ({ browser }) => {
	test.setTimeout(300_000);
	const officer = await invitedOfficer(
		browser,
		`roiet-pdpa-${unique()}@industry.go.th`,
		'TH-45',
		'ร้อยเอ็ดคุ้มครองข้อมูล 2569'
	);
	const farm = await approvedStartup(browser, officer.page, 'TH-45', 'นาข้าวหอมเสลภูมิ');
	const buyer = await confirmedBuyer(browser, 'ร้านข้าวแกงป้าศรี');
	const demandId = await publishDemand(buyer.page, { titleTh: 'ข้าวหอมมะลิสำหรับร้านข้าวแกง' });

	// The startup offers and the buyer accepts: a deal.
	await farm.page.goto(`/demand/${demandId}`);
	await farm.page.getByLabel(/ปริมาณที่เสนอ/).fill('2');
	await farm.page.getByLabel('ราคาต่อหน่วย (บาท)').fill('40,000');
	await farm.page.getByLabel('ระยะเวลาส่งมอบ (วัน)').fill('7');
	await farm.page.getByRole('button', { name: 'ยื่นข้อเสนอ' }).click();
	await expect(farm.page.getByTestId('offer-saved')).toBeVisible();
	await buyer.page.goto(`/buyer/demands/${demandId}`);
	const offer = buyer.page.getByRole('article', { name: 'นาข้าวหอมเสลภูมิ' });
	await offer.getByRole('link', { name: 'ตอบรับข้อเสนอ' }).click();
	await offer.getByRole('button', { name: /ยืนยันตอบรับ/ }).click();
	await expect(offer).toContainText('ตอบรับแล้ว');

	// The privacy notice is a link away from every page.
	await buyer.page.getByTestId('footer-privacy').click();
	await expect(buyer.page.getByRole('heading', { level: 1 })).toHaveText('ประกาศความเป็นส่วนตัว');
	await expect(buyer.page.getByTestId('privacy-controller')).toContainText('สำนักงานอุตสาหกรรมจังหวัด');

	// Download my data: JSON with the account, the demand and the deal.
	await buyer.page.goto('/account');
	await buyer.page.getByTestId('account-privacy-link').click();
	await expect(buyer.page.getByRole('heading', { level: 1 })).toHaveText('ข้อมูลส่วนบุคคลของฉัน');
	const [download] = await Promise.all([
		buyer.page.waitForEvent('download'),
		buyer.page.getByRole('button', { name: 'ดาวน์โหลดข้อมูลของฉัน (JSON)' }).click()
	]);
	const data = personalData.parse(JSON.parse(fs.readFileSync(await download.path(), 'utf8')));
	expect(data.profile.email).toBe(buyer.email);
	expect(data.profile).not.toHaveProperty('passwordHash');
	expect(data.records.demands.map((d) => d.id)).toContain(demandId);
	expect(data.deals).toHaveLength(1);
	expect(data.records.sessions.length).toBeGreaterThan(0);

	// Delete the account: a wrong password changes nothing; the right one deletes it.
	await buyer.page.reload();
	const password = buyer.page.getByLabel('รหัสผ่านปัจจุบัน');
	await password.fill('not my password at all');
	await buyer.page.getByLabel('ฉันเข้าใจว่าการลบบัญชีย้อนกลับไม่ได้').check();
	await buyer.page.getByRole('button', { name: 'ลบบัญชีของฉันถาวร' }).click();
	await expect(buyer.page.getByTestId('error-summary')).toBeVisible();
	await buyer.page.getByLabel('รหัสผ่านปัจจุบัน').fill('ผักสดทุกเช้าจากไร่ 2569');
	await buyer.page.getByLabel('ฉันเข้าใจว่าการลบบัญชีย้อนกลับไม่ได้').check();
	await buyer.page.getByRole('button', { name: 'ลบบัญชีของฉันถาวร' }).click();
	await expect(buyer.page).toHaveURL(/\/privacy\?deleted=/);
	const notice = buyer.page.getByTestId('account-deleted');
	await expect(notice).toContainText(/ผู้ใช้ที่ลบแล้ว #[0-9a-f]{6}/);
	const pseudonym = (await notice.textContent())!.match(/ผู้ใช้ที่ลบแล้ว #[0-9a-f]{6}/)![0];

	// The old address and password open nothing.
	await signIn(buyer.page, buyer.email, 'ผักสดทุกเช้าจากไร่ 2569');
	await expect(buyer.page.getByTestId('error-summary')).toContainText('อีเมลหรือรหัสผ่านไม่ถูกต้อง');

	// The deal stays: the startup's offer is still accepted.
	await farm.page.goto(`/demand/${demandId}`);
	await expect(farm.page.getByTestId('own-offer')).toContainText('ตอบรับแล้ว');

	// The administrators see the demand's record under the pseudonym, and the requests with their due dates.
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password, THAI);
	await expect(admin).toHaveURL(/\/admin$/);
	await admin.goto('/admin/audit');
	await expect(admin.getByText(pseudonym).first()).toBeVisible();
	await expect(admin.getByText(buyer.email)).toHaveCount(0);
	await admin.goto('/admin/privacy');
	const requests = admin.getByTestId('privacy-requests');
	await expect(requests.getByRole('row').filter({ hasText: pseudonym })).toHaveCount(2);
	await expect(
		requests.getByRole('row').filter({ hasText: pseudonym }).filter({ hasText: 'ขอลบข้อมูล' })
	).toHaveCount(1);
	await adminContext.close();
});
