// Saved searches and the listings that entered them (issue 24 part 3). A saved search keeps what was searched and
// the keys it is found by (`anchors`): a new or changed listing looks up only the searches one of its keys names,
// so matching costs in proportion to new listings, not to every search times every listing.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './index';

export const SAVED_SEARCH_SOURCES = ['search', 'demand', 'waste'] as const;
export const ALERT_FREQUENCIES = ['instant', 'daily', 'weekly', 'off'] as const;

export const savedSearchSourceEnum = pgEnum('saved_search_source', SAVED_SEARCH_SOURCES);
export const alertFrequencyEnum = pgEnum('alert_frequency', ALERT_FREQUENCIES);

export const savedSearches = pgTable(
	'saved_searches',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/**
		 * The page it was saved from: `/search` (startups, products, demands), the demand board `/demand`, or the
		 * by-product search `/waste` (public lots).
		 */
		source: savedSearchSourceEnum('source').notNull(),
		/** The words and filters, as $lib/schemas/saved-search.ts's `SearchCriteria`. */
		criteria: jsonb('criteria').notNull(),
		/** Keys such as `demand|w:ข้าว` or `startup|tsic:10` that a listing must have one of to be a candidate. */
		anchors: text('anchors').array().notNull(),
		frequency: alertFrequencyEnum('frequency').notNull().default('instant'),
		byEmail: boolean('by_email').notNull().default(true),
		byLine: boolean('by_line').notNull().default(false),
		lastAlertedAt: timestamp('last_alerted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('saved_searches_user_idx').on(t.userId, t.createdAt),
		// The percolation lookup: `anchors && $listingKeys`.
		index('saved_searches_anchors_idx').using('gin', t.anchors),
		check('saved_searches_name_length', sql`char_length(${t.name}) between 1 and 80`)
	]
);

/**
 * A listing that entered a saved search, once per search and listing (the primary key): a listing edited again
 * is not announced again. `alertedAt` is set when an alert or digest has told the person.
 */
export const savedSearchHits = pgTable(
	'saved_search_hits',
	{
		savedSearchId: uuid('saved_search_id')
			.notNull()
			.references(() => savedSearches.id, { onDelete: 'cascade' }),
		// What saved searches find; a plain column keeps this module free of index.ts's enums.
		entity: text('entity', { enum: ['startup', 'demand', 'waste_lot'] }).notNull(),
		entityId: uuid('entity_id').notNull(),
		matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
		alertedAt: timestamp('alerted_at', { withTimezone: true })
	},
	(t) => [
		primaryKey({ columns: [t.savedSearchId, t.entity, t.entityId] }),
		// Delivery reads only what waits.
		index('saved_search_hits_pending_idx')
			.on(t.savedSearchId, t.matchedAt)
			.where(sql`${t.alertedAt} is null`),
		check('saved_search_hits_entity', sql`${t.entity} in ('startup', 'demand', 'waste_lot')`)
	]
);
