// The by-product exchange on a real database (issue 23): a lot is listed, approved by its own office, matched to
// receivers by code, licence and distance, agreed, taken through the checklist and transferred; only a confirmed
// transfer counts in the figures, and nobody outside the two parties can act on it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, wasteLots } from '$lib/server/db/schema';
import { codeOf } from '../helpers/errors';
import { agreementView, lotById, wantById, wasteFiguresByProvince } from '$lib/server/waste/queries';
import {
	closeWant,
	confirmTransfer,
	createLot,
	createWant,
	decideAgreement,
	updateLot,
	updateWant,
	withdrawAgreement,
	withdrawLot,
	matchesForLot,
	matchesForWant,
	proposeAgreement,
	recordTransfer,
	reviewLot,
	setTransportRate,
	updatePermitStep,
	setLotAvailability,
	type WasteActor
} from '$lib/server/waste/service';
import { materialWantSchema, wasteLotSchema, wasteTransferSchema } from '$lib/schemas/waste';
import { buildOrganisation, buildUser, daysFromToday } from '../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let counter = 0;

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

async function member(kind: 'startup' | 'buyer', provinceCode: string | null): Promise<WasteActor> {
	const n = ++counter;
	const organisation = await buildOrganisation(database.db, { kind, provinceCode, name: `Org ${n}` });
	const user = await buildUser(database.db, {
		role: kind,
		organisationId: organisation.id,
		email: `waste-${n}@factory.test`
	});
	return { id: user.id, email: user.email, organisationId: organisation.id };
}

async function officer(provinceCode: string): Promise<WasteActor> {
	const user = await buildUser(database.db, {
		role: 'officer',
		provinceCode,
		email: `officer-${++counter}@office.test`
	});
	return { id: user.id, email: user.email, organisationId: null };
}

const lotForm = (overrides: Record<string, string> = {}) =>
	wasteLotSchema.parse({
		nameTh: 'เปลือกผลไม้จากโรงงานแปรรูป',
		nameEn: 'fruit peel',
		wasteCode: '02 03 04',
		quantityPerMonth: '20',
		unit: 'tonne',
		provinceCode: 'TH-70',
		handling: 'landfill',
		priceThb: '-150',
		availableNow: 'yes',
		...overrides
	});

const wantForm = (overrides: Record<string, unknown> = {}) =>
	materialWantSchema.parse({
		nameTh: 'เศษพืชและเปลือกผลไม้สำหรับทำปุ๋ยหมัก',
		nameEn: '',
		wasteCodes: ['020301'],
		quantityPerMonth: '30000',
		unit: 'kg',
		provinceCode: 'TH-73',
		maxDistanceKm: '150',
		priceThb: '0',
		licenceClass: '',
		licenceNumber: '',
		...overrides
	});

async function approvedLot(sender: WasteActor, overrides: Record<string, string> = {}) {
	const lot = await createLot(database.db, sender, lotForm(overrides), { submit: true });
	await reviewLot(database.db, await officer(lot.provinceCode), lot.provinceCode, lot.id, {
		decision: 'approve',
		reason: null
	});
	return { ...lot, status: 'approved' as const };
}

const auditOf = async (subjectId: string) =>
	(
		await database.db
			.select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after })
			.from(auditEvents)
			.where(eq(auditEvents.subjectId, subjectId))
			.orderBy(auditEvents.at)
	).map((row) => ({
		...row,
		before: row.before as Record<string, unknown>,
		after: row.after as Record<string, unknown>
	}));

