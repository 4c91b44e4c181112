// A startup signs up in Thai, confirms its email through /dev/mail, signs out and back in.
import { expect, test } from '@playwright/test';
import { followMailedLink, keepScreenshot, signIn, THAI, unique } from '../fixtures';

test('a startup signs up in Thai, verifies its email, signs out and in again', async ({ page }, testInfo) => {
	const email = `farm-${unique()}@example.org`;
	const password = 'กาแฟดอยช้าง ปลูกเอง คั่วเอง';
	await page.goto('/sign-up');
	await expect(page.locator('html')).toHaveAttribute('lang', 'th');
	await page.getByLabel('สตาร์ทอัพ / ผู้ผลิต').check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('วิสาหกิจชุมชนกาแฟดอยช้าง');
	await page.getByLabel('จังหวัดที่ตั้งกิจการ').selectOption('TH-57');
	await page.getByLabel(THAI.email).fill(email);
	await page.getByLabel(THAI.password, { exact: true }).fill('สั้น');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	// A mistake keeps what was typed and says what is wrong, in Thai, at the top and beside the field.
	await expect(page.getByTestId('error-summary')).toContainText('รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร');
	await expect(page.getByLabel('ชื่อกิจการหรือหน่วยงาน')).toHaveValue('วิสาหกิจชุมชนกาแฟดอยช้าง');
	await expect(page.getByLabel('จังหวัดที่ตั้งกิจการ')).toHaveValue('TH-57');
	await keepScreenshot(page, testInfo.outputPath('sign-up-error-th.png'));

	await page.getByLabel(THAI.password, { exact: true }).fill(password);
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page).toHaveURL(/\/startup\?welcome=1$/);
	await expect(page.getByTestId('organisation-name')).toHaveText('วิสาหกิจชุมชนกาแฟดอยช้าง');
	await expect(page.getByTestId('verify-reminder')).toBeVisible();

	await followMailedLink(page, email);
	await page.getByRole('button', { name: 'ยืนยันอีเมล' }).click();
	await expect(page.getByTestId('email-verified')).toContainText(email);
	await page.goto('/account');
	await expect(page.getByTestId('email-status')).toHaveText('ยืนยันอีเมลแล้ว');

	await page.getByRole('button', { name: THAI.signOut }).click();
	await expect(page.getByRole('link', { name: THAI.signIn })).toBeVisible();
	await page.goto('/startup');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('กรุณาเข้าสู่ระบบ');

	await signIn(page, email, 'ผิดรหัสผ่านแน่นอน');
	await expect(page.getByTestId('error-summary')).toContainText('อีเมลหรือรหัสผ่านไม่ถูกต้อง');
	await expect(page.getByLabel(THAI.email)).toHaveValue(email);
	await signIn(page, email, password);
	await expect(page).toHaveURL(/\/startup$/);
	await expect(page.getByTestId('verify-reminder')).toHaveCount(0);
	await page.getByRole('button', { name: THAI.signOut }).click();
	await expect(page.getByRole('link', { name: THAI.signIn })).toBeVisible();
});

test('sign-up works without JavaScript and keeps what was typed', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/sign-up');
	await page.getByLabel('สตาร์ทอัพ / ผู้ผลิต').check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('โรงสีข้าวทุ่งกุลา');
	await page.getByLabel(THAI.email).fill('not-an-email');
	await page.getByRole('button', { name: 'สมัครสมาชิก' }).last().click();
	await expect(page.getByTestId('error-summary')).toContainText('กรอกอีเมลให้ถูกต้อง');
	await expect(page.getByTestId('error-summary')).toContainText('เลือกจังหวัดที่ตั้งกิจการ');
	// Each entry names its field: the empty password is not one more bare "please fill in this field".
	await expect(page.getByTestId('error-summary').getByRole('link', { name: /^รหัสผ่าน: / })).toBeVisible();
	await expect(page.getByLabel('ชื่อกิจการหรือหน่วยงาน')).toHaveValue('โรงสีข้าวทุ่งกุลา');
	await expect(page.getByLabel(THAI.email)).toHaveValue('not-an-email');
	await context.close();
});
