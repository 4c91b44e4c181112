// A lot's photos and documents (issue 23) on a real database and disk: the upload rules (signature, size) refuse
// a disguised file and store nothing; a photo is public once the lot is approved; a document (a lab analysis) is
// read by the owner, the other side of a live agreement, the province's office and an administrator, and by
// nobody else (not the office of another province, not a stranger, not the side of a declined agreement); the
// orphan sweep keeps what a lot names.
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { env } from '$lib/server/env';
import { uploadFile } from '$lib/server/uploads/images';
import { collectOrphanUploads } from '$lib/server/uploads/orphans';
import {
	addLotFile,
	LOT_FILE_LIMITS,
	publicPhotos,
	readableLotFile,
	removeLotFile
} from '$lib/server/waste/files';
import type { WasteActor } from '$lib/server/waste/service';
import { buildOrganisation, buildUser } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

async function member(provinceCode: string) {
	const n = ++counter;
	const organisation = await buildOrganisation(database.db, {
		kind: 'buyer',
		provinceCode,
		name: `Plant ${n}`
	});
	const user = await buildUser(database.db, {
		role: 'buyer',
		organisationId: organisation.id,
		email: `files-${n}@plant.test`
	});
	const actor: WasteActor = { id: user.id, email: user.email, organisationId: organisation.id };
	return { actor, reader: { role: 'buyer', organisationId: organisation.id, provinceCode: null } };
}

async function lotOf(owner: WasteActor, status: 'submitted' | 'approved') {
	const [row] = await database.db
		.insert(schema.wasteLots)
		.values({
			organisationId: owner.organisationId!,
			provinceCode: 'TH-70',
			nameTh: 'กากตะกอน',
			wasteCode: '020304',
			hazardous: false,
			quantityPerMonth: 5,
			unit: 'tonne',
			handling: 'landfill',
			status
		})
		.returning();
	return row!;
}

const png = async () =>
	new File(
		[
			new Uint8Array(
				await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a7' } })
					.png()
					.toBuffer()
			)
		],
		'peel.png'
	);
const pdf = () =>
	new File([new TextEncoder().encode('%PDF-1.4\n% lab analysis\n%%EOF\n')], 'C:\\lab\\analysis.pdf');

describe('a lot’s photos and documents', () => {
	it('refuses a disguised or missing file by its signature, and stores nothing', async () => {
		const { actor } = await member('TH-70');
		const lot = await lotOf(actor, 'submitted');
		const script = new File([new TextEncoder().encode('<script>alert(1)</script>')], 'photo.png');
		await expect(addLotFile(database.db, actor, lot.id, 'photo', script, 'photo')).rejects.toMatchObject({
			code: 'image_type'
		});
		await expect(
			addLotFile(database.db, actor, lot.id, 'document', script, 'document')
		).rejects.toMatchObject({
			code: 'attachment_type'
		});
		const rows = await database.db
			.select()
			.from(schema.wasteLotFiles)
			.where(eq(schema.wasteLotFiles.lotId, lot.id));
		expect(rows).toEqual([]);
		// Someone else's lot reads as missing.
		const { actor: stranger } = await member('TH-70');
		await expect(
			addLotFile(database.db, stranger, lot.id, 'photo', await png(), 'photo')
		).rejects.toMatchObject({
			code: 'not_found'
		});
	});

	it('shows a photo once the lot is approved, and a document only to those with a part in the lot', async () => {
		const owner = await member('TH-70');
		const lot = await lotOf(owner.actor, 'submitted');
		const photo = await addLotFile(database.db, owner.actor, lot.id, 'photo', await png(), 'photo');
		const analysis = await addLotFile(database.db, owner.actor, lot.id, 'document', pdf(), 'document');
		expect(analysis.name).toBe('analysis.pdf');
		expect(photo.path).toMatch(/^waste\/[0-9a-f]{64}\.webp$/);
		expect(uploadFile(env().dataDir, photo.path)).not.toBeNull();
		expect(uploadFile(env().dataDir, analysis.path)).toBeNull();

		const stranger = await member('TH-76');
		expect(await readableLotFile(database.db, stranger.reader, lot.id, photo.id)).toBeNull();
		expect(await publicPhotos(database.db, [lot.id])).toEqual({});
		await database.db
			.update(schema.wasteLots)
			.set({ status: 'approved' })
			.where(eq(schema.wasteLots.id, lot.id));
		expect((await readableLotFile(database.db, stranger.reader, lot.id, photo.id))?.id).toBe(photo.id);
		expect(await publicPhotos(database.db, [lot.id])).toEqual({ [lot.id]: photo.path });

		const read = (who: { role: string; organisationId: string | null; provinceCode: string | null }) =>
			readableLotFile(database.db, who, lot.id, analysis.id).then((file) => file?.id ?? null);
		expect(await read(owner.reader)).toBe(analysis.id);
		expect(await read(stranger.reader)).toBeNull();
		expect(await read({ role: 'officer', organisationId: null, provinceCode: 'TH-70' })).toBe(analysis.id);
		expect(await read({ role: 'officer', organisationId: null, provinceCode: 'TH-50' })).toBeNull();
		expect(await read({ role: 'admin', organisationId: null, provinceCode: null })).toBe(analysis.id);

		// The receiver of a proposed agreement reads it; once the proposal is declined, no longer.
		const [want] = await database.db
			.insert(schema.materialWants)
			.values({
				organisationId: stranger.actor.organisationId!,
				provinceCode: 'TH-76',
				nameTh: 'ปุ๋ยหมัก',
				wasteCodes: ['020304'],
				quantityPerMonth: 5,
				unit: 'tonne',
				maxDistanceKm: 200
			})
			.returning();
		const [agreement] = await database.db
			.insert(schema.wasteAgreements)
			.values({
				lotId: lot.id,
				wantId: want!.id,
				proposedByOrganisationId: stranger.actor.organisationId!,
				distanceKm: 60
			})
			.returning();
		expect(await read(stranger.reader)).toBe(analysis.id);
		await database.db
			.update(schema.wasteAgreements)
			.set({ status: 'declined' })
			.where(eq(schema.wasteAgreements.id, agreement!.id));
		expect(await read(stranger.reader)).toBeNull();

		// The sweep keeps both files while the lot names them; removing one is audited.
		expect(
			await collectOrphanUploads(database.db, env().dataDir, {
				minAgeMs: 0,
				only: [photo.path, analysis.path]
			})
		).toEqual([]);
		await removeLotFile(database.db, owner.actor, lot.id, analysis.id);
		const audit = await database.db
			.select({ action: schema.auditEvents.action })
			.from(schema.auditEvents)
			.where(eq(schema.auditEvents.subjectId, lot.id));
		expect(audit.map((a) => a.action).sort()).toEqual([
			'waste_lot.file_add',
			'waste_lot.file_add',
			'waste_lot.file_remove'
		]);
	});

	it(`keeps at most ${LOT_FILE_LIMITS.document} documents on a lot`, async () => {
		const { actor } = await member('TH-70');
		const lot = await lotOf(actor, 'approved');
		for (let i = 0; i < LOT_FILE_LIMITS.document; i++)
			await addLotFile(database.db, actor, lot.id, 'document', pdf(), 'document');
		await expect(addLotFile(database.db, actor, lot.id, 'document', pdf(), 'document')).rejects.toMatchObject(
			{
				code: 'waste_files_too_many'
			}
		);
	});
});
