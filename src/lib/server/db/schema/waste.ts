// Industrial by-products and waste (issue 23): lots a factory lists, the secondary materials others take, the
// agreements between them with the legal checklist, and the transfers that record what moved. Waste codes are
// reference data (reference/data/waste.json), checked by the schemas; the database keeps their shape.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	numeric,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { PERMIT_STEP_STATUSES, PERMIT_STEPS, WASTE_HANDLINGS, WASTE_UNITS } from '../../../schemas/waste';
import { organisations, provinces, users } from './index';

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true })
		.notNull()
		.defaultNow()
		.$onUpdate(() => new Date())
};

export const wasteUnitEnum = pgEnum('waste_unit', WASTE_UNITS);
export const wasteHandlingEnum = pgEnum('waste_handling', WASTE_HANDLINGS);
export const wasteLotStatusEnum = pgEnum('waste_lot_status', [
	'draft',
	'submitted',
	'approved',
	'rejected',
	'withdrawn'
]);
export const materialWantStatusEnum = pgEnum('material_want_status', ['open', 'closed']);
export const wasteAgreementStatusEnum = pgEnum('waste_agreement_status', [
	'proposed',
	'agreed',
	'declined',
	'withdrawn'
]);
export const permitStepEnum = pgEnum('permit_step', PERMIT_STEPS);
export const permitStepStatusEnum = pgEnum('permit_step_status', PERMIT_STEP_STATUSES);
export const wasteTransferStatusEnum = pgEnum('waste_transfer_status', ['recorded', 'confirmed']);
export const wasteLotFileKindEnum = pgEnum('waste_lot_file_kind', ['photo', 'document']);

const quantity = (name: string) => numeric(name, { precision: 16, scale: 3, mode: 'number' });
const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });

/** A by-product a factory has each month, reviewed by its province's office before anyone else sees it. */
export const wasteLots = pgTable(
	'waste_lots',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ref: text('ref').unique(),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'restrict' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		provinceCode: text('province_code')
			.notNull()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		nameTh: text('name_th'),
		nameEn: text('name_en'),
		wasteCode: text('waste_code').notNull(),
		// Derived from the code when written; kept so the matcher and the office filter without the list.
		hazardous: boolean('hazardous').notNull(),
		quantityPerMonth: quantity('quantity_per_month').notNull(),
		unit: wasteUnitEnum('unit').notNull(),
		handling: wasteHandlingEnum('handling').notNull(),
		// Baht per unit; negative when the factory pays to have it taken away.
		priceThb: money('price_thb'),
		availableNow: boolean('available_now').notNull().default(true),
		// The last day it can be taken (a Thai calendar date); none when it keeps coming.
		availableUntil: date('available_until'),
		// The end date the owner was last reminded of: one reminder per end date, a new date earns a new one.
		endingRemindedFor: date('ending_reminded_for'),
		status: wasteLotStatusEnum('status').notNull().default('draft'),
		rejectReason: text('reject_reason'),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		approvedAt: timestamp('approved_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		index('waste_lots_organisation_idx').on(t.organisationId),
		index('waste_lots_province_status_idx').on(t.provinceCode, t.status),
		index('waste_lots_code_idx')
			.on(t.wasteCode)
			.where(sql`${t.status} = 'approved'`),
		check('waste_lots_has_name', sql`coalesce(${t.nameTh}, ${t.nameEn}) is not null`),
		check(
			'waste_lots_name_length',
			sql`char_length(coalesce(${t.nameTh}, '')) <= 200 and char_length(coalesce(${t.nameEn}, '')) <= 200`
		),
		check('waste_lots_code_format', sql`${t.wasteCode} ~ '^[0-9]{6}$'`),
		check('waste_lots_quantity_positive', sql`${t.quantityPerMonth} > 0`),
		check(
			'waste_lots_reject_has_reason',
			sql`${t.status} <> 'rejected' or char_length(coalesce(${t.rejectReason}, '')) > 0`
		),
		check('waste_lots_ref_format', sql`${t.ref} ~ '^[A-Za-z0-9._-]{1,64}$'`)
	]
);

/**
 * A lot's photos (public once the lot is approved) and documents such as lab analyses (private: its owner, the
 * counterpart of an agreement about it, and the office read them). Files are stored by hash under DATA_DIR.
 */
export const wasteLotFiles = pgTable(
	'waste_lot_files',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		lotId: uuid('lot_id')
			.notNull()
			.references(() => wasteLots.id, { onDelete: 'cascade' }),
		kind: wasteLotFileKindEnum('kind').notNull(),
		path: text('path').notNull(),
		// The name it was uploaded under, for the download and the list.
		name: text('name').notNull(),
		uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('waste_lot_files_lot_idx').on(t.lotId),
		check('waste_lot_files_name_length', sql`char_length(${t.name}) between 1 and 200`)
	]
);

