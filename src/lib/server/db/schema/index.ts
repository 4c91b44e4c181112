// The portal's whole relational model. Rules that protect the data live here as database constraints
// (unique, check, foreign keys), so that no code path — form, API, import or CLI — can break them.
import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigserial,
	boolean,
	check,
	date,
	doublePrecision,
	foreignKey,
	index,
	integer,
	jsonb,
	numeric,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { UNITS } from '../../../schemas/units';
import type { NotificationKind, NotificationPayload } from '../../../notifications';
import type { ApprovedSnapshot } from '../../startups/profile';

/** An officer's comments on a review, per rubric criterion, with the decision's note. */
export interface ReviewComments {
	market?: string | null;
	innovation?: string | null;
	readiness?: string | null;
	compliance?: string | null;
	note?: string | null;
	/** Why an approval below the office's threshold was given. */
	thresholdReason?: string | null;
}

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true })
		.notNull()
		.defaultNow()
		.$onUpdate(() => new Date())
};

// ---------- enums ----------

export const regionEnum = pgEnum('region', ['North', 'Northeast', 'Central', 'East', 'West', 'South']);
export const userRoleEnum = pgEnum('user_role', ['startup', 'buyer', 'officer', 'admin']);
export const userStatusEnum = pgEnum('user_status', ['active', 'suspended']);
export const localeEnum = pgEnum('locale', ['th', 'en']);
export const organisationKindEnum = pgEnum('organisation_kind', ['startup', 'buyer']);
// Whether the province's office checked the organisation's juristic person number against its documents. Refused
// and revoked organisations may correct their documents and ask again.
export const organisationVerificationEnum = pgEnum('organisation_verification', [
	'unverified',
	'pending',
	'verified',
	'refused',
	'revoked'
]);
export const startupStatusEnum = pgEnum('startup_status', [
	'draft',
	'submitted',
	'approved',
	'rejected',
	'suspended'
]);
export const unitEnum = pgEnum('unit', UNITS);
export const recurrenceEnum = pgEnum('recurrence', ['once', 'monthly']);
export const demandStatusEnum = pgEnum('demand_status', [
	'draft',
	'open',
	'closed',
	'fulfilled',
	'expired',
	'hidden'
]);
export const offerStatusEnum = pgEnum('offer_status', ['pending', 'accepted', 'declined', 'withdrawn']);
export const reviewDecisionEnum = pgEnum('review_decision', ['approve', 'reject', 'revise']);
export const searchEntityEnum = pgEnum('search_entity', ['startup', 'demand', 'waste_lot', 'material_want']);
export const outboxOpEnum = pgEnum('outbox_op', ['upsert', 'delete']);
export const reportSubjectEnum = pgEnum('report_subject', ['demand', 'offer', 'startup']);
// Resolved: the office acted (hid the demand, suspended the startup); dismissed: the report was baseless.
export const reportStatusEnum = pgEnum('report_status', ['open', 'resolved', 'dismissed']);
export const agencyKindEnum = pgEnum('agency_kind', ['finance', 'land', 'institute', 'other']);
export const referralReasonEnum = pgEnum('referral_reason', [
	'offer_exceeds_capacity',
	'matched_demand_exceeds_capacity'
]);
export const referralStatusEnum = pgEnum('referral_status', ['offered', 'requested', 'dismissed']);
// OpenID Connect providers the portal can be configured for (src/lib/server/identity/providers.ts).
export const identityProviderEnum = pgEnum('identity_provider', ['thaid', 'digitalid', 'line']);
// Why a browser went to a provider: to sign in (or sign up), to link an identity to the signed-in account, or to
// accept an officer invitation that requires a verified identity.
export const identityFlowPurposeEnum = pgEnum('identity_flow_purpose', ['sign_in', 'link', 'invite']);
// Who sees an organisation's email address and phone (PDPA: shown only to those with a reason). `form`: nobody,
// messages go through the portal's contact form; `counterparts`: signed-in members of verified organisations of
// the other side, and officers; `public`: everyone.
export const contactVisibilityEnum = pgEnum('contact_visibility', ['form', 'counterparts', 'public']);
// What consent is asked for where consent is the lawful basis (src/lib/server/privacy/consents.ts).
export const consentPurposeEnum = pgEnum('consent_purpose', ['marketing', 'line_notifications']);
// The data subject's requests under PDPA sections 30-36, each answered within 30 days.
export const privacyRequestKindEnum = pgEnum('privacy_request_kind', [
	'access',
	'deletion',
	'correction',
	'withdrawal'
]);
export const authTokenPurposeEnum = pgEnum('auth_token_purpose', [
	'verify_email',
	'change_email',
	'reset_password',
	'invite'
]);

// ---------- reference data ----------

export const provinces = pgTable(
	'provinces',
	{
		code: text('code').primaryKey(),
		dopaCode: text('dopa_code').notNull().unique(),
		slug: text('slug').notNull().unique(),
		nameTh: text('name_th').notNull(),
		nameEn: text('name_en').notNull(),
		nameEnAlt: text('name_en_alt')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		region: regionEnum('region').notNull(),
		hasIndustryOffice: boolean('has_industry_office').notNull(),
		centroidLat: doublePrecision('centroid_lat'),
		centroidLon: doublePrecision('centroid_lon')
	},
	(t) => [check('provinces_code_format', sql`${t.code} ~ '^TH-[0-9]{2}$'`)]
);

