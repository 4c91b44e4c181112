// Search result cards show a product photo as the public sees the startup: from its approved profile, for public
// startups only, never a photo added since approval and waiting for review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicProductPhotos } from '$lib/server/startups/queries';
import { buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;

const PHOTO = (c: string) => `products/${c.repeat(64)}.webp`;
const product = (nameTh: string, photoPath: string | null) => ({
	id: crypto.randomUUID(),
	nameTh,
	nameEn: null,
	unit: 'kg' as const,
	monthlyCapacity: 10,
	priceThbMin: null,
	priceThbMax: null,
	photoPath
});
const snapshot = (products: ReturnType<typeof product>[]) => ({
	nameTh: 'ทดสอบ',
	nameEn: null,
	summaryTh: null,
	summaryEn: null,
	provinceCode: 'TH-50',
	contactEmail: null,
	phone: null,
	website: null,
	logoPath: null,
	divisions: [],
	certifications: [],
	products
});

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

describe('publicProductPhotos', () => {
	it('gives the first approved product with a photo, for public startups only', async () => {
		const { db } = database;
		const approved = await buildStartup(db, {
			approvedSnapshot: snapshot([
				product('ไม่มีรูป', null),
				product('มีรูป', PHOTO('a')),
				product('อีกรูป', PHOTO('b'))
			])
		});
		const reReview = await buildStartup(db, {
			status: 'submitted',
			approvedSnapshot: snapshot([product('รอตรวจ', PHOTO('c'))])
		});
		const suspended = await buildStartup(db, {
			status: 'suspended',
			approvedSnapshot: snapshot([product('ถูกระงับ', PHOTO('d'))])
		});
		const withoutPhotos = await buildStartup(db, { approvedSnapshot: snapshot([product('ไม่มีรูป', null)]) });

		const photos = await publicProductPhotos(db, [approved.id, reReview.id, suspended.id, withoutPhotos.id]);

		expect(photos).toEqual({
			[approved.id]: { photoPath: PHOTO('a'), nameTh: 'มีรูป', nameEn: null },
			[reReview.id]: { photoPath: PHOTO('c'), nameTh: 'รอตรวจ', nameEn: null }
		});
		expect(await publicProductPhotos(db, [])).toEqual({});
	});
});
