// In Thai: a startup links LINE (LINE Login, played by the local OpenID provider), adds the official account (a
// signed follow webhook, as LINE sends it), chooses LINE notifications with its consent and saves a search on the
// demand board with LINE alerts; a buyer publishes a matching demand, and the local LINE Messaging API receives the
// alert for that LINE user.
import crypto from 'node:crypto';
import { expect, test } from '@playwright/test';
import { sendLineWebhook } from '../../helpers/line-server';
import { confirmedBuyer, E2E_LINE, publishDemand, submittedStartup, unique } from '../fixtures';

const PASSWORD = 'ข้าวหอมมะลิทุ่งกุลาร้องไห้';

test('a startup links LINE, saves a search and receives the LINE alert when a matching demand is published', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const startup = await submittedStartup(browser, 'TH-34', 'สหกรณ์ข้าวอุบล');
	const page = startup.page;
	// LINE's user ids are U and 32 hex digits.
	const lineUserId = `U${crypto.randomBytes(16).toString('hex')}`;

	// Link LINE from the account page, confirming with the password.
	await page.goto('/account');
	const linkForm = page.locator('form', { has: page.getByRole('button', { name: 'เชื่อมกับ LINE' }) });
	await linkForm.getByLabel('รหัสผ่านปัจจุบัน').fill(PASSWORD);
	await linkForm.getByRole('button', { name: 'เชื่อมกับ LINE' }).click();
	await expect(page).toHaveTitle('Local identity provider');
	await page.getByLabel('Subject').fill(lineUserId);
	await page.getByLabel('Email', { exact: true }).fill(startup.email);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByTestId('identities')).toContainText('LINE');

	// The person adds the official account: LINE tells the portal by a signed webhook.
	const followed = await sendLineWebhook(`${baseURL}/api/line/webhook`, E2E_LINE.channelSecret, [
		{ type: 'follow', userId: lineUserId }
	]);
	expect(followed.status).toBe(200);

	// LINE notifications are a consent: without ticking it nothing is saved; with it, the choice is kept.
	await page.goto('/account#line');
	await expect(page.getByTestId('line-status')).toHaveText('เชื่อมบัญชี LINE แล้ว');
	await page.getByLabel('ความต้องการใหม่ที่ตรงกับกิจการของฉัน').check();
	await page.getByRole('button', { name: 'บันทึกการแจ้งเตือนทาง LINE' }).click();
	await expect(page.getByTestId('error-summary')).toContainText('ติ๊กช่องยินยอมเพื่อรับการแจ้งเตือนทาง LINE');
	await page.getByLabel('ความต้องการใหม่ที่ตรงกับกิจการของฉัน').check();
	await page.getByLabel('ฉันยินยอมรับการแจ้งเตือนทาง LINE ตามข้อความข้างต้น').check();
	await page.getByRole('button', { name: 'บันทึกการแจ้งเตือนทาง LINE' }).click();
	await expect(page.getByText('บันทึกการแจ้งเตือนทาง LINE แล้ว')).toBeVisible();
	await expect(page.getByTestId('line-consent')).toBeVisible();

	// A search on the demand board, saved with alerts at once on LINE only.
	const word = `ข้าวกล้องงอก${unique()}`;
	await page.goto(`/demand?q=${encodeURIComponent(word)}`);
	const save = page.getByTestId('save-search');
	await save.getByText('บันทึกการค้นหานี้และรับการแจ้งเตือน').click();
	await save.getByLabel('อีเมล', { exact: true }).uncheck();
	await save.getByLabel('LINE', { exact: true }).check();
	await save.getByRole('button', { name: 'บันทึกการค้นหา' }).click();
	await expect(page).toHaveURL(/\/account\/searches/);
	await expect(page.getByRole('main')).toContainText(word);

	// A buyer publishes a demand that the search finds.
	const buyer = await confirmedBuyer(browser, `ร้านข้าวสุขภาพ ${unique()}`);
	const title = `${word} สำหรับร้านค้าสุขภาพ`;
	await publishDemand(buyer.page, { titleTh: title });

	// The alert reaches that LINE user, in Thai, naming the demand and linking back to the portal.
	const pushedTo = async () => {
		const response = await fetch(`${lineApiBeside(baseURL!)}/__test/pushed`);
		const pushed = (await response.json()) as { to: string; text: string }[];
		return pushed.filter((message) => message.to === lineUserId);
	};
	await expect.poll(async () => (await pushedTo()).length, { timeout: 60_000, intervals: [1_000] }).toBe(1);
	const [alert] = await pushedTo();
	expect(alert!.text).toContain(title);
	expect(alert!.text).toContain(`"${word}"`);
	expect(alert!.text).toContain(`${baseURL}/`);
	await buyer.context.close();
	await startup.context.close();
});

/** The local LINE Messaging API beside the walks' portal (playwright.config.ts: the portal's port + 3). */
function lineApiBeside(portal: string): string {
	return `http://127.0.0.1:${Number(new URL(portal).port) + 3}`;
}