export const tsicSections = pgTable('tsic_sections', {
	code: text('code').primaryKey(),
	divisionRange: text('division_range').notNull(),
	nameTh: text('name_th').notNull(),
	nameEn: text('name_en').notNull()
});

export const tsicDivisions = pgTable(
	'tsic_divisions',
	{
		code: text('code').primaryKey(),
		sectionCode: text('section_code')
			.notNull()
			.references(() => tsicSections.code, { onDelete: 'restrict' }),
		nameTh: text('name_th').notNull(),
		nameEn: text('name_en').notNull()
	},
	(t) => [check('tsic_divisions_code_format', sql`${t.code} ~ '^[0-9]{2}$'`)]
);

export const sCurveIndustries = pgTable('s_curve_industries', {
	id: text('id').primaryKey(),
	wave: text('wave').notNull(),
	nameTh: text('name_th').notNull(),
	nameEn: text('name_en').notNull(),
	suggestedTsic: text('suggested_tsic')
		.array()
		.notNull()
		.default(sql`'{}'::text[]`)
});

export const certifications = pgTable('certifications', {
	id: text('id').primaryKey(),
	abbrTh: text('abbr_th').notNull(),
	abbrEn: text('abbr_en').notNull(),
	nameTh: text('name_th').notNull(),
	nameEn: text('name_en').notNull(),
	issuerTh: text('issuer_th').notNull(),
	issuerEn: text('issuer_en').notNull(),
	mandatory: text('mandatory').notNull()
});

// ---------- people and organisations ----------

/** Partner agencies linked through I-Connect (SME Development Bank, Industrial Estate Authority, institutes). */
/**
 * Thailand's public holidays, which working days skip (response times). Seeded from the official list
 * (reference/data/public-holidays.json, sources in its README) and kept by the administrators, who add the
 * lunar and special days as the cabinet and the Bank of Thailand announce them.
 */
export const publicHolidays = pgTable('public_holidays', {
	day: date('day').primaryKey(),
	nameTh: text('name_th').notNull(),
	nameEn: text('name_en').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	// Removed by an administrator (a holiday cancelled): kept, so the seed does not bring it back.
	removedAt: timestamp('removed_at', { withTimezone: true })
});

export const agencies = pgTable(
	'agencies',
	{
		id: text('id').primaryKey(),
		nameTh: text('name_th').notNull(),
		nameEn: text('name_en').notNull(),
		kind: agencyKindEnum('kind').notNull(),
		website: text('website'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('agencies_id_format', sql`${t.id} ~ '^[a-z0-9-]{2,40}$'`)]
);

export const organisations = pgTable(
	'organisations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		kind: organisationKindEnum('kind').notNull(),
		name: text('name').notNull(),
		registrationNumber: text('registration_number'),
		provinceCode: text('province_code').references(() => provinces.code, { onDelete: 'restrict' }),
		contactEmail: text('contact_email'),
		phone: text('phone'),
		website: text('website'),
		// The partner agency that created this organisation through the API and manages it: a buyer it posts demand
		// for, or a startup it imported. The refs of its demands and startups belong to that agency alone.
		agencyId: text('agency_id').references(() => agencies.id, { onDelete: 'restrict' }),
		verification: organisationVerificationEnum('verification').notNull().default('unverified'),
		// Why the office refused or revoked the verification, shown to the organisation.
		verificationReason: text('verification_reason'),
		verificationRequestedAt: timestamp('verification_requested_at', { withTimezone: true }),
		verifiedAt: timestamp('verified_at', { withTimezone: true }),
		contactVisibility: contactVisibilityEnum('contact_visibility').notNull().default('form'),
		...timestamps
	},
	(t) => [
		index('organisations_agency_idx').on(t.agencyId),
		index('organisations_verification_idx')
			.on(t.verification, t.verificationRequestedAt)
			.where(sql`${t.verification} = 'pending'`),
		// A verification is of a number: none can be asked for or granted without one.
		check(
			'organisations_verification_has_number',
			sql`${t.verification} in ('unverified', 'refused', 'revoked') or ${t.registrationNumber} is not null`
		),
		check(
			'organisations_verification_refusal_has_reason',
			sql`${t.verification} not in ('refused', 'revoked') or char_length(coalesce(${t.verificationReason}, '')) > 0`
		),
		// One organisation claims a number at a time (waiting or verified); a refused or revoked claim frees it, so a
		// number typed by someone else cannot lock its real holder out.
		uniqueIndex('organisations_registration_number_key')
			.on(t.registrationNumber)
			.where(sql`${t.registrationNumber} is not null and ${t.verification} in ('pending', 'verified')`),
		check('organisations_name_length', sql`char_length(${t.name}) between 1 and 200`)
	]
);

