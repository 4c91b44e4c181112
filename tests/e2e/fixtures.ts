// Shared by the end-to-end walks: the administrator the test server starts with, and the development
// mailbox (/dev/mail) read the way a person reads their inbox.
import { expect, type Page } from '@playwright/test';

export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e administrator passphrase' };

/** Follows the link in the newest message to `to`. */
export async function followMailedLink(page: Page, to: string): Promise<void> {
	await page.goto('/dev/mail');
	const message = page.locator(`article[data-to="${to}"]`).first();
	await expect(message).toBeVisible();
	const href = await message.locator('a').first().getAttribute('href');
	expect(href).toBeTruthy();
	await page.goto(href!);
}

export async function signIn(page: Page, email: string, password: string, labels = THAI): Promise<void> {
	await page.goto('/sign-in');
	await page.getByLabel(labels.email).fill(email);
	await page.getByLabel(labels.password, { exact: true }).fill(password);
	await page.getByRole('button', { name: labels.signIn, exact: true }).last().click();
}

export const THAI = { email: 'อีเมล', password: 'รหัสผ่าน', signIn: 'เข้าสู่ระบบ', signOut: 'ออกจากระบบ' };
export const ENGLISH = {
	email: 'Email address',
	password: 'Password',
	signIn: 'Sign in',
	signOut: 'Sign out'
};

export const unique = () => Math.random().toString(36).slice(2, 8);