describe('the by-product exchange', () => {
	it('takes fruit peel from Ratchaburi to a composter in Nakhon Pathom and counts the tonnes diverted', async () => {
		const { db } = database;
		const factory = await member('buyer', 'TH-70');
		const composter = await member('startup', 'TH-73');
		await setTransportRate(db, await officer('TH-10'), 2.5);

		const draft = await createLot(db, factory, lotForm(), { submit: true });
		expect(draft.hazardous).toBe(false);
		expect(draft.priceThb).toBe(-150);
		// Another province's office cannot review it; its own can.
		expect(
			await codeOf(() => reviewLot(db, factory, 'TH-73', draft.id, { decision: 'approve', reason: null }))
		).toBe('not_found');
		await reviewLot(db, await officer('TH-70'), 'TH-70', draft.id, { decision: 'approve', reason: null });
		const want = await createWant(db, composter, wantForm());

		const forWant = await matchesForWant(db, composter, want);
		expect(forWant.map((match) => match.lot.id)).toEqual([draft.id]);
		expect(forWant[0]!.codeFit).toBe('same_sub_chapter');
		expect(forWant[0]!.distanceKm).toBeGreaterThan(0);
		expect(forWant[0]!.distanceKm).toBeLessThanOrEqual(150);
		expect(forWant[0]!.transportThbPerMonth).toBe(Math.round(20 * forWant[0]!.distanceKm * 2.5));
		const lot = { ...draft, status: 'approved' as const };
		expect((await matchesForLot(db, factory, lot)).map((match) => match.want.id)).toEqual([want.id]);

		const agreement = await proposeAgreement(db, composter, lot.id, want.id);
		expect(await codeOf(() => decideAgreement(db, composter, agreement.id, 'agree'))).toBe(
			'waste_agreement_own'
		);
		await decideAgreement(db, factory, agreement.id, 'agree');

		const transfer = wasteTransferSchema.parse({
			transferredOn: daysFromToday(0),
			quantity: '20',
			receiverLicence: '',
			valueThb: '-3000'
		});
		// Nothing moves before the checklist is through; a non-hazardous lot needs no manifest.
		expect(await codeOf(() => recordTransfer(db, factory, agreement.id, transfer))).toBe(
			'checklist_incomplete'
		);
		let view = await agreementView(db, agreement.id);
		expect(view!.steps.map((step) => [step.step, step.status])).toEqual([
			['removal_permit', 'todo'],
			['licensed_receiver', 'todo'],
			['transport_manifest', 'not_needed']
		]);
		expect(
			await codeOf(() =>
				updatePermitStep(db, factory, agreement.id, {
					step: 'removal_permit',
					status: 'not_needed',
					reference: null
				})
			)
		).toBe('permit_required');
		await updatePermitStep(db, factory, agreement.id, {
			step: 'removal_permit',
			status: 'done',
			reference: 'สก.2 เลขที่ 123/2569'
		});
		await updatePermitStep(db, composter, agreement.id, {
			step: 'licensed_receiver',
			status: 'done',
			reference: null
		});
		// Only the sender records; only the receiver confirms.
		expect(await codeOf(() => recordTransfer(db, composter, agreement.id, transfer))).toBe('not_allowed');
		await recordTransfer(db, factory, agreement.id, transfer);
		view = await agreementView(db, agreement.id);
		const recorded = view!.transfers[0]!;
		const before = (await wasteFiguresByProvince(db)).find((row) => row.provinceCode === 'TH-70');
		expect(before?.divertedTonnes ?? 0).toBe(0);
		expect(await codeOf(() => confirmTransfer(db, factory, agreement.id, recorded.id))).toBe('not_allowed');
		await confirmTransfer(db, composter, agreement.id, recorded.id);

		const figures = (await wasteFiguresByProvince(db)).find((row) => row.provinceCode === 'TH-70')!;
		expect(figures.divertedTonnes).toBe(20);
		expect(figures.valueThb).toBe(-3000);
		expect(figures.transfers).toBe(1);
		const actions = await db
			.select({ action: auditEvents.action })
			.from(auditEvents)
			.where(and(eq(auditEvents.subjectType, 'waste_agreement'), eq(auditEvents.subjectId, agreement.id)));
		expect(actions.map((row) => row.action).sort()).toEqual([
			'waste_agreement.agree',
			'waste_agreement.propose',
			'waste_agreement.step',
			'waste_agreement.step',
			'waste_transfer.confirm',
			'waste_transfer.record'
		]);
	});

	it('never matches a hazardous lot to a receiver without a licence that may take it', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const lot = await approvedLot(sender, { wasteCode: '160601', nameTh: 'แบตเตอรี่ตะกั่วใช้แล้ว' });
		expect(lot.hazardous).toBe(true);
		const unlicensed = await member('startup', 'TH-70');
		const licensed = await member('buyer', 'TH-76');
		const plain = await createWant(
			db,
			unlicensed,
			wantForm({ wasteCodes: ['160601'], provinceCode: 'TH-70' })
		);
		const recycler = await createWant(
			db,
			licensed,
			wantForm({
				wasteCodes: ['160601'],
				provinceCode: 'TH-76',
				licenceClass: '106',
				licenceNumber: '3-106-1/60'
			})
		);
		expect(await matchesForWant(db, unlicensed, plain)).toEqual([]);
		expect((await matchesForWant(db, licensed, recycler)).map((m) => m.lot.id)).toEqual([lot.id]);
		expect((await matchesForLot(db, sender, lot)).map((m) => m.want.id)).toEqual([recycler.id]);
		expect(await codeOf(() => proposeAgreement(db, unlicensed, lot.id, plain.id))).toBe(
			'waste_excluded_licence'
		);
		// A hazardous code's checklist keeps the manifest.
		const agreement = await proposeAgreement(db, licensed, lot.id, recycler.id);
		await decideAgreement(db, sender, agreement.id, 'agree');
		const view = await agreementView(db, agreement.id);
		expect(view!.steps.find((step) => step.step === 'transport_manifest')!.status).toBe('todo');
		expect(
			await codeOf(() =>
				updatePermitStep(db, sender, agreement.id, {
					step: 'transport_manifest',
					status: 'not_needed',
					reference: null
				})
			)
		).toBe('manifest_required');
	});

	it('matches within the receiver’s collection distance only, nearest first', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const lot = await approvedLot(sender, { wasteCode: '030105', nameTh: 'ขี้เลื่อย' });
		const far = await member('startup', 'TH-50');
		const near = await member('startup', 'TH-76');
		const chiangMai = await createWant(db, far, wantForm({ wasteCodes: ['030105'], provinceCode: 'TH-50' }));
		const wide = await createWant(
			db,
			far,
			wantForm({ wasteCodes: ['030105'], provinceCode: 'TH-50', maxDistanceKm: '800' })
		);
		const petchaburi = await createWant(
			db,
			near,
			wantForm({ wasteCodes: ['150103'], provinceCode: 'TH-76' })
		);
		const matches = await matchesForLot(db, sender, lot);
		// Chiang Mai is about 590 km away: beyond 150 km, within 800; wooden packaging is a declared substitute.
		expect(matches.map((m) => m.want.id)).toEqual([petchaburi.id, wide.id]);
		expect(matches[0]!.codeFit).toBe('substitute');
		expect(matches.map((m) => m.want.id)).not.toContain(chiangMai.id);
		expect(await codeOf(() => proposeAgreement(db, far, lot.id, chiangMai.id))).toBe(
			'waste_excluded_distance'
		);
	});

	it('agrees to a transfer only while the lot is on offer and the want open', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm());
		const agreement = await proposeAgreement(db, receiver, lot.id, want.id);
		// Taken off the offer after the proposal: agreeing now would open a checklist for nothing.
		await setLotAvailability(db, sender, lot.id, false);
		expect(await codeOf(() => decideAgreement(db, sender, agreement.id, 'agree'))).toBe(
			'waste_not_available'
		);
		await setLotAvailability(db, sender, lot.id, true);
		await decideAgreement(db, sender, agreement.id, 'agree');
		expect((await agreementView(db, agreement.id))?.agreement.status).toBe('agreed');
	});

	it('keeps lots and agreements to their parties', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const stranger = await member('buyer', 'TH-70');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm());
		expect(await codeOf(() => matchesForLot(db, stranger, lot))).toBe('not_found');
		expect(await codeOf(() => matchesForWant(db, stranger, want))).toBe('not_found');
		expect(await codeOf(() => proposeAgreement(db, stranger, lot.id, want.id))).toBe('not_found');
		const agreement = await proposeAgreement(db, sender, lot.id, want.id);
		expect(await codeOf(() => proposeAgreement(db, receiver, lot.id, want.id))).toBe(
			'waste_agreement_exists'
		);
		expect(await codeOf(() => decideAgreement(db, stranger, agreement.id, 'agree'))).toBe('not_found');
		// Another factory's lot the office has not approved reads as missing to a receiver, not as "not available".
		const unreviewed = await createLot(db, sender, lotForm(), { submit: false });
		expect(await codeOf(() => proposeAgreement(db, receiver, unreviewed.id, want.id))).toBe('not_found');
		// A draft is matched by nobody: the office has not seen it.
		const draft = await createLot(db, sender, lotForm(), { submit: false });
		expect(await matchesForLot(db, sender, draft)).toEqual([]);
		expect((await matchesForWant(db, receiver, want)).map((m) => m.lot.id)).not.toContain(draft.id);
	});

	it('refuses a code that is not on the list and a hazardous-capable licence class that does not exist', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		expect(
			await codeOf(() => createLot(db, sender, lotForm({ wasteCode: '029999' }), { submit: false }))
		).toBe('waste_code_unknown');
		expect(await codeOf(() => createWant(db, sender, wantForm({ licenceClass: '999' })))).toBe(
			'licence_class_unknown'
		);
		expect(wasteLotSchema.safeParse({ ...lotForm(), wasteCode: 'abc' }).success).toBe(false);
	});

	it('lists a lot in its organisation’s province, and only an organisation without one chooses', async () => {
		const { db } = database;
		const factory = await member('buyer', 'TH-70');
		expect(
			await codeOf(() => createLot(db, factory, lotForm({ provinceCode: 'TH-73' }), { submit: true }))
		).toBe('waste_lot_province');
		const own = await createLot(db, factory, lotForm({ provinceCode: '' }), { submit: true });
		expect(own.provinceCode).toBe('TH-70');
		const unplaced = await member('buyer', null);
		expect(
			await codeOf(() => createLot(db, unplaced, lotForm({ provinceCode: '' }), { submit: false }))
		).toBe('province_required');
		const chosen = await createLot(db, unplaced, lotForm({ provinceCode: 'TH-73' }), { submit: false });
		expect(chosen.provinceCode).toBe('TH-73');
		// An edit cannot move it out of the organisation's province either.
		expect(await codeOf(() => updateLot(db, factory, own.id, lotForm({ provinceCode: 'TH-73' })))).toBe(
			'waste_lot_province'
		);
	});

	it('lets the owner edit a lot: quantity and price at once, what the office reviewed back to review', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const stranger = await member('buyer', 'TH-70');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm());
		expect(await codeOf(() => updateLot(db, stranger, lot.id, lotForm({ quantityPerMonth: '5' })))).toBe(
			'not_found'
		);

		expect(
			await updateLot(db, sender, lot.id, lotForm({ quantityPerMonth: '25', priceThb: '-100' }))
		).toEqual({
			review: false
		});
		let stored = await lotById(db, lot.id);
		expect([stored!.status, stored!.quantityPerMonth, stored!.priceThb]).toEqual(['approved', 25, -100]);
		expect((await matchesForWant(db, receiver, want)).map((m) => m.lot.id)).toContain(lot.id);
		// Saving the same values again changes nothing and records nothing.
		expect(
			await updateLot(db, sender, lot.id, lotForm({ quantityPerMonth: '25', priceThb: '-100' }))
		).toEqual({
			review: false
		});

		expect(
			await updateLot(
				db,
				sender,
				lot.id,
				lotForm({ quantityPerMonth: '25', priceThb: '-100', wasteCode: '020301' })
			)
		).toEqual({ review: true });
		stored = await lotById(db, lot.id);
		expect([stored!.status, stored!.wasteCode]).toEqual(['submitted', '020301']);
		expect((await matchesForWant(db, receiver, want)).map((m) => m.lot.id)).not.toContain(lot.id);

		const edits = (await auditOf(lot.id)).filter((row) => row.action === 'waste_lot.update');
		expect(edits).toHaveLength(2);
		expect(edits[0]!.before).toEqual({ quantityPerMonth: 20, priceThb: -150, status: 'approved' });
		expect(edits[0]!.after).toEqual({ quantityPerMonth: 25, priceThb: -100, status: 'approved' });
		expect(edits[1]!.after).toEqual({ wasteCode: '020301', status: 'submitted' });
	});

	it('keeps a lot where it lies on an edit without a province, and withdraws its proposals when it goes back to review', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const lot = await approvedLot(sender);
		// Listed before lots followed their organisation's province.
		await db.update(wasteLots).set({ provinceCode: 'TH-71' }).where(eq(wasteLots.id, lot.id));
		const want = await createWant(db, receiver, wantForm());
		const proposal = await proposeAgreement(db, receiver, lot.id, want.id);
		// The form sends no province where the organisation has one: a price edit moves nothing.
		expect(await updateLot(db, sender, lot.id, lotForm({ priceThb: '-120', provinceCode: '' }))).toEqual({
			review: false
		});
		expect((await lotById(db, lot.id))!.provinceCode).toBe('TH-71');
		expect((await agreementView(db, proposal.id))!.agreement.status).toBe('proposed');
		// A new waste code sends it back to review: the proposal made for it as it was is withdrawn.
		expect(
			await updateLot(
				db,
				sender,
				lot.id,
				lotForm({ priceThb: '-120', provinceCode: '', wasteCode: '020301' })
			)
		).toEqual({ review: true });
		expect((await agreementView(db, proposal.id))!.agreement.status).toBe('withdrawn');
		const edit = (await auditOf(lot.id)).filter((row) => row.action === 'waste_lot.update').at(-1);
		expect(edit!.after).toMatchObject({ status: 'submitted', withdrawnProposals: [proposal.id] });
	});

	it('withdraws a lot with its unanswered proposals, once, and lets it be sent for review again', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm());
		const proposal = await proposeAgreement(db, receiver, lot.id, want.id);
		await withdrawLot(db, sender, lot.id);
		expect((await lotById(db, lot.id))!.status).toBe('withdrawn');
		expect((await agreementView(db, proposal.id))!.agreement.status).toBe('withdrawn');
		expect((await matchesForWant(db, receiver, want)).map((m) => m.lot.id)).not.toContain(lot.id);
		expect(await codeOf(() => withdrawLot(db, sender, lot.id))).toBe('waste_already_withdrawn');
		const rows = (await auditOf(lot.id)).filter((row) => row.action === 'waste_lot.withdraw');
		expect(rows).toHaveLength(1);
		expect(rows[0]!.after).toEqual({ status: 'withdrawn', withdrawnProposals: [proposal.id] });
		const { submitLot } = await import('$lib/server/waste/service');
		await submitLot(db, sender, lot.id);
		expect((await lotById(db, lot.id))!.status).toBe('submitted');
	});

	it('edits an open want at once, closes it once, and refuses to edit it closed', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm({ wasteCodes: ['150103'] }));
		expect((await matchesForWant(db, receiver, want)).map((m) => m.lot.id)).not.toContain(lot.id);
		await updateWant(db, receiver, want.id, wantForm({ wasteCodes: ['020301', '150103'] }));
		const edited = (await wantById(db, want.id))!;
		expect(edited.wasteCodes).toEqual(['020301', '150103']);
		expect((await matchesForWant(db, receiver, edited)).map((m) => m.lot.id)).toContain(lot.id);
		const proposal = await proposeAgreement(db, receiver, lot.id, want.id);

		await closeWant(db, receiver, want.id);
		expect(await codeOf(() => closeWant(db, receiver, want.id))).toBe('waste_want_closed');
		expect(await codeOf(() => updateWant(db, receiver, want.id, wantForm()))).toBe('waste_want_closed');
		expect((await agreementView(db, proposal.id))!.agreement.status).toBe('withdrawn');
		const actions = (await auditOf(want.id)).map((row) => row.action);
		expect(actions).toEqual(['material_want.create', 'material_want.update', 'material_want.close']);
	});

	it('lets only the side that proposed withdraw an unanswered proposal', async () => {
		const { db } = database;
		const sender = await member('buyer', 'TH-70');
		const receiver = await member('startup', 'TH-73');
		const lot = await approvedLot(sender);
		const want = await createWant(db, receiver, wantForm());
		const proposal = await proposeAgreement(db, receiver, lot.id, want.id);
		expect(await codeOf(() => withdrawAgreement(db, sender, proposal.id))).toBe('not_allowed');
		await withdrawAgreement(db, receiver, proposal.id);
		expect((await agreementView(db, proposal.id))!.agreement.status).toBe('withdrawn');
		expect(await codeOf(() => withdrawAgreement(db, receiver, proposal.id))).toBe('waste_agreement_decided');
		// Withdrawn, the pair may be proposed again.
		const again = await proposeAgreement(db, sender, lot.id, want.id);
		expect(again.id).not.toBe(proposal.id);
	});
});
