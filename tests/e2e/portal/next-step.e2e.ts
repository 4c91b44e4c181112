// Pages that lead to the next step (issue 22 item 2), on the demo data: the home page's two actions and headline
// figures, the demand board's keyword box and "post a demand", filters folded on a phone, search result cards
// with their figures, and a search that found nothing suggesting what to do instead of listing empty filters.
import { expect, test } from '@playwright/test';

test('the home page offers both first steps and the market in four figures, without JavaScript', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/');
	const actions = page.getByTestId('home-actions');
	await expect(actions.getByRole('link', { name: 'ประกาศสิ่งที่ต้องการซื้อ' })).toHaveAttribute(
		'href',
		'/sign-up?as=buyer'
	);
	await expect(actions.getByRole('link', { name: 'ลงทะเบียนเป็นผู้ผลิต' })).toHaveAttribute(
		'href',
		'/sign-up?as=startup'
	);
	const figures = page.getByTestId('headline-figures');
	await expect(figures.locator('[data-figure]')).toHaveCount(4);
	await expect(figures.locator('[data-figure="open"] [data-value]')).toContainText('บาท');
	await expect(figures.locator('[data-figure="startups"] [data-value]')).not.toHaveText('0');
	await expect(figures.locator('[data-figure="deals"] [data-value]')).not.toHaveText('0');
	await figures.locator('[data-figure="open"] a').click();
	await expect(page).toHaveURL(/\/demand$/);
	await context.close();
});

test('the demand board has a keyword box and a way to post a demand, without JavaScript', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/demand');
	await expect(page.getByTestId('post-demand')).toHaveAttribute('href', '/sign-up?as=buyer');
	const all = await page.getByTestId('demand-count').innerText();
	await page.getByRole('searchbox', { name: 'คำค้น' }).fill('ทุเรียน');
	await page.getByRole('button', { name: 'ค้นหา' }).first().click();
	await expect(page).toHaveURL(/q=/);
	await expect(page.getByTestId('demand-count')).not.toHaveText(all);
	const titles = await page.getByTestId('demand-board').locator('h3').allInnerTexts();
	expect(titles.length).toBeGreaterThan(0);
	expect(titles.some((title) => title.includes('ทุเรียน'))).toBe(true);
	// Each card says how much, at what price per unit, by when and since when.
	const card = page.getByTestId('demand-board').locator('article').first();
	await expect(card).toContainText('ต้องการภายใน');
	await expect(card).toContainText('ประกาศเมื่อ');
	await context.close();
});

test('on a phone the board’s filters wait behind their button; on a wide screen they are shown', async ({
	browser
}) => {
	for (const [width, shown] of [
		[390, false],
		[1280, true]
	] as const) {
		const context = await browser.newContext({ viewport: { width, height: 844 }, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/demand');
		const region = page.getByRole('combobox', { name: 'ภาค' });
		if (shown) await expect(region).toBeVisible();
		else {
			await expect(region).toBeHidden();
			await page.getByText('ตัวกรอง', { exact: true }).click();
			await expect(region).toBeVisible();
		}
		await context.close();
	}
});

test('search result cards for demand show quantity, price and dates', async ({ page }) => {
	await page.goto('/search?q=ข้าว&type=demand');
	const figures = page.getByTestId('demand-figures').first();
	await expect(figures).toContainText(/\d/);
	await expect(figures).toContainText('ต้องการภายใน');
	await expect(figures).toContainText('ประกาศเมื่อ');
});

test('a search that finds nothing hides the empty filters and suggests what to do', async ({ page }) => {
	await page.goto('/search?q=xylophone');
	await expect(page.getByTestId('search-count')).toContainText('0');
	await expect(page.getByRole('group', { name: 'จังหวัด' })).toHaveCount(0);
	await expect(page.getByText('ตัวกรอง', { exact: true })).toBeHidden();
	const suggestions = page.getByTestId('suggestions');
	await expect(suggestions.getByRole('link', { name: 'ประกาศ "xylophone" เป็นความต้องการซื้อ' })).toHaveAttribute(
		'href',
		'/sign-up?as=buyer'
	);
});
