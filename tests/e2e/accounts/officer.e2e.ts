// An admin invites an officer for Chiang Mai; the officer sets a password, reaches the Chiang Mai office
// and is refused Lampang's.
import { expect, test } from '@playwright/test';
import { E2E_ADMIN, followMailedLink, keepScreenshot, signIn, THAI, unique } from '../fixtures';

test('an invited Chiang Mai officer reaches their office and is refused Lampang', async ({
	browser
}, testInfo) => {
	const officerEmail = `officer-${unique()}@industry.go.th`;
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(admin).toHaveURL(/\/admin$/);
	await admin.getByRole('link', { name: 'เชิญเจ้าหน้าที่จังหวัด' }).click();
	await admin.getByLabel(THAI.email).fill(officerEmail);
	// Bangkok has no provincial office, so it is not offered.
	await expect(admin.getByLabel('จังหวัด', { exact: true }).locator('option[value="TH-10"]')).toHaveCount(0);
	await admin.getByLabel('จังหวัด', { exact: true }).selectOption('TH-50');
	await admin.getByRole('button', { name: 'ส่งคำเชิญ' }).click();
	await expect(admin.getByTestId('invite-sent')).toContainText(officerEmail);
	await adminContext.close();

	const context = await browser.newContext();
	const page = await context.newPage();
	await followMailedLink(page, officerEmail);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('ตั้งรหัสผ่านเจ้าหน้าที่');
	await expect(page.getByText('เชียงใหม่')).toBeVisible();
	await page.getByLabel('รหัสผ่านใหม่', { exact: true }).fill('ดอยสุเทพ ดอยอินทนนท์');
	await page.getByLabel('ยืนยันรหัสผ่านใหม่').fill('ดอยสุเทพ ดอยอินทนนท์');
	await page.getByRole('button', { name: 'ตั้งรหัสผ่านและเข้าสู่ระบบ' }).click();
	await expect(page).toHaveURL(/\/office\/TH-50/);
	await expect(page.getByTestId('office-title')).toHaveText('สำนักงานอุตสาหกรรมจังหวัดเชียงใหม่');
	await keepScreenshot(page, testInfo.outputPath('office-chiang-mai.png'));

	const lampang = await page.goto('/office/TH-52');
	expect(lampang?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('คุณไม่มีสิทธิ์เข้าถึงหน้านี้');
	await context.close();
});
