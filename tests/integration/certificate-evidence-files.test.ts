// A certificate's evidence as a file (issue 20 item 3), on real PostgreSQL through the startup's own form and the
// private /evidence route: a PDF or a photo (JPEG, PNG, WebP) under the portal's upload rules (recognised by its
// first bytes, not its name; size limits; photos re-encoded without their metadata), served only to its readers
// with the type it was stored as.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntime } from '$lib/server/context';
import * as schema from '$lib/server/db/schema';
import type { Runtime } from '$lib/server/runtime';
import { loadProfile } from '$lib/server/startups/queries';
import { MAX_IMAGE_BYTES } from '$lib/server/uploads/images';
import { buildStartup, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { routeEvent, routeModule, settle, signedInLocals, type Settled } from '../helpers/route-event';

// Uploads are written here, never into the working copy's ./data.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'certificate-evidence-'));

const PAGE = '(app)/startup/certificates/+page.server.ts';
const EVIDENCE = '(app)/evidence/[startupId]/[certificationId]/+server.ts';
const CERT = 'organic-thailand';

let database: TestDatabase;
let startupId: string;
let member: { id: string };
let officer: { id: string };
let officerElsewhere: { id: string };

beforeAll(async () => {
	database = await createTestDatabase();
	setRuntime({ db: database.db, database } as unknown as Runtime);
	const { db } = database;
	const startup = await buildStartup(db, { provinceCode: 'TH-50' });
	startupId = startup.id;
	await db
		.insert(schema.startupCertifications)
		.values({ startupId, certificationId: CERT, certificateNumber: 'OT-1', expiresOn: null });
	// Approved as the office approves: with the snapshot of what it approved.
	await db
		.update(schema.startups)
		.set({ approvedSnapshot: await loadProfile(db, startup) })
		.where(eq(schema.startups.id, startupId));
	member = await buildUser(db, {
		role: 'startup',
		organisationId: startup.organisationId,
		emailVerifiedAt: new Date()
	});
	officer = await buildUser(db, { role: 'officer', provinceCode: 'TH-50', passwordHash: 'x' });
	officerElsewhere = await buildUser(db, { role: 'officer', provinceCode: 'TH-12', passwordHash: 'x' });
}, 120_000);

afterAll(async () => {
	setRuntime(undefined);
	await database?.dispose();
});

async function attach(file: File): Promise<Settled> {
	const form = new FormData();
	form.set('certificationId', CERT);
	form.set('number', 'มกษ. 9000-2569');
	form.set('issuer', 'กรมวิชาการเกษตร');
	form.set('expiresOn', daysFromToday(300));
	form.set('evidence', file);
	const module = await routeModule(PAGE);
	const event = routeEvent({
		locals: await signedInLocals(database.db, member.id),
		method: 'POST',
		body: form
	});
	const actions = module.actions as Record<string, (e: unknown) => unknown>;
	return settle(() => actions.evidence!(event));
}

async function download(userId: string): Promise<Settled> {
	const module = await routeModule(EVIDENCE);
	const event = routeEvent({
		locals: await signedInLocals(database.db, userId),
		method: 'GET',
		params: { startupId, certificationId: CERT }
	});
	return settle(() => (module.GET as (e: unknown) => unknown)(event));
}

const evidencePath = async () =>
	(
		await database.db
			.select({ path: schema.startupCertifications.evidencePath })
			.from(schema.startupCertifications)
			.where(
				and(
					eq(schema.startupCertifications.startupId, startupId),
					eq(schema.startupCertifications.certificationId, CERT)
				)
			)
	)[0]!.path;

/** A small photo with a made-up camera note in its metadata, as a phone would send it. */
const photo = (format: 'jpeg' | 'png' | 'webp', red: number) =>
	sharp({ create: { width: 40, height: 30, channels: 3, background: { r: red, g: 90, b: 40 } } })
		.withExif({ IFD0: { Copyright: 'SECRET-CAMERA-NOTE' } })
		.toFormat(format)
		.toBuffer();

describe('certificate evidence files', () => {
	it('accepts a JPEG, PNG or WebP photo, stored privately as WebP without its metadata and served as such', async () => {
		let previous: string | null = null;
		for (const [format, red] of [
			['jpeg', 200],
			['png', 150],
			['webp', 100]
		] as const) {
			const bytes = await photo(format, red);
			// Named as a PDF on purpose: the first bytes decide, not the name.
			const result = await attach(new File([bytes], 'certificate.pdf', { type: 'application/pdf' }));
			expect(result, format).toMatchObject({ kind: 'data', value: { saved: CERT } });
			const stored = await evidencePath();
			expect(stored).toMatch(/^documents\/[0-9a-f]{64}\.webp$/);
			expect(stored).not.toBe(previous);
			previous = stored;
			const served = await download(member.id);
			expect(served.kind).toBe('data');
			const response = (served as { value: Response }).value;
			expect(response.headers.get('content-type')).toBe('image/webp');
			expect(response.headers.get('cache-control')).toBe('private, no-store');
			expect(response.headers.get('content-disposition')).toMatch(/\.webp"?;/);
			const body = Buffer.from(await response.arrayBuffer());
			expect(body.subarray(8, 12).toString('ascii')).toBe('WEBP');
			expect(body.includes('SECRET-CAMERA-NOTE')).toBe(false);
		}
		// The office reads it; another province's office is told it does not exist.
		expect((await download(officer.id)).kind).toBe('data');
		expect(await download(officerElsewhere.id)).toMatchObject({ kind: 'http', status: 404 });
	});

	it('still accepts a PDF, served as a PDF', async () => {
		const pdf = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n';
		expect(await attach(new File([pdf], 'scan.png', { type: 'image/png' }))).toMatchObject({ kind: 'data' });
		expect(await evidencePath()).toMatch(/^documents\/[0-9a-f]{64}\.pdf$/);
		const response = ((await download(member.id)) as { value: Response }).value;
		expect(response.headers.get('content-type')).toBe('application/pdf');
	});

	it('refuses anything else, a photo over the limit and a disguised file, keeping the evidence it had', async () => {
		const kept = await evidencePath();
		const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
		const cases: [string, File, string][] = [
			['a GIF', new File([gif], 'certificate.png', { type: 'image/png' }), 'document_type'],
			['text', new File(['hello'], 'certificate.jpg', { type: 'image/jpeg' }), 'document_type'],
			[
				'a PNG over the limit',
				new File(
					[
						Buffer.concat([
							Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
							Buffer.alloc(MAX_IMAGE_BYTES)
						])
					],
					'big.png',
					{ type: 'image/png' }
				),
				'image_too_large'
			],
			[
				'a JPEG signature on garbage',
				new File([Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(500, 7)])], 'x.jpg'),
				'image_unreadable'
			]
		];
		for (const [name, file, code] of cases) {
			const result = await attach(file);
			expect(result.kind, name).toBe('failure');
			expect(JSON.stringify((result as { data: unknown }).data), name).toContain(code);
			expect(await evidencePath(), name).toBe(kept);
		}
	});
});