/**
 * What an organisation uploads to prove its juristic person number (a company affidavit, a VAT registration): PDF
 * or a picture, stored privately under DATA_DIR/uploads/documents and shown only to its members and its office.
 */
export const organisationDocuments = pgTable(
	'organisation_documents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		path: text('path').notNull(),
		// The file's name as the uploader had it, so the officer knows which document is which.
		fileName: text('file_name').notNull(),
		uploadedBy: uuid('uploaded_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('organisation_documents_organisation_idx').on(t.organisationId, t.createdAt),
		check('organisation_documents_file_name_length', sql`char_length(${t.fileName}) between 1 and 200`)
	]
);

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		email: text('email').notNull(),
		emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
		passwordHash: text('password_hash'),
		role: userRoleEnum('role').notNull(),
		status: userStatusEnum('status').notNull().default('active'),
		locale: localeEnum('locale').notNull().default('th'),
		displayName: text('display_name'),
		// An officer acts for exactly one province; nobody else has one here.
		provinceCode: text('province_code').references(() => provinces.code, { onDelete: 'restrict' }),
		organisationId: uuid('organisation_id').references(() => organisations.id, {
			onDelete: 'restrict'
		}),
		// Set by an officer invitation that asks for a verified digital identity: the invitation is accepted by
		// linking one, not by choosing a password.
		identityRequired: boolean('identity_required').notNull().default(false),
		// When the person deleted their account: the row stays, pseudonymised, because deals and audit events name it.
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
		check('users_officer_has_province', sql`(${t.role} = 'officer') = (${t.provinceCode} is not null)`),
		check(
			'users_member_has_organisation',
			sql`${t.role} not in ('startup', 'buyer') or ${t.organisationId} is not null`
		)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		// SHA-256 of the token the browser holds; the token itself is never stored.
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		userAgent: text('user_agent'),
		ipAddress: text('ip_address')
	},
	(t) => [index('sessions_user_id_idx').on(t.userId)]
);

// Digital identities (OpenID Connect subjects) that sign in to an account. A provider's subject belongs to one
// account; an account may hold one identity per provider.
export const userIdentities = pgTable(
	'user_identities',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		provider: identityProviderEnum('provider').notNull(),
		subject: text('subject').notNull(),
		// The email the provider gave when the identity was linked, for the account page only (never trusted).
		email: text('email'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('user_identities_provider_subject_key').on(t.provider, t.subject),
		uniqueIndex('user_identities_user_provider_key').on(t.userId, t.provider)
	]
);

