// Certificates that expire and certificates the office checks, on the real PostgreSQL and the real Meilisearch:
// an expired certificate no longer satisfies a demand on either engine (from the day after its expiry, without the
// startup being indexed again); offers' comparison and the startup's suggestions read the day too; the 30-day
// reminder goes once; evidence is the startup's own to attach and its province's office's to check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as schema from '$lib/server/db/schema';
import { matchDemandsForStartup, matchStartupsForDemand } from '$lib/server/matching/service';
import { createSearchClient, type Meilisearch } from '$lib/server/search/client';
import { applyIndexSettings } from '$lib/server/search/indexes';
import { drainOutboxOnce, enqueueSearchSync } from '$lib/server/search/outbox';
import type { MeiliProcess } from '$lib/server/search/process';
import { searchPortal } from '$lib/server/search/query';
import { emptyFacets } from '$lib/server/search/filters';
import { offersForComparison } from '$lib/server/demands/queries';
import { certificatesWaitingForCheck, evidenceForReader } from '$lib/server/certificates/queries';
import {
	decideCertificate,
	dropCoverageOfLapsedCertificates,
	remindExpiringCertificates
} from '$lib/server/certificates/service';
import { saveCertificateEvidence, saveProfile } from '$lib/server/startups/service';
import { loadProfile } from '$lib/server/startups/queries';
import { profileSchema } from '$lib/schemas/startup';
import { addDays } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';
import { buildDemand, buildProduct, buildStartup, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestMeili } from '../helpers/meili';

let database: TestDatabase;
let meili: MeiliProcess;
let client: Meilisearch;
const ids: Record<string, string> = {};
const today = todayInThailand();
const tomorrow = new Date(Date.now() + 86_400_000);
const origin = 'http://portal.test';

async function riceFarm(key: string, expiresOn: string | null, province = 'TH-12') {
	const { db } = database;
	const row = await buildStartup(db, { provinceCode: province, nameTh: `${key} ฟาร์ม`, nameEn: null });
	await buildProduct(db, row.id, {
		nameTh: 'ข้าวหอมมะลิอินทรีย์',
		nameEn: null,
		unit: 'kg',
		monthlyCapacity: 3000
	});
	await db.insert(schema.startupDivisions).values({ startupId: row.id, divisionCode: '01' });
	await db.insert(schema.startupCertifications).values({
		startupId: row.id,
		certificationId: 'organic-thailand',
		certificateNumber: `OT-${key}`,
		expiresOn
	});
	// Approved as the office approves: with the snapshot of what it approved.
	await db
		.update(schema.startups)
		.set({ approvedSnapshot: await loadProfile(db, row) })
		.where(eq(schema.startups.id, row.id));
	await enqueueSearchSync(db, 'startup', [row.id]);
	ids[key] = row.id;
	return row;
}

const drain = async () => {
	while ((await drainOutboxOnce(database.db, client)).processed > 0);
};

beforeAll(async () => {
	[database, meili] = await Promise.all([createTestDatabase(), startTestMeili()]);
	client = createSearchClient(meili.url, meili.masterKey);
	await applyIndexSettings(client);
	await riceFarm('expired', daysFromToday(-1));
	await riceFarm('lastDay', today);
	await riceFarm('lasting', null);
	const demand = await buildDemand(
		database.db,
		{ titleTh: 'ข้าวหอมมะลิอินทรีย์', unit: 'kg', quantity: 1000, deliveryProvinceCode: 'TH-12' },
		['organic-thailand']
	);
	ids.demand = demand.id;
	await enqueueSearchSync(database.db, 'demand', [demand.id]);
	await drain();
}, 120_000);

afterAll(async () => {
	await Promise.all([database?.dispose(), meili?.stop()]);
});

const matchedIds = async (engine: 'meili' | 'fallback', now?: Date) => {
	const result = await matchStartupsForDemand(database.db, client, ids.demand!, { engine, now, limit: 50 });
	expect(result.engine).toBe(engine);
	return result.matches.map((m) => m.id).sort();
};

