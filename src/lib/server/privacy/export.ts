// "Download my data" (PDPA s.30-31): everything the portal holds about a person, as JSON another system can read.
// Tables are found from the schema, not listed by hand: every table with a foreign key to users contributes the
// rows that name the person, so a table added later (saved searches, LINE links) is exported without a change here.
import { eq, getTableColumns, getTableName, inArray, is, or, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import * as schema from '../db/schema';
import { PRIVACY_NOTICE_VERSION } from './notice';

/** Secrets that prove nothing to the person and would let anyone who gets the file act as them. */
const WITHHELD: Record<string, string[]> = {
	users: ['passwordHash'],
	sessions: ['id'],
	auth_tokens: ['id'],
	identity_flows: ['id', 'state', 'nonce', 'codeVerifier'],
	api_tokens: ['tokenHash']
};

interface UserLink {
	table: PgTable;
	name: string;
	columns: PgColumn[];
}

/** Every table with a column that references users.id, with those columns. */
export function tablesKeyedByUser(): UserLink[] {
	const links: UserLink[] = [];
	for (const value of Object.values(schema)) {
		if (!is(value, PgTable) || value === schema.users) continue;
		const config = getTableConfig(value);
		const columns = config.foreignKeys
			.map((fk) => fk.reference())
			.filter((ref) => getTableName(ref.foreignTable) === 'users')
			.flatMap((ref) => ref.columns);
		if (columns.length > 0) links.push({ table: value, name: config.name, columns });
	}
	return links.sort((a, b) => a.name.localeCompare(b.name));
}

function withhold(name: string, row: Record<string, unknown>): Record<string, unknown> {
	const hidden = WITHHELD[name];
	if (!hidden) return row;
	return Object.fromEntries(Object.entries(row).filter(([key]) => !hidden.includes(key)));
}

export interface PersonalDataExport {
	format: 'talad-nam-kan-phalit/personal-data';
	formatVersion: 1;
	exportedAt: string;
	privacyNoticeVersion: string;
	profile: Record<string, unknown>;
	organisation: Record<string, unknown> | null;
	startup: Record<string, unknown> | null;
	/** Offers the person's startup made, and offers on the demands the person created. */
	offers: Record<string, unknown>[];
	deals: Record<string, unknown>[];
	/** Every other table that names the person, by table name. */
	records: Record<string, Record<string, unknown>[]>;
}

export async function exportPersonalData(
	db: Queryable,
	userId: string,
	now = new Date()
): Promise<PersonalDataExport | null> {
	const [user] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
	if (!user) return null;
	const records: Record<string, Record<string, unknown>[]> = {};
	for (const link of tablesKeyedByUser()) {
		const conditions: SQL[] = link.columns.map((column) => eq(column, userId));
		const rows = (await db
			.select(getTableColumns(link.table as never))
			.from(link.table)
			.where(conditions.length === 1 ? conditions[0] : or(...conditions))) as Record<string, unknown>[];
		records[link.name] = rows.map((row) => withhold(link.name, row));
	}
	const organisation = user.organisationId
		? ((
				await db.select().from(schema.organisations).where(eq(schema.organisations.id, user.organisationId))
			)[0] ?? null)
		: null;
	const startup = user.organisationId
		? ((
				await db.select().from(schema.startups).where(eq(schema.startups.organisationId, user.organisationId))
			)[0] ?? null)
		: null;
	const ownDemandIds = (records.demands ?? []).map((row) => row.id as string);
	const offerConditions: SQL[] = [];
	if (startup) offerConditions.push(eq(schema.offers.startupId, startup.id));
	if (ownDemandIds.length > 0) offerConditions.push(inArray(schema.offers.demandId, ownDemandIds));
	const offers =
		offerConditions.length > 0
			? await db
					.select()
					.from(schema.offers)
					.where(or(...offerConditions))
			: [];
	const deals =
		offers.length > 0
			? await db
					.select()
					.from(schema.deals)
					.where(
						inArray(
							schema.deals.offerId,
							offers.map((offer) => offer.id)
						)
					)
			: [];
	return {
		format: 'talad-nam-kan-phalit/personal-data',
		formatVersion: 1,
		exportedAt: now.toISOString(),
		privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
		profile: withhold('users', user),
		organisation,
		startup,
		offers,
		deals,
		records
	};
}
