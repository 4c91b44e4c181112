// Consent where consent is the lawful basis (marketing mail, LINE notifications): given under a notice version,
// withdrawn at any time as easily as given, and asked again when the notice changes. The one record of consent: the
// LINE choices on the account page write here too (line/service.ts), and it is kept when an account is deleted.
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Queryable } from '../db';
import { consents } from '../db/schema';
import { noticeVersionOf, type ConsentPurpose } from './notice';

export type ConsentRow = typeof consents.$inferSelect;

/**
 * Records consent to `purpose` under `version`. A standing consent under another version is closed and replaced, so
 * the history keeps which notice each consent was given under.
 */
export async function recordConsent(
	db: Queryable,
	userId: string,
	purpose: ConsentPurpose,
	{ version = noticeVersionOf(purpose), now = new Date() }: { version?: string; now?: Date } = {}
): Promise<void> {
	await db
		.update(consents)
		.set({ withdrawnAt: now })
		.where(
			and(
				eq(consents.userId, userId),
				eq(consents.purpose, purpose),
				isNull(consents.withdrawnAt),
				ne(consents.noticeVersion, version)
			)
		);
	await db
		.insert(consents)
		.values({ userId, purpose, noticeVersion: version, givenAt: now })
		.onConflictDoNothing();
}

/** Withdraws a standing consent; returns whether there was one. */
export async function withdrawConsent(
	db: Queryable,
	userId: string,
	purpose: ConsentPurpose,
	now = new Date()
): Promise<boolean> {
	const rows = await db
		.update(consents)
		.set({ withdrawnAt: now })
		.where(and(eq(consents.userId, userId), eq(consents.purpose, purpose), isNull(consents.withdrawnAt)))
		.returning({ id: consents.id });
	return rows.length > 0;
}

export interface CurrentConsent {
	purpose: ConsentPurpose;
	noticeVersion: string;
	givenAt: Date;
	/** Given under an older notice: not relied on until renewed. */
	stale: boolean;
}

/**
 * The person's standing consents, each marked stale when given under another version of its purpose's notice
 * (`version`: that version for every purpose instead).
 */
export async function currentConsents(
	db: Queryable,
	userId: string,
	version?: string
): Promise<CurrentConsent[]> {
	const rows = await db
		.select()
		.from(consents)
		.where(and(eq(consents.userId, userId), isNull(consents.withdrawnAt)))
		.orderBy(consents.purpose);
	return rows.map((row) => ({
		purpose: row.purpose,
		noticeVersion: row.noticeVersion,
		givenAt: row.givenAt,
		stale: row.noticeVersion !== (version ?? noticeVersionOf(row.purpose))
	}));
}

/** Whether processing for `purpose` may go ahead: a standing consent under the current notice. */
export async function hasConsent(
	db: Queryable,
	userId: string,
	purpose: ConsentPurpose,
	version?: string
): Promise<boolean> {
	return (await currentConsents(db, userId, version)).some((c) => c.purpose === purpose && !c.stale);
}