describe('an expired certificate stops counting', () => {
	it.each(['meili', 'fallback'] as const)(
		'no longer satisfies a required certificate on %s, from the day after its expiry',
		async (engine) => {
			expect(await matchedIds(engine)).toEqual([ids.lastDay, ids.lasting].sort());
			// Tomorrow, without reindexing: the certificate that expires today no longer counts either.
			expect(await matchedIds(engine, tomorrow)).toEqual([ids.lasting]);
		}
	);

	it.each(['meili', 'fallback'] as const)(
		'keeps an expired certificate from matching demands for its startup on %s',
		async (engine) => {
			const forExpired = await matchDemandsForStartup(database.db, client, ids.expired!, { engine });
			expect(forExpired.matches.map((m) => m.id)).not.toContain(ids.demand);
			const forLasting = await matchDemandsForStartup(database.db, client, ids.lasting!, { engine });
			expect(forLasting.matches.map((m) => m.id)).toContain(ids.demand);
		}
	);

	it('is left out of the certificate facet of the public search on both engines', async () => {
		for (const engine of [client, null]) {
			const result = await searchPortal(database.db, engine, '', {
				type: 'startup',
				facets: { ...emptyFacets(), cert: ['organic-thailand'] }
			});
			const found = result.hits.map((h) => h.id);
			expect(found).toContain(ids.lasting);
			expect(found).not.toContain(ids.expired);
		}
	});

	it('reads as missing in the comparison of offers, with the held one checked or declared', async () => {
		const { db } = database;
		for (const key of ['expired', 'lasting']) {
			await db.insert(schema.offers).values({
				demandId: ids.demand!,
				startupId: ids[key]!,
				quantity: 500,
				unitPriceThb: 40,
				leadTimeDays: 7
			});
		}
		const rows = await offersForComparison(
			db,
			{ id: ids.demand!, quantity: 1000, priceThbMax: null, deliveryProvinceCode: 'TH-12' },
			['organic-thailand']
		);
		const of = (key: string) => rows.find((r) => r.offer.startupId === ids[key])!;
		expect(of('expired').certificationsMissing).toEqual(['organic-thailand']);
		expect(of('expired').termsFlags).toContain('certification_missing');
		expect(of('lasting').certificationsHeld).toEqual(['organic-thailand']);
		expect(of('lasting').certificationsChecked).toEqual([]);
	});

	it('drops the gap coverage of demands matched by a startup whose certificate lapsed since the last run', async () => {
		const { db } = database;
		await db
			.insert(schema.demandCoverage)
			.values({ demandId: ids.demand!, goodMatches: 1, computedAt: new Date() });
		await db
			.insert(schema.demandMatches)
			.values({ demandId: ids.demand!, startupId: ids.lastDay!, score: 0.8 });
		// The first run today sees yesterday's expiry (not today's: that one is still valid).
		expect(await dropCoverageOfLapsedCertificates(db)).toBe(0);
		// Tomorrow the certificate that expired today lapses: the demand it helped cover is computed again.
		expect(await dropCoverageOfLapsedCertificates(db, tomorrow)).toBe(1);
		expect(
			await db.select().from(schema.demandCoverage).where(eq(schema.demandCoverage.demandId, ids.demand!))
		).toEqual([]);
		expect(await dropCoverageOfLapsedCertificates(db, tomorrow)).toBe(0);
	});
});

