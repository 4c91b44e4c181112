// A new buyer signs up in Thai with a digital ID from the local OpenID Connect provider (no password), finds
// the identity on the account page, signs out and comes back in with the same identity.
import { expect, test } from '@playwright/test';
import { keepScreenshot, THAI, unique } from '../fixtures';

test('a new buyer signs up with Digital ID and signs in with it again', async ({ page }, testInfo) => {
	const subject = `thai-citizen-${unique()}`;
	const email = `${subject}@example.com`;
	const provider = 'Digital ID (สพร.)';

	async function atProvider() {
		await expect(page).toHaveTitle('Local identity provider');
		await page.getByLabel('Subject').fill(subject);
		await page.getByLabel('Email', { exact: true }).fill(email);
		await page.getByLabel('Email verified').check();
		await page.getByRole('button', { name: 'Continue' }).click();
	}

	await page.goto('/sign-in');
	await expect(page.locator('html')).toHaveAttribute('lang', 'th');
	await keepScreenshot(page, testInfo.outputPath('sign-in-th.png'));
	await page.getByRole('button', { name: `เข้าสู่ระบบด้วย ${provider}` }).click();
	await atProvider();

	await expect(page).toHaveURL(/\/sign-up\/identity$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('สมัครสมาชิกด้วยตัวตนดิจิทัล');
	await expect(page.getByLabel(THAI.email)).toHaveValue(email);
	await page.getByLabel('ผู้ซื้อ').check();
	await page.getByLabel('ชื่อกิจการหรือหน่วยงาน').fill('โรงแรมริมน้ำ จำกัด');
	await keepScreenshot(page, testInfo.outputPath('identity-sign-up-th.png'));
	await page.getByRole('button', { name: 'สร้างบัญชี' }).click();
	await expect(page).toHaveURL(/\/buyer\?welcome=1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('หน้าผู้ซื้อ');

	// The provider vouched for the address: confirmed without a mailed link; the identity is listed.
	await page.goto('/account');
	await expect(page.getByTestId('email-status')).toHaveText('ยืนยันอีเมลแล้ว');
	await expect(page.getByTestId('identities')).toContainText(provider);
	await keepScreenshot(page, testInfo.outputPath('account-identities-th.png'));
	// The only way in cannot be removed.
	await page.getByRole('button', { name: `ยกเลิกการเชื่อม ${provider}` }).click();
	await expect(page.getByTestId('error-summary')).toContainText('บัญชีต้องมีรหัสผ่านหรือตัวตนดิจิทัลอื่น');

	await page.getByRole('button', { name: THAI.signOut }).click();
	await expect(page.getByRole('link', { name: THAI.signIn })).toBeVisible();
	await page.goto('/sign-in');
	await page.getByRole('button', { name: `เข้าสู่ระบบด้วย ${provider}` }).click();
	// The provider may remember the person from a moment ago and send them straight back.
	await page.waitForURL((url) => url.pathname.startsWith('/interaction/') || url.pathname === '/buyer');
	if (new URL(page.url()).pathname.startsWith('/interaction/')) await atProvider();
	await expect(page).toHaveURL(/\/buyer$/);
});