/** A secondary material a buyer, startup or recycler takes: the codes it accepts, where and how far it collects. */
export const materialWants = pgTable(
	'material_wants',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ref: text('ref').unique(),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'restrict' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		provinceCode: text('province_code')
			.notNull()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		nameTh: text('name_th'),
		nameEn: text('name_en'),
		wasteCodes: text('waste_codes').array().notNull(),
		quantityPerMonth: quantity('quantity_per_month').notNull(),
		unit: wasteUnitEnum('unit').notNull(),
		maxDistanceKm: integer('max_distance_km').notNull(),
		// Baht per unit it pays; negative when it charges to take the material.
		priceThb: money('price_thb'),
		// The factory type it is licensed as (reference licence_classes), needed to receive hazardous codes.
		licenceClass: text('licence_class'),
		licenceNumber: text('licence_number'),
		status: materialWantStatusEnum('status').notNull().default('open'),
		// When the owner was told nobody had proposed anything yet: once per want.
		idleRemindedAt: timestamp('idle_reminded_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		index('material_wants_organisation_idx').on(t.organisationId),
		index('material_wants_codes_idx')
			.using('gin', t.wasteCodes)
			.where(sql`${t.status} = 'open'`),
		check('material_wants_has_name', sql`coalesce(${t.nameTh}, ${t.nameEn}) is not null`),
		check(
			'material_wants_name_length',
			sql`char_length(coalesce(${t.nameTh}, '')) <= 200 and char_length(coalesce(${t.nameEn}, '')) <= 200`
		),
		check('material_wants_codes_count', sql`cardinality(${t.wasteCodes}) between 1 and 30`),
		check('material_wants_quantity_positive', sql`${t.quantityPerMonth} > 0`),
		check('material_wants_distance_range', sql`${t.maxDistanceKm} between 1 and 2000`),
		check('material_wants_licence_class_format', sql`${t.licenceClass} ~ '^[0-9]{3}$'`),
		check('material_wants_ref_format', sql`${t.ref} ~ '^[A-Za-z0-9._-]{1,64}$'`)
	]
);

/** One side proposes moving a lot to a want; the other agrees, and the checklist opens. */
export const wasteAgreements = pgTable(
	'waste_agreements',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		lotId: uuid('lot_id')
			.notNull()
			.references(() => wasteLots.id, { onDelete: 'restrict' }),
		wantId: uuid('want_id')
			.notNull()
			.references(() => materialWants.id, { onDelete: 'restrict' }),
		proposedByOrganisationId: uuid('proposed_by_organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'restrict' }),
		status: wasteAgreementStatusEnum('status').notNull().default('proposed'),
		// As the matcher measured it when proposed: the figure both sides agreed on.
		distanceKm: integer('distance_km').notNull(),
		agreedAt: timestamp('agreed_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		// One live agreement per lot and want; declined and withdrawn ones stay as history.
		uniqueIndex('waste_agreements_one_live_key')
			.on(t.lotId, t.wantId)
			.where(sql`${t.status} in ('proposed', 'agreed')`),
		index('waste_agreements_want_idx').on(t.wantId),
		check('waste_agreements_distance_non_negative', sql`${t.distanceKm} >= 0`)
	]
);

/** What the law asks before anything moves, step by step: recorded by the parties, never issued by the portal. */
export const wastePermitSteps = pgTable(
	'waste_permit_steps',
	{
		agreementId: uuid('agreement_id')
			.notNull()
			.references(() => wasteAgreements.id, { onDelete: 'cascade' }),
		step: permitStepEnum('step').notNull(),
		position: smallint('position').notNull(),
		status: permitStepStatusEnum('status').notNull().default('todo'),
		// The permit or manifest number, or where the document is kept.
		reference: text('reference'),
		updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		// When both sides were last reminded that this step is still to do: at most once per reminder period.
		remindedAt: timestamp('reminded_at', { withTimezone: true })
	},
	(t) => [
		primaryKey({ columns: [t.agreementId, t.step] }),
		check('waste_permit_steps_reference_length', sql`char_length(coalesce(${t.reference}, '')) <= 500`)
	]
);

/** A load that moved: recorded by the sender, confirmed by the receiver; only confirmed ones count. */
export const wasteTransfers = pgTable(
	'waste_transfers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		agreementId: uuid('agreement_id')
			.notNull()
			.references(() => wasteAgreements.id, { onDelete: 'restrict' }),
		transferredOn: date('transferred_on').notNull(),
		quantity: quantity('quantity').notNull(),
		unit: wasteUnitEnum('unit').notNull(),
		receiverLicence: text('receiver_licence'),
		// What changed hands in baht (negative when the sender paid for the removal).
		valueThb: money('value_thb'),
		status: wasteTransferStatusEnum('status').notNull().default('recorded'),
		recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
		confirmedBy: uuid('confirmed_by').references(() => users.id, { onDelete: 'set null' }),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('waste_transfers_agreement_idx').on(t.agreementId),
		check('waste_transfers_quantity_positive', sql`${t.quantity} > 0`),
		check('waste_transfers_confirmed', sql`(${t.status} = 'confirmed') = (${t.confirmedAt} is not null)`)
	]
);

/** Settings the administrator keeps for the waste exchange: a single row. */
export const wasteSettings = pgTable(
	'waste_settings',
	{
		id: smallint('id').primaryKey().default(1),
		transportThbPerTonneKm: numeric('transport_thb_per_tonne_km', {
			precision: 10,
			scale: 2,
			mode: 'number'
		}).notNull(),
		updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('waste_settings_single_row', sql`${t.id} = 1`),
		check('waste_settings_rate_non_negative', sql`${t.transportThbPerTonneKm} >= 0`)
	]
);