// A trip to an identity provider and back. The browser holds a random token in a cookie, the database its
// SHA-256 with the PKCE verifier, state and nonce. After a sign-in by an identity nobody has yet, the same row
// holds the verified subject until the person completes sign-up. Used once; expires.
export const identityFlows = pgTable(
	'identity_flows',
	{
		id: text('id').primaryKey(),
		provider: identityProviderEnum('provider').notNull(),
		purpose: identityFlowPurposeEnum('purpose').notNull(),
		state: text('state').notNull(),
		nonce: text('nonce').notNull(),
		codeVerifier: text('code_verifier').notNull(),
		// link: the signed-in account; invite: the invited officer.
		userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
		next: text('next'),
		// Filled in by the callback when the identity belongs to nobody: a sign-up waiting for its form.
		subject: text('subject'),
		email: text('email'),
		emailVerified: boolean('email_verified'),
		displayName: text('display_name'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('identity_flows_expires_at_idx').on(t.expiresAt),
		check('identity_flows_user', sql`(${t.purpose} = 'sign_in') = (${t.userId} is null)`)
	]
);

// Links sent by email (verify, change email, reset password, officer invite). Like sessions, only the
// SHA-256 of the token is kept; a token is used once (its row is deleted) and expires.
export const authTokens = pgTable(
	'auth_tokens',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: authTokenPurposeEnum('purpose').notNull(),
		// For change_email: the address that becomes the account's once the link is followed.
		newEmail: text('new_email'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('auth_tokens_user_purpose_idx').on(t.userId, t.purpose),
		check('auth_tokens_new_email', sql`(${t.purpose} = 'change_email') = (${t.newEmail} is not null)`)
	]
);

// ---------- startups and their products ----------

export const startups = pgTable(
	'startups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ref: text('ref').unique(),
		organisationId: uuid('organisation_id')
			.notNull()
			.unique()
			.references(() => organisations.id, { onDelete: 'restrict' }),
		provinceCode: text('province_code')
			.notNull()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		slug: text('slug').notNull().unique(),
		nameTh: text('name_th'),
		nameEn: text('name_en'),
		summaryTh: text('summary_th'),
		summaryEn: text('summary_en'),
		status: startupStatusEnum('status').notNull().default('draft'),
		contactEmail: text('contact_email'),
		phone: text('phone'),
		website: text('website'),
		logoPath: text('logo_path'),
		// The last approved version stays public while an edit waits for re-review.
		approvedSnapshot: jsonb('approved_snapshot').$type<ApprovedSnapshot>(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		approvedAt: timestamp('approved_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		// Target of the selection's composite key: a selection names the startup and its province together.
		unique('startups_id_province_key').on(t.id, t.provinceCode),
		index('startups_province_status_idx').on(t.provinceCode, t.status),
		check('startups_has_name', sql`coalesce(${t.nameTh}, ${t.nameEn}) is not null`),
		check(
			'startups_name_length',
			sql`char_length(coalesce(${t.nameTh}, '')) <= 200 and char_length(coalesce(${t.nameEn}, '')) <= 200`
		),
		check(
			'startups_summary_length',
			sql`char_length(coalesce(${t.summaryTh}, '')) <= 5000 and char_length(coalesce(${t.summaryEn}, '')) <= 5000`
		),
		check('startups_ref_format', sql`${t.ref} ~ '^[A-Za-z0-9._-]{1,64}$'`)
	]
);

export const startupDivisions = pgTable(
	'startup_divisions',
	{
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		divisionCode: text('division_code')
			.notNull()
			.references(() => tsicDivisions.code, { onDelete: 'restrict' })
	},
	(t) => [primaryKey({ columns: [t.startupId, t.divisionCode] })]
);

export const startupCertifications = pgTable(
	'startup_certifications',
	{
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		certificationId: text('certification_id')
			.notNull()
			.references(() => certifications.id, { onDelete: 'restrict' }),
		certificateNumber: text('certificate_number'),
		/** The last day the certificate is valid: from the next day it no longer counts in matching, offers or the gap. */
		expiresOn: date('expires_on'),
		/** Evidence the startup attaches for the office to check: who issued it and a PDF of the certificate. */
		issuer: text('issuer'),
		evidencePath: text('evidence_path'),
		/** Set when the province's office checked the evidence; cleared when the number, expiry or file changes. */
		checkedAt: timestamp('checked_at', { withTimezone: true }),
		checkedBy: uuid('checked_by').references(() => users.id, { onDelete: 'set null' }),
		/** The office's reason for refusing the evidence; cleared when the startup attaches new evidence. */
		refusalReason: text('refusal_reason'),
		/** The expiry a 30-day reminder was sent for: one reminder per certificate, again after a renewal. */
		remindedFor: date('reminded_for')
	},
	(t) => [
		primaryKey({ columns: [t.startupId, t.certificationId] }),
		check(
			'startup_certifications_checked_or_refused',
			sql`${t.checkedAt} is null or ${t.refusalReason} is null`
		),
		// The office's queue: evidence attached, neither checked nor refused.
		index('startup_certifications_waiting_idx')
			.on(t.startupId)
			.where(sql`${t.evidencePath} is not null and ${t.checkedAt} is null and ${t.refusalReason} is null`),
		index('startup_certifications_expires_idx').on(t.expiresOn)
	]
);

export const products = pgTable(
	'products',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		nameTh: text('name_th'),
		nameEn: text('name_en'),
		unit: unitEnum('unit').notNull(),
		monthlyCapacity: numeric('monthly_capacity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		priceThbMin: numeric('price_thb_min', { precision: 14, scale: 2, mode: 'number' }),
		priceThbMax: numeric('price_thb_max', { precision: 14, scale: 2, mode: 'number' }),
		divisionCode: text('division_code').references(() => tsicDivisions.code, {
			onDelete: 'restrict'
		}),
		photoPath: text('photo_path'),
		position: integer('position').notNull().default(0),
		...timestamps
	},
	(t) => [
		index('products_startup_id_idx').on(t.startupId),
		check('products_has_name', sql`coalesce(${t.nameTh}, ${t.nameEn}) is not null`),
		check('products_capacity_positive', sql`${t.monthlyCapacity} > 0`),
		check(
			'products_price_band',
			sql`(${t.priceThbMin} is null or ${t.priceThbMin} >= 0)
				and (${t.priceThbMax} is null or ${t.priceThbMax} >= 0)
				and (${t.priceThbMin} is null or ${t.priceThbMax} is null or ${t.priceThbMin} <= ${t.priceThbMax})`
		)
	]
);

// ---------- curation ----------

export const provinceSelections = pgTable(
	'province_selections',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		provinceCode: text('province_code')
			.notNull()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		year: integer('year').notNull(),
		startupId: uuid('startup_id').notNull(),
		reason: text('reason'),
		selectedBy: uuid('selected_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps
	},
	(t) => [
		// One startup per province and year: the policy itself, enforced by the database.
		unique('province_selections_province_year_key').on(t.provinceCode, t.year),
		// The selected startup must belong to that province.
		foreignKey({
			name: 'province_selections_startup_in_province_fk',
			columns: [t.startupId, t.provinceCode],
			foreignColumns: [startups.id, startups.provinceCode]
		}).onDelete('restrict'),
		check('province_selections_year_range', sql`${t.year} between 2020 and 2100`)
	]
);

export const reviews = pgTable(
	'reviews',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		reviewerId: uuid('reviewer_id').references(() => users.id, { onDelete: 'set null' }),
		marketScore: smallint('market_score').notNull(),
		innovationScore: smallint('innovation_score').notNull(),
		readinessScore: smallint('readiness_score').notNull(),
		complianceScore: smallint('compliance_score').notNull(),
		comments: jsonb('comments')
			.$type<ReviewComments>()
			.notNull()
			.default(sql`'{}'::jsonb`),
		decision: reviewDecisionEnum('decision').notNull(),
		reason: text('reason'),
		// When the application being decided was submitted: response times are measured from it.
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('reviews_startup_id_idx').on(t.startupId),
		check(
			'reviews_scores_range',
			sql`${t.marketScore} between 0 and 5 and ${t.innovationScore} between 0 and 5
				and ${t.readinessScore} between 0 and 5 and ${t.complianceScore} between 0 and 5`
		),
		check(
			'reviews_reject_has_reason',
			sql`${t.decision} <> 'reject' or char_length(coalesce(${t.reason}, '')) > 0`
		),
		// Returning an application for revision is only useful with notes saying what to revise. (Compared as
		// text: the value is added to the enum in the same migration, where the enum literal cannot be used yet.)
		check(
			'reviews_revise_has_note',
			sql`${t.decision}::text <> 'revise' or char_length(coalesce(${t.comments}->>'note', '')) > 0`
		)
	]
);

/** What an office decides for itself: the rubric total (of 20) below which an approval needs a reason. */
export const officeSettings = pgTable(
	'office_settings',
	{
		provinceCode: text('province_code')
			.primaryKey()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		approvalThreshold: smallint('approval_threshold').notNull(),
		updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('office_settings_threshold_range', sql`${t.approvalThreshold} between 0 and 20`)]
);

// ---------- demand and offers ----------

export const demands = pgTable(
	'demands',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ref: text('ref').unique(),
		buyerOrganisationId: uuid('buyer_organisation_id')
			.notNull()
			.references(() => organisations.id, { onDelete: 'restrict' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		titleTh: text('title_th'),
		titleEn: text('title_en'),
		detailsTh: text('details_th'),
		detailsEn: text('details_en'),
		divisionCode: text('division_code')
			.notNull()
			.references(() => tsicDivisions.code, { onDelete: 'restrict' }),
		quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		unit: unitEnum('unit').notNull(),
		recurrence: recurrenceEnum('recurrence').notNull(),
		priceThbMax: numeric('price_thb_max', { precision: 14, scale: 2, mode: 'number' }),
		// Null means anywhere in Thailand.
		deliveryProvinceCode: text('delivery_province_code').references(() => provinces.code, {
			onDelete: 'restrict'
		}),
		neededBy: date('needed_by').notNull(),
		status: demandStatusEnum('status').notNull().default('draft'),
		maxOffers: integer('max_offers').notNull().default(10),
		// The buyer takes offers only from startups whose organisation the office verified.
		verifiedOffersOnly: boolean('verified_offers_only').notNull().default(false),
		hiddenReason: text('hidden_reason'),
		attachmentPath: text('attachment_path'),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		// Published by its buyer through the portal and not yet announced to the startups that match it best: the
		// coverage worker announces it when it first computes its matches (an imported demand is never announced).
		announcePending: boolean('announce_pending').notNull().default(false),
		// Set when the buyer was told the demand closes within 3 days, so the reminder goes once.
		closingNotifiedAt: timestamp('closing_notified_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		index('demands_status_idx').on(t.status),
		index('demands_delivery_province_idx').on(t.deliveryProvinceCode),
		// The most valuable open demands first (the province page, the market): read in order instead of sorting
		// 100,000 rows to keep ten. The expression is the one those queries order by, written the same way.
		index('demands_open_value_idx')
			.on(sql`coalesce(${t.quantity} * ${t.priceThbMax}, 0) desc`, t.id)
			.where(sql`${t.status} = 'open'`),
		index('demands_buyer_idx').on(t.buyerOrganisationId),
		check('demands_has_title', sql`coalesce(${t.titleTh}, ${t.titleEn}) is not null`),
		check('demands_quantity_positive', sql`${t.quantity} > 0`),
		check('demands_price_non_negative', sql`${t.priceThbMax} is null or ${t.priceThbMax} >= 0`),
		check('demands_max_offers_range', sql`${t.maxOffers} between 1 and 1000`),
		check(
			'demands_hidden_has_reason',
			sql`${t.status} <> 'hidden' or char_length(coalesce(${t.hiddenReason}, '')) > 0`
		),
		check('demands_ref_format', sql`${t.ref} ~ '^[A-Za-z0-9._-]{1,64}$'`)
	]
);

export const demandCertifications = pgTable(
	'demand_certifications',
	{
		demandId: uuid('demand_id')
			.notNull()
			.references(() => demands.id, { onDelete: 'cascade' }),
		certificationId: text('certification_id')
			.notNull()
			.references(() => certifications.id, { onDelete: 'restrict' })
	},
	(t) => [primaryKey({ columns: [t.demandId, t.certificationId] })]
);

export const offers = pgTable(
	'offers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		demandId: uuid('demand_id')
			.notNull()
			.references(() => demands.id, { onDelete: 'restrict' }),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'restrict' }),
		quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		unitPriceThb: numeric('unit_price_thb', { precision: 14, scale: 2, mode: 'number' }).notNull(),
		leadTimeDays: integer('lead_time_days').notNull(),
		message: text('message'),
		status: offerStatusEnum('status').notNull().default('pending'),
		// Raised each time the startup changes its terms: an accept names the version the buyer saw, so terms
		// changed while the buyer was looking are never accepted unseen.
		version: integer('version').notNull().default(1),
		declineReason: text('decline_reason'),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		// One live offer per startup per demand; withdrawn and declined ones stay as history.
		uniqueIndex('offers_one_live_per_startup_key')
			.on(t.demandId, t.startupId)
			.where(sql`${t.status} in ('pending', 'accepted')`),
		index('offers_startup_idx').on(t.startupId),
		check('offers_quantity_positive', sql`${t.quantity} > 0`),
		check('offers_price_non_negative', sql`${t.unitPriceThb} >= 0`),
		check('offers_lead_time_range', sql`${t.leadTimeDays} between 0 and 3650`)
	]
);

