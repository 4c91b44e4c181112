// The audit log's one writer: every service records who did what to which record through here, so a rule about
// audit records (a column filled, a redaction) has one place to live.
import type { Queryable } from '../db';
import { auditEvents } from '../db/schema';

/** One audit record as written: who (`actorId`, `actorLabel`), the action, the subject, and what changed. */
export type AuditRecord = typeof auditEvents.$inferInsert;

/**
 * Who acted, as a record names them: a user (their id, and their email as the label), or the command line or the
 * system (no id, a label saying which).
 */
export interface AuditActor {
	id: string | null;
	label: string;
}

/** Writes one record, or several in one statement, in the caller's transaction when given one; their ids. */
export function recordAudit(db: Queryable, records: AuditRecord | AuditRecord[]): Promise<{ id: number }[]> {
	return db
		.insert(auditEvents)
		.values(Array.isArray(records) ? records : [records])
		.returning({ id: auditEvents.id });
}
