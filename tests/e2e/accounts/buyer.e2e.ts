// A buyer does the whole round in English.
import { expect, test } from '@playwright/test';
import { ENGLISH, followMailedLink, keepScreenshot, signIn, unique } from '../fixtures';

test('a buyer signs up in English, verifies, signs out and in again', async ({ page }, testInfo) => {
	const email = `buyer-${unique()}@example.com`;
	const password = 'hotel kitchen buys jasmine rice';
	await page.goto('/');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('link', { name: 'Create an account' }).click();
	await page.getByLabel('Buyer').check();
	await page.getByLabel('Business or organisation name').fill('Riverside Hotel Co., Ltd.');
	await page.getByLabel(ENGLISH.email).fill(email);
	await page.getByLabel(ENGLISH.password, { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/buyer\?welcome=1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buyer home');
	await keepScreenshot(page, testInfo.outputPath('buyer-home-en.png'));

	await followMailedLink(page, email);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address');
	await page.getByRole('button', { name: 'Confirm email address' }).click();
	await expect(page.getByTestId('email-verified')).toContainText(`${email} is confirmed`);

	await page.getByRole('button', { name: ENGLISH.signOut }).click();
	await expect(page.getByRole('link', { name: ENGLISH.signIn })).toBeVisible();
	await signIn(page, email, password, ENGLISH);
	await expect(page).toHaveURL(/\/buyer$/);
	await page.goto('/account');
	await expect(page.getByTestId('email-status')).toHaveText('Confirmed');
	await expect(page.getByTestId('sessions').locator('li')).toHaveCount(1);
	await page.getByRole('button', { name: ENGLISH.signOut }).click();
	await expect(page.getByRole('link', { name: ENGLISH.signIn })).toBeVisible();
});