// A buyer's invitation to a matched startup to quote on a demand. Whether the startup offered is read from
// offers (one truth); the invitation keeps only what offers cannot say: when it was seen and a refusal.
export const quoteInvitations = pgTable(
	'quote_invitations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		demandId: uuid('demand_id')
			.notNull()
			.references(() => demands.id, { onDelete: 'cascade' }),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		// The first time a member of the startup opened the demand after the invitation.
		viewedAt: timestamp('viewed_at', { withTimezone: true }),
		declinedAt: timestamp('declined_at', { withTimezone: true }),
		declineReason: text('decline_reason')
	},
	(t) => [
		// Inviting the same startup again changes nothing: one invitation per startup and demand.
		unique('quote_invitations_demand_startup_key').on(t.demandId, t.startupId),
		index('quote_invitations_startup_idx').on(t.startupId, t.createdAt),
		check('quote_invitations_reason_length', sql`char_length(${t.declineReason}) <= 500`)
	]
);

export const deals = pgTable(
	'deals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		offerId: uuid('offer_id')
			.notNull()
			.unique()
			.references(() => offers.id, { onDelete: 'restrict' }),
		demandId: uuid('demand_id')
			.notNull()
			.references(() => demands.id, { onDelete: 'restrict' }),
		quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		valueThb: numeric('value_thb', { precision: 16, scale: 2, mode: 'number' }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('deals_quantity_positive', sql`${t.quantity} > 0`),
		check('deals_value_non_negative', sql`${t.valueThb} >= 0`)
	]
);

