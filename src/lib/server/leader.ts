// Which app node runs the work that must run on one node at a time (the search outbox, a requested rebuild, the
// demand schedule, the gap coverage, the referral check, the sweep of orphaned uploads): a PostgreSQL advisory
// lock per job, taken for the length of a transaction.
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Db, Tx } from './db';

/** One key per job, the same on every node (the migrations hold 7_142_001). */
export const LEADER_LOCKS = {
	searchOutbox: 7_142_101,
	searchReindex: 7_142_102,
	demandSchedule: 7_142_103,
	gapCoverage: 7_142_104,
	referrals: 7_142_105,
	orphanUploads: 7_142_106,
	certificates: 7_142_120,
	savedSearchAlerts: 7_142_130,
	wasteReminders: 7_142_131
} as const;

export type LeaderLock = keyof typeof LEADER_LOCKS;

/**
 * Takes `lock` until `tx` ends, unless another node holds it. A transaction-level lock needs no unlock and
 * cannot outlive its holder: a node that dies, or loses its connection, ends its transaction and frees the job.
 */
export async function tryLeaderLock(tx: Tx, lock: LeaderLock): Promise<boolean> {
	const [row] = await tx
		.select({ taken: sql<boolean>`pg_try_advisory_xact_lock(${LEADER_LOCKS[lock]})` })
		.from(sql`(values (1)) as one (n)`);
	return row?.taken === true;
}

/**
 * Runs `round` when this node leads `lock`; `undefined` means another node does and ran nothing here. For
 * jobs that make their own transactions: on PostgreSQL the lock is held by a transaction left open on one pooled
 * connection while `round` runs on the others, and released when it ends, however it ends.
 */
export async function asLeader<T>(db: Db, lock: LeaderLock, round: () => Promise<T>): Promise<T | undefined> {
	// With a single connection the lock's transaction would hold the one `round` waits for. These jobs are safe
	// to run on several nodes at once (at worst the work is done twice), so such a node runs them unguarded.
	if ((db as Db & { $client: Sql }).$client.options.max < 2) return round();
	let outcome: { value: T } | undefined;
	await db.transaction(async (tx) => {
		if (await tryLeaderLock(tx, lock)) outcome = { value: await round() };
	});
	return outcome?.value;
}
