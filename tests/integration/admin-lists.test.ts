// The administrators' startup list filtered and paged, the audit trail naming what it records, and the API
// reference readable in Thai.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSubjectText } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { openApiDocument } from '$lib/server/api/openapi';
import { ENDPOINTS } from '$lib/server/api/registry';
import { auditSubjectNames } from '$lib/server/offices/queries';
import { ADMIN_STARTUPS_PAGE_SIZE, startupsForAdmin } from '$lib/server/startups/queries';
import { buildOrganisation, buildStartup } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

describe('the administrators’ startup list', () => {
	it('filters by province and status and pages the rest', async () => {
		const { db } = database;
		const tag = `Paged ${Date.now()}`;
		for (let i = 0; i < ADMIN_STARTUPS_PAGE_SIZE + 2; i++)
			await buildStartup(db, { provinceCode: 'TH-40', nameEn: `${tag} ${String(i).padStart(3, '0')}` });
		await buildStartup(db, { provinceCode: 'TH-40', status: 'submitted', nameEn: `${tag} waiting` });
		await buildStartup(db, { provinceCode: 'TH-41', status: 'submitted', nameEn: `${tag} elsewhere` });

		const first = await startupsForAdmin(db, { q: tag, province: 'TH-40', status: 'approved' });
		expect(first.total).toBe(ADMIN_STARTUPS_PAGE_SIZE + 2);
		expect(first.startups).toHaveLength(ADMIN_STARTUPS_PAGE_SIZE);
		const second = await startupsForAdmin(db, { q: tag, province: 'TH-40', status: 'approved', page: 2 });
		expect(second.startups).toHaveLength(2);
		const seen = new Set([...first.startups, ...second.startups].map((s) => s.id));
		expect(seen.size).toBe(ADMIN_STARTUPS_PAGE_SIZE + 2);

		const waiting = await startupsForAdmin(db, { q: tag, province: 'TH-40', status: 'submitted' });
		expect(waiting.startups.map((s) => s.nameEn)).toEqual([`${tag} waiting`]);
		const anywhere = await startupsForAdmin(db, { q: tag, status: 'submitted' });
		expect(anywhere.total).toBe(2);
	});
});

describe('the audit trail', () => {
	it('names a selection by its province and year, a startup by its name, and leaves unknown ids as they are', async () => {
		const { db } = database;
		const startup = await buildStartup(db, { provinceCode: 'TH-40', nameTh: 'ทดสอบชื่อ', nameEn: 'Named Co' });
		const year = new Date().getFullYear();
		const events = [
			{ subjectType: 'province_selection', subjectId: `TH-40/${year}` },
			{ subjectType: 'startup', subjectId: startup.id },
			{ subjectType: 'startup', subjectId: 'not-a-uuid' },
			{ subjectType: 'office', subjectId: 'TH-40' }
		];
		const names = await auditSubjectNames(db, events);
		const selection = names[`province_selection:TH-40/${year}`];
		expect(selection).toEqual({ th: 'ขอนแก่น', en: 'Khon Kaen', year });
		expect(auditSubjectText('province_selection', `TH-40/${year}`, selection)).toBe(
			`การคัดเลือกประจำปี พ.ศ. ${year + 543}: ขอนแก่น`
		);
		expect(auditSubjectText('startup', startup.id, names[`startup:${startup.id}`])).toBe('สตาร์ทอัพ ทดสอบชื่อ');
		expect(names['startup:not-a-uuid']).toBeUndefined();
		expect(auditSubjectText('startup', 'not-a-uuid', undefined)).toBe('startup not-a-uuid');
		expect(names['office:TH-40']).toMatchObject({ en: 'Khon Kaen' });
	});

	it('names an organisation the office verified, as officers read their trail', async () => {
		const { db } = database;
		const organisation = await buildOrganisation(db, { kind: 'buyer', name: 'โรงแรมริมน้ำ' });
		const names = await auditSubjectNames(db, [{ subjectType: 'organisation', subjectId: organisation.id }]);
		const key = `organisation:${organisation.id}`;
		expect(auditSubjectText('organisation', organisation.id, names[key])).toBe('องค์กร โรงแรมริมน้ำ');
	});
});

describe('the API reference', () => {
	it('has every operation’s summary and description in Thai, and in English as the OpenAPI document says', () => {
		const catalogue = m as unknown as Record<
			string,
			((i?: object, o?: { locale: 'th' | 'en' }) => string) | undefined
		>;
		const document = openApiDocument(ENDPOINTS, 'http://portal.test');
		const operations = Object.values(document.paths).flatMap((methods) =>
			Object.values(methods as Record<string, { operationId: string; summary: string; description?: string }>)
		);
		expect(operations.length).toBeGreaterThan(10);
		for (const operation of operations) {
			const texts = [['summary', operation.summary]] as [string, string | undefined][];
			if (operation.description) texts.push(['description', operation.description]);
			for (const [kind, english] of texts) {
				const message = catalogue[`api_docs_${kind}_${operation.operationId}`];
				expect(message, `${kind} of ${operation.operationId}`).toBeDefined();
				expect(message!({}, { locale: 'en' })).toBe(english);
				expect(message!({}, { locale: 'th' })).toMatch(/[\u0E00-\u0E7F]/);
			}
		}
	});
});