// A conversation between a buyer and a startup about one offer.
export const offerMessages = pgTable(
	'offer_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		offerId: uuid('offer_id')
			.notNull()
			.references(() => offers.id, { onDelete: 'cascade' }),
		authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('offer_messages_offer_idx').on(t.offerId, t.createdAt),
		check('offer_messages_body_length', sql`char_length(${t.body}) between 1 and 4000`)
	]
);

// Abuse reports on demands, offers and startup profiles, for the moderation queue of the responsible office (a
// startup's: its own province's).
export const reports = pgTable(
	'reports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		subjectType: reportSubjectEnum('subject_type').notNull(),
		subjectId: uuid('subject_id').notNull(),
		// The office that moderates it: the demand's delivery province, Bangkok (admins) for "anywhere".
		provinceCode: text('province_code')
			.notNull()
			.references(() => provinces.code, { onDelete: 'restrict' }),
		reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
		reason: text('reason').notNull(),
		status: reportStatusEnum('status').notNull().default('open'),
		resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('reports_province_status_idx').on(t.provinceCode, t.status, t.createdAt),
		check('reports_reason_length', sql`char_length(${t.reason}) between 1 and 2000`)
	]
);

// ---------- records, queues and messages ----------

export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
		// Kept even if the account goes: the record must still say who acted.
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		provinceCode: text('province_code').references(() => provinces.code, { onDelete: 'restrict' }),
		before: jsonb('before'),
		after: jsonb('after'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
		index('audit_events_province_idx').on(t.provinceCode, t.at)
	]
);

export const searchOutbox = pgTable(
	'search_outbox',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		entity: searchEntityEnum('entity').notNull(),
		entityId: uuid('entity_id').notNull(),
		op: outboxOpEnum('op').notNull(),
		enqueuedAt: timestamp('enqueued_at', { withTimezone: true }).notNull().defaultNow(),
		attempts: integer('attempts').notNull().default(0),
		availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
		lastError: text('last_error')
	},
	(t) => [index('search_outbox_available_idx').on(t.availableAt, t.id)]
);

export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<NotificationKind>().notNull(),
		payload: jsonb('payload')
			.$type<NotificationPayload>()
			.notNull()
			.default(sql`'{}'::jsonb`),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('notifications_user_idx').on(t.userId, t.createdAt)]
);

