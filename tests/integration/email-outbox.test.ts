// The email outbox against a real database, delivered over real SMTP (nodemailer) to a local server.
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountEmail } from '$lib/server/email/messages';
import {
	drainEmailOutboxOnce,
	enqueueEmail,
	KEEP_SENT_MAIL_MS,
	KEEP_UNDELIVERED_MAIL_MS,
	MAX_EMAIL_ATTEMPTS,
	retryDelayMs
} from '$lib/server/email/outbox';
import { logTransport, smtpTransport, type MailTransport } from '$lib/server/email/transport';
import * as schema from '$lib/server/db/schema';
import { tidyOnce } from '$lib/server/housekeeping';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startSmtpServer } from '../helpers/smtp';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

describe('email outbox', () => {
	it('delivers queued mail over SMTP, in the recipient’s language, once', async () => {
		const { db } = database;
		const smtp = await startSmtpServer();
		const transport = smtpTransport(`smtp://127.0.0.1:${smtp.port}`, 'Portal <no-reply@portal.test>');
		try {
			await enqueueEmail(
				db,
				accountEmail('reset_password', 'somchai@example.org', 'th', 'http://p.test/r?token=abc')
			);
			await enqueueEmail(
				db,
				accountEmail('verify_email', 'anna@example.org', 'en', 'http://p.test/v?token=def')
			);
			expect(await drainEmailOutboxOnce(db, transport)).toEqual({ sent: 2, failed: 0 });
			expect(await drainEmailOutboxOnce(db, transport)).toEqual({ sent: 0, failed: 0 });
			expect(smtp.received.map((mail) => mail.to)).toEqual([['somchai@example.org'], ['anna@example.org']]);
			expect(smtp.received[0]!.from).toBe('no-reply@portal.test');
			const english = smtp.received[1]!.data;
			expect(english).toContain('Subject: Confirm your email address');
			// Quoted-printable: soft line breaks and =XX escapes undone (the link is ASCII).
			const decoded = english
				.replace(/=\n/g, '')
				.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
			expect(decoded).toContain('http://p.test/v?token=def');
			const unsent = await db.$count(schema.emailOutbox, eq(schema.emailOutbox.attempts, 0));
			expect(unsent).toBe(0);
		} finally {
			transport.close?.();
			await smtp.close();
		}
	});

	it('keeps a message a greylisting server refuses and delivers it on a later try, backing off', async () => {
		const { db } = database;
		const smtp = await startSmtpServer();
		const transport = smtpTransport(`smtp://127.0.0.1:${smtp.port}`, 'Portal <no-reply@portal.test>');
		let start = 0;
		const at = (ms: number) => () => new Date(start + ms);
		try {
			await enqueueEmail(db, accountEmail('invite', 'grey@example.org', 'th', 'http://p.test/i?token=x'));
			// A moment after the database stamped the message due (its clock may run a little ahead of ours).
			start = Date.now() + 1_000;
			smtp.greylisting = true;
			expect(await drainEmailOutboxOnce(db, transport, { now: at(0) })).toEqual({ sent: 0, failed: 1 });
			const [row] = await db
				.select()
				.from(schema.emailOutbox)
				.where(eq(schema.emailOutbox.toAddress, 'grey@example.org'));
			expect(row).toMatchObject({ sentAt: null, attempts: 1 });
			expect(row!.lastError).toMatch(/421/);
			expect(row!.nextAttemptAt.getTime()).toBe(start + retryDelayMs(1));
			// Not due yet: the worker leaves it alone instead of spending its attempts within seconds.
			expect(await drainEmailOutboxOnce(db, transport, { now: at(30_000) })).toEqual({ sent: 0, failed: 0 });
			smtp.greylisting = false;
			expect(await drainEmailOutboxOnce(db, transport, { now: at(retryDelayMs(1)) })).toEqual({
				sent: 1,
				failed: 0
			});
			expect(smtp.received.map((mail) => mail.to)).toEqual([['grey@example.org']]);
		} finally {
			transport.close?.();
			await smtp.close();
		}
	});

	it('backs off from a minute to two hours and keeps trying for hours before giving up', () => {
		expect(retryDelayMs(1)).toBe(60_000);
		expect(retryDelayMs(2)).toBe(120_000);
		expect(retryDelayMs(20)).toBe(2 * 60 * 60_000);
		let waited = 0;
		for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt++) waited += retryDelayMs(attempt);
		expect(waited).toBeGreaterThan(6 * 60 * 60_000);
	});

	it('sends with no transaction open, so the message row is not locked while the server is slow', async () => {
		const { db } = database;
		await enqueueEmail(db, accountEmail('invite', 'unlocked@example.org', 'th', 'http://p.test/i?token=z'));
		const probe: MailTransport = {
			async send(email) {
				// With the taking transaction still open this update would wait for its lock (or, on the embedded
				// database, for the transaction) for ever.
				const update = db
					.update(schema.emailOutbox)
					.set({ lastError: 'touched while sending' })
					.where(eq(schema.emailOutbox.toAddress, email.to));
				const stuck = new Promise((_, reject) => setTimeout(() => reject(new Error('row locked')), 5_000));
				await Promise.race([update, stuck]);
			}
		};
		expect(await drainEmailOutboxOnce(db, probe)).toEqual({ sent: 1, failed: 0 });
	});

	it('gives up after the last attempt and keeps the message with its error', async () => {
		const { db } = database;
		const refusing: MailTransport = {
			async send() {
				throw new Error('550 mailbox unavailable');
			}
		};
		await enqueueEmail(db, accountEmail('invite', 'gone@example.org', 'th', 'http://p.test/i?token=g'));
		let clock = Date.now();
		for (let attempt = 1; attempt <= MAX_EMAIL_ATTEMPTS + 2; attempt++) {
			await drainEmailOutboxOnce(db, refusing, { now: () => new Date(clock) });
			clock += 3 * 60 * 60_000;
		}
		const [row] = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, 'gone@example.org'));
		expect(row).toMatchObject({
			sentAt: null,
			attempts: MAX_EMAIL_ATTEMPTS,
			lastError: 'Error: 550 mailbox unavailable'
		});
	});

	it('forgets delivered mail after a day and undelivered mail after thirty days', async () => {
		const { db } = database;
		const now = new Date();
		const ago = (ms: number) => new Date(now.getTime() - ms);
		const row = (to: string, fields: Partial<typeof schema.emailOutbox.$inferInsert>) => ({
			toAddress: to,
			subject: 's',
			bodyText: 'http://p.test/r?token=old',
			...fields
		});
		await db.insert(schema.emailOutbox).values([
			row('sent-old@prune.test', {
				createdAt: ago(KEEP_SENT_MAIL_MS + 120_000),
				sentAt: ago(KEEP_SENT_MAIL_MS + 60_000)
			}),
			row('sent-new@prune.test', { sentAt: ago(60_000) }),
			row('dead-old@prune.test', {
				createdAt: ago(KEEP_UNDELIVERED_MAIL_MS + 60_000),
				attempts: MAX_EMAIL_ATTEMPTS
			}),
			row('dead-new@prune.test', { createdAt: ago(60_000), attempts: MAX_EMAIL_ATTEMPTS }),
			row('waiting-old@prune.test', { createdAt: ago(KEEP_UNDELIVERED_MAIL_MS + 60_000), attempts: 3 })
		]);
		await db.insert(schema.rateLimits).values([
			{ key: 'prune-test:old', windowStart: ago(2 * 24 * 60 * 60_000), hits: 3 },
			{ key: 'prune-test:new', windowStart: ago(60_000), hits: 3 }
		]);
		await tidyOnce(db, now);
		const left = await db
			.select({ to: schema.emailOutbox.toAddress })
			.from(schema.emailOutbox)
			.where(like(schema.emailOutbox.toAddress, '%@prune.test'));
		expect(left.map((r) => r.to).sort()).toEqual([
			'dead-new@prune.test',
			'sent-new@prune.test',
			'waiting-old@prune.test'
		]);
		const windows = await db
			.select({ key: schema.rateLimits.key })
			.from(schema.rateLimits)
			.where(like(schema.rateLimits.key, 'prune-test:%'));
		expect(windows.map((w) => w.key)).toEqual(['prune-test:new']);
	});

	it('prints whole messages, links included, when there is no SMTP server to deliver them', async () => {
		const lines: string[] = [];
		const email = accountEmail('reset_password', 'a@example.org', 'en', 'http://p.test/r?token=secret');
		await logTransport((line) => lines.push(line)).send(email);
		expect(lines[0]).toContain('to a@example.org: Reset your password');
		expect(lines[0]).toContain('not delivered');
		expect(lines[0]).toContain('token=secret');
	});
});
