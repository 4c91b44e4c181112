// The email outbox against a real database, delivered over real SMTP (nodemailer) to a local server.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountEmail } from '$lib/server/email/messages';
import { drainEmailOutboxOnce, enqueueEmail, MAX_EMAIL_ATTEMPTS } from '$lib/server/email/outbox';
import { logTransport, smtpTransport, type MailTransport } from '$lib/server/email/transport';
import * as schema from '$lib/server/db/schema';
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

	it('keeps a message whose delivery fails, with the error, and retries it up to a limit', async () => {
		const { db } = database;
		let failing = true;
		const delivered: string[] = [];
		const flaky: MailTransport = {
			async send(email) {
				if (failing && email.to === 'flaky@example.org') throw new Error('421 try again later');
				delivered.push(email.to);
			}
		};
		await enqueueEmail(db, accountEmail('invite', 'flaky@example.org', 'th', 'http://p.test/i?token=x'));
		await enqueueEmail(db, accountEmail('invite', 'fine@example.org', 'th', 'http://p.test/i?token=y'));
		expect(await drainEmailOutboxOnce(db, flaky)).toEqual({ sent: 1, failed: 1 });
		const [row] = await db
			.select()
			.from(schema.emailOutbox)
			.where(eq(schema.emailOutbox.toAddress, 'flaky@example.org'));
		expect(row).toMatchObject({ sentAt: null, attempts: 1, lastError: 'Error: 421 try again later' });
		failing = false;
		expect(await drainEmailOutboxOnce(db, flaky)).toEqual({ sent: 1, failed: 0 });
		expect(delivered).toEqual(['fine@example.org', 'flaky@example.org']);
		expect(MAX_EMAIL_ATTEMPTS).toBeGreaterThan(1);
	});

	it('prints whole messages to the log outside production, and only the header in production', async () => {
		const lines: string[] = [];
		const email = accountEmail('reset_password', 'a@example.org', 'en', 'http://p.test/r?token=secret');
		await logTransport((line) => lines.push(line), { showBody: true }).send(email);
		await logTransport((line) => lines.push(line), { showBody: false }).send(email);
		expect(lines[0]).toContain('token=secret');
		expect(lines[1]).toContain('to a@example.org: Reset your password');
		expect(lines[1]).not.toContain('token=secret');
	});
});