export const emailOutbox = pgTable(
	'email_outbox',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		bodyText: text('body_text').notNull(),
		locale: localeEnum('locale').notNull().default('th'),
		// Extra header fields the portal sets, such as an alert's List-Unsubscribe (RFC 8058); none for most mail.
		headers: jsonb('headers').$type<Record<string, string>>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		attempts: integer('attempts').notNull().default(0),
		// When the worker may try again: now for a new message, later after each failure (backoff over hours, so a
		// greylisting server's "try later" or a short outage delays a message instead of losing it). A worker that
		// takes a message moves this ahead first, so a second worker leaves it alone while it is being sent.
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastError: text('last_error')
	},
	(t) => [
		index('email_outbox_unsent_idx').on(t.sentAt, t.createdAt),
		index('email_outbox_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`${t.sentAt} is null`)
	]
);

export const rateLimits = pgTable(
	'rate_limits',
	{
		// What is limited and for whom, e.g. "sign-in:ip:203.0.113.7" or "sign-in:account:a@example.org".
		key: text('key').notNull(),
		windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
		hits: integer('hits').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)]
);

// ---------- personal data (PDPA) ----------

// A consent given under one version of the privacy notice; withdrawing sets withdrawn_at, a new consent is a new
// row, so the history is the proof. Restrict, not cascade: deleting an account must not erase the proof.
export const consents = pgTable(
	'consents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		purpose: consentPurposeEnum('purpose').notNull(),
		noticeVersion: text('notice_version').notNull(),
		givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true })
	},
	(t) => [
		// At most one standing consent per person and purpose.
		uniqueIndex('consents_one_standing_key')
			.on(t.userId, t.purpose)
			.where(sql`${t.withdrawnAt} is null`),
		check('consents_notice_version_length', sql`char_length(${t.noticeVersion}) between 1 and 40`)
	]
);

// What a person asked for about their data and when the answer is due (30 days). Kept after the account is
// deleted (restrict): the office must be able to show it answered.
export const privacyRequests = pgTable(
	'privacy_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		kind: privacyRequestKindEnum('kind').notNull(),
		detail: text('detail'),
		requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }),
		completedBy: uuid('completed_by').references((): AnyPgColumn => users.id, { onDelete: 'set null' })
	},
	(t) => [
		index('privacy_requests_open_idx')
			.on(t.dueAt)
			.where(sql`${t.completedAt} is null`),
		index('privacy_requests_user_idx').on(t.userId, t.requestedAt),
		check('privacy_requests_detail_length', sql`char_length(${t.detail}) <= 2000`),
		check('privacy_requests_due_after_request', sql`${t.dueAt} > ${t.requestedAt}`)
	]
);

// ---------- market figures ----------

/** Every public search with how many results it found: no user, no address, so it holds no personal data. */
export const searchLog = pgTable(
	'search_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		// Lower-cased, spaces collapsed, at most 200 characters.
		query: text('query').notNull(),
		locale: localeEnum('locale').notNull(),
		resultCount: integer('result_count').notNull(),
		engine: text('engine').notNull(),
		// Who searched, as an HMAC of their address with a secret salt kept in job_state (never the address): the
		// public report lists a query only when enough different visitors searched for it. Null on older rows.
		visitorHash: text('visitor_hash'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('search_log_created_idx').on(t.createdAt),
		check('search_log_query_length', sql`char_length(${t.query}) between 1 and 200`),
		check('search_log_result_count', sql`${t.resultCount} >= 0`)
	]
);

/**
 * What the matching engine found for an open demand: computed in the background and recomputed when the demand
 * or a startup that could serve it changes. A demand with a row and no good match is unmet.
 */
export const demandCoverage = pgTable('demand_coverage', {
	demandId: uuid('demand_id')
		.primaryKey()
		.references(() => demands.id, { onDelete: 'cascade' }),
	goodMatches: integer('good_matches').notNull(),
	bestScore: doublePrecision('best_score'),
	computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow()
});

/** The good matches behind a demand's coverage (score at or above the portal's threshold). */
export const demandMatches = pgTable(
	'demand_matches',
	{
		demandId: uuid('demand_id')
			.notNull()
			.references(() => demands.id, { onDelete: 'cascade' }),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		score: doublePrecision('score').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.demandId, t.startupId] }),
		index('demand_matches_startup_idx').on(t.startupId)
	]
);