describe('the reminder 30 days before a certificate expires', () => {
	it('is sent once, in-app and by email, and again after a renewal', async () => {
		const { db } = database;
		const farm = await riceFarm('reminded', addDays(today, 30), 'TH-40');
		await riceFarm('notYet', addDays(today, 31), 'TH-40');
		const member = await buildUser(db, {
			role: 'startup',
			organisationId: farm.organisationId,
			locale: 'th'
		});
		const notYetMember = await buildUser(db, {
			role: 'startup',
			organisationId: (await db.select().from(schema.startups).where(eq(schema.startups.id, ids.notYet!)))[0]!
				.organisationId
		});
		const sent = await remindExpiringCertificates(db, 'http://portal.test');
		// The two certificates expiring today and tomorrow-ish in the first describe are within 30 days as well.
		expect(sent).toBeGreaterThanOrEqual(1);
		const notices = (userId: string) =>
			db.select().from(schema.notifications).where(eq(schema.notifications.userId, userId));
		expect((await notices(member.id)).map((n) => n.kind)).toEqual(['certificate_expiring']);
		expect(await notices(notYetMember.id)).toEqual([]);
		const mail = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, member.email));
		expect(mail).toHaveLength(1);
		expect(mail[0]!.bodyText).toContain('/startup/certificates');
		// Once: the next rounds send nothing more.
		expect(await remindExpiringCertificates(db, 'http://portal.test')).toBe(0);
		expect(await notices(member.id)).toHaveLength(1);
		// Renewed, but still within 30 days: a new expiry gets its own reminder.
		await db
			.update(schema.startupCertifications)
			.set({ expiresOn: addDays(today, 20) })
			.where(eq(schema.startupCertifications.startupId, farm.id));
		expect(await remindExpiringCertificates(db, 'http://portal.test')).toBe(1);
		expect(await notices(member.id)).toHaveLength(2);
		// The day the other certificate enters its 30 days, it is reminded too.
		expect(await remindExpiringCertificates(db, 'http://portal.test', tomorrow)).toBe(1);
		expect(await notices(notYetMember.id)).toHaveLength(1);
	});
});

