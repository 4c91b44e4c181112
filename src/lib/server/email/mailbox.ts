// The development mailbox behind /dev/mail: who may read it, and what it shows. It holds password-reset and
// invitation links, so it answers only when switched on (env.devMailbox, never in production) and only to a
// browser on this machine that reached the portal directly, not through a proxy that would make everyone local.
import { desc } from 'drizzle-orm';
import type { Queryable } from '../db';
import { emailOutbox } from '../db/schema';

/** Headers a reverse proxy adds: behind one, the socket's loopback address says nothing about the visitor. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (Node reports ::ffff:127.0.0.1 on a dual-stack socket). */
export function isLoopbackAddress(address: string): boolean {
	const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
	return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function mayReadDevMailbox(enabled: boolean, request: Request, clientAddress: () => string): boolean {
	if (!enabled) return false;
	if (PROXY_HEADERS.some((name) => request.headers.has(name))) return false;
	return isLoopbackAddress(clientAddress());
}

export function recentMail(db: Queryable, limit = 50) {
	return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}