/** Small named values a background job keeps between runs (e.g. how far it has read a table). */
export const jobState = pgTable('job_state', {
	name: text('name').primaryKey(),
	value: text('value').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

// ---------- partner agencies: API tokens and referrals ----------

// `import:publish` lets an agency's imported startups go public at once; without it they wait for the office.
export const API_SCOPES = ['read', 'import', 'import:publish', 'demands:write', 'waste:write'] as const;

/** A credential issued to a partner agency. Like sessions, only the SHA-256 of the token is kept. */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		agencyId: text('agency_id')
			.notNull()
			.references(() => agencies.id, { onDelete: 'restrict' }),
		label: text('label').notNull(),
		tokenHash: text('token_hash').notNull().unique(),
		// The first characters of the token, so a person can tell which one a log or a leak refers to.
		prefix: text('prefix').notNull(),
		scopes: text('scopes').array().notNull(),
		requestsPerMinute: integer('requests_per_minute').notNull().default(600),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedBy: uuid('revoked_by').references(() => users.id, { onDelete: 'set null' }),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true })
	},
	(t) => [
		index('api_tokens_agency_idx').on(t.agencyId),
		check('api_tokens_label_length', sql`char_length(${t.label}) between 1 and 100`),
		check(
			'api_tokens_scopes',
			sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array['read', 'import', 'import:publish', 'demands:write', 'waste:write']::text[]`
		),
		check('api_tokens_rate', sql`${t.requestsPerMinute} between 1 and 100000`)
	]
);

/** How often each token used each route, per day: the audit of API use. */
export const apiTokenUsage = pgTable(
	'api_token_usage',
	{
		tokenId: uuid('token_id')
			.notNull()
			.references(() => apiTokens.id, { onDelete: 'cascade' }),
		// The route template with its method, e.g. "GET /api/v1/startups/{id}".
		route: text('route').notNull(),
		day: date('day').notNull(),
		count: integer('count').notNull().default(0),
		lastAt: timestamp('last_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.tokenId, t.route, t.day] })]
);

/**
 * A startup that outgrows itself, pointed to a partner agency: financing (SME Development Bank) when an accepted
 * offer exceeds its monthly capacity, space (Industrial Estate Authority) when the unmet demand it matches does.
 * The figures are kept as they were when the referral was made.
 */
export const referrals = pgTable(
	'referrals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		startupId: uuid('startup_id')
			.notNull()
			.references(() => startups.id, { onDelete: 'cascade' }),
		agencyId: text('agency_id')
			.notNull()
			.references(() => agencies.id, { onDelete: 'restrict' }),
		reason: referralReasonEnum('reason').notNull(),
		offerId: uuid('offer_id').references(() => offers.id, { onDelete: 'set null' }),
		unit: unitEnum('unit').notNull(),
		// The accepted quantity (per month for a monthly demand) or the matched unmet demand, in `unit`.
		quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		// The startup's monthly capacity in `unit` when the referral was made.
		monthlyCapacity: numeric('monthly_capacity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
		valueThb: numeric('value_thb', { precision: 16, scale: 2, mode: 'number' }),
		status: referralStatusEnum('status').notNull().default('offered'),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [
		index('referrals_startup_idx').on(t.startupId),
		index('referrals_agency_idx').on(t.agencyId, t.createdAt),
		uniqueIndex('referrals_offer_agency_key')
			.on(t.offerId, t.agencyId)
			.where(sql`${t.offerId} is not null`),
		// At most one standing referral per startup, agency and reason that is not about a single offer.
		uniqueIndex('referrals_standing_key')
			.on(t.startupId, t.agencyId, t.reason)
			.where(sql`${t.offerId} is null and ${t.status} <> 'dismissed'`),
		check('referrals_quantity_positive', sql`${t.quantity} > 0`),
		check('referrals_capacity_non_negative', sql`${t.monthlyCapacity} >= 0`)
	]
);

export * from './waste';

// ---------- LINE notifications ----------

// LINE notifications (issue 24 part 2): what each person chose to receive on LINE, the consent that choice is
// (with the notice's version, given and withdrawn), whether their LINE account still follows the official
// account, and the messages waiting to be pushed (an outbox like mail's, written in the event's transaction).

/** Which notification topics (src/lib/line.ts) a person receives on LINE; none: no row or an empty list. */
export const lineNotificationSettings = pgTable('line_notification_settings', {
	userId: uuid('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	topics: text('topics')
		.array()
		.notNull()
		.default(sql`'{}'::text[]`),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

// Choosing LINE notifications is consent (PDPA): recorded in `consents` with purpose `line_notifications`.

// What LINE's webhook last said about a linked LINE user: follow (added the official account) or unfollow (removed
// or blocked it). Keyed by LINE's user id, the subject of a 'line' identity; a user nobody linked is not recorded.
export const lineFollowers = pgTable('line_followers', {
	lineUserId: text('line_user_id').primaryKey(),
	following: boolean('following').notNull(),
	// The event's own time: a webhook redelivered late does not undo a newer one.
	changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
});

export const lineOutbox = pgTable(
	'line_outbox',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lineUserId: text('line_user_id').notNull(),
		kind: text('kind').notNull(),
		text: text('text').notNull(),
		locale: localeEnum('locale').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		attempts: integer('attempts').notNull().default(0),
		// As mail's: now for a new message, later after each failure, moved ahead while a worker sends it.
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastError: text('last_error'),
		// Kept after a later success, so the admin page counts the failures of the last day.
		lastFailedAt: timestamp('last_failed_at', { withTimezone: true })
	},
	(t) => [
		index('line_outbox_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`${t.sentAt} is null`),
		index('line_outbox_failed_idx').on(t.lastFailedAt)
	]
);

// The channel's last success and last error, one row: the outbox's sent rows are pruned after a day, and the admin
// page still says when LINE last answered.
export const lineChannelState = pgTable(
	'line_channel_state',
	{
		id: smallint('id').primaryKey().default(1),
		lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
		lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
		lastError: text('last_error')
	},
	(t) => [check('line_channel_state_single_row', sql`${t.id} = 1`)]
);

export * from './alerts';