describe('certificate evidence', () => {
	// A new number and expiry: the office checks them as evidence, the profile is not sent back for review.
	const evidence = { number: 'มกษ. 9000-2569', issuer: 'กรมวิชาการเกษตร', expiresOn: daysFromToday(200) };
	const storedFile = (name: string) => `documents/${name.padEnd(64, '0')}.pdf`;

	it('is attached by the startup to its own certificate only, and waits for its office', async () => {
		const { db } = database;
		const farm = await riceFarm('evidence', daysFromToday(100), 'TH-50');
		const member = await buildUser(db, { role: 'startup', organisationId: farm.organisationId });
		const other = await buildUser(db, {
			role: 'startup',
			organisationId: (await buildStartup(db, { provinceCode: 'TH-50' })).organisationId
		});
		// Another startup's member finds no such certificate: its own startup does not hold it.
		await expect(
			saveCertificateEvidence(db, other, 'organic-thailand', evidence, storedFile('b'), origin)
		).rejects.toMatchObject({ code: 'not_found' });
		// The first evidence needs a file.
		await expect(
			saveCertificateEvidence(db, member, 'organic-thailand', evidence, undefined, origin)
		).rejects.toMatchObject({
			code: 'evidence_file_missing'
		});
		const officeBefore = await buildUser(db, { role: 'officer', provinceCode: 'TH-50', passwordHash: 'x' });
		const elsewhereBefore = await buildUser(db, {
			role: 'officer',
			provinceCode: 'TH-12',
			passwordHash: 'x'
		});
		await saveCertificateEvidence(db, member, 'organic-thailand', evidence, storedFile('a'), origin);
		// The province's officers are told the evidence waits for their check, in-app and by email; no one else.
		const toldOf = (userId: string) =>
			db
				.select()
				.from(schema.notifications)
				.where(
					and(eq(schema.notifications.userId, userId), eq(schema.notifications.kind, 'certificate_waiting'))
				);
		const told = await toldOf(officeBefore.id);
		expect(told.map((n) => (n.payload as { link: string }).link)).toEqual(['/office/TH-50/certificates']);
		const mail = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, officeBefore.email));
		expect(mail).toHaveLength(1);
		expect(mail[0]!.bodyText).toContain('evidence ฟาร์ม');
		expect(await toldOf(elsewhereBefore.id)).toEqual([]);
		// The file is the startup's, its office's and the administrators' to read; nobody else's.
		const readers = {
			member,
			office: await buildUser(db, { role: 'officer', provinceCode: 'TH-50' }),
			admin: await buildUser(db, { role: 'admin' }),
			other,
			elsewhere: await buildUser(db, { role: 'officer', provinceCode: 'TH-12' })
		};
		const read = async (reader: (typeof readers)[keyof typeof readers]) =>
			evidenceForReader(db, reader, farm.id, 'organic-thailand');
		expect(await read(readers.member)).toBe(storedFile('a'));
		expect(await read(readers.office)).toBe(storedFile('a'));
		expect(await read(readers.admin)).toBe(storedFile('a'));
		expect(await read(readers.other)).toBeNull();
		expect(await read(readers.elsewhere)).toBeNull();
		const [after] = await db.select().from(schema.startups).where(eq(schema.startups.id, farm.id));
		expect(after!.status).toBe('approved');
		const waiting = await certificatesWaitingForCheck(db, 'TH-50');
		expect(waiting.map((w) => [w.startupId, w.certificationId, w.number, w.issuer])).toEqual([
			[farm.id, 'organic-thailand', evidence.number, evidence.issuer]
		]);
		expect(await certificatesWaitingForCheck(db, 'TH-12')).toEqual([]);
	});

	it('is checked only by its province office, audited, and then matches as checked until the expiry changes', async () => {
		const { db } = database;
		const officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50' });
		const elsewhere = await buildUser(db, { role: 'officer', provinceCode: 'TH-12' });
		// Another province's office: the certificate reads as missing.
		await expect(
			decideCertificate(db, elsewhere, 'TH-12', ids.evidence!, 'organic-thailand', {
				startupId: ids.evidence!,
				certificationId: 'organic-thailand',
				decision: 'check'
			})
		).rejects.toMatchObject({ code: 'not_found' });
		await decideCertificate(db, officer, 'TH-50', ids.evidence!, 'organic-thailand', {
			startupId: ids.evidence!,
			certificationId: 'organic-thailand',
			decision: 'check'
		});
		// Decided once: a second answer is refused.
		await expect(
			decideCertificate(db, officer, 'TH-50', ids.evidence!, 'organic-thailand', {
				startupId: ids.evidence!,
				certificationId: 'organic-thailand',
				decision: 'refuse',
				reason: 'x'
			})
		).rejects.toMatchObject({ code: 'certificate_not_waiting' });
		const audit = await db
			.select()
			.from(schema.auditEvents)
			.where(
				and(
					eq(schema.auditEvents.subjectId, ids.evidence!),
					eq(schema.auditEvents.action, 'startup.certificate_check')
				)
			);
		expect(audit).toHaveLength(1);
		expect(audit[0]!.actorId).toBe(officer.id);
		expect(await certificatesWaitingForCheck(db, 'TH-50')).toEqual([]);
		await drain();
		for (const engine of ['meili', 'fallback'] as const) {
			const result = await matchStartupsForDemand(db, client, ids.demand!, { engine, limit: 50 });
			const match = result.matches.find((m) => m.id === ids.evidence);
			expect(match?.reasons.certificationsChecked).toEqual(['organic-thailand']);
			const declared = result.matches.find((m) => m.id === ids.lasting);
			expect(declared?.reasons.certificationsChecked).toEqual([]);
		}
		// The profile form changing the expiry makes the certificate declared again; its evidence stays.
		const [farm] = await db.select().from(schema.startups).where(eq(schema.startups.id, ids.evidence!));
		const member = (
			await db.select().from(schema.users).where(eq(schema.users.organisationId, farm!.organisationId))
		)[0]!;
		const profile = await loadProfile(db, farm!);
		await saveProfile(
			db,
			member,
			profileSchema.parse({
				nameTh: profile.nameTh ?? 'ฟาร์ม',
				nameEn: '',
				summaryTh: '',
				summaryEn: '',
				contactEmail: '',
				phone: '',
				website: '',
				divisions: ['01'],
				certifications: [{ id: 'organic-thailand', number: evidence.number, expiresOn: daysFromToday(300) }]
			})
		);
		const [row] = await db
			.select()
			.from(schema.startupCertifications)
			.where(eq(schema.startupCertifications.startupId, ids.evidence!));
		expect(row!.checkedAt).toBeNull();
		expect(row!.evidencePath).not.toBeNull();
		expect(row!.issuer).toBe(evidence.issuer);
	});
});
