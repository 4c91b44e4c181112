import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

function capture() {
	const lines: Record<string, unknown>[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
			done();
		}
	});
	return { lines, stream };
}

describe('the log', () => {
	it('writes JSON lines with the level by name and the time', () => {
		const { lines, stream } = capture();
		createLogger('info', stream).info({ requestId: 'r1' }, 'request');
		// Vitest types its asymmetric matchers as `any`; held as `unknown`, what toEqual takes.
		const someText: unknown = expect.any(String);
		expect(lines).toEqual([{ level: 'info', time: someText, requestId: 'r1', msg: 'request' }]);
		expect(Number.isNaN(Date.parse(lines[0]!.time as string))).toBe(false);
	});

	it('removes secrets and personal data wherever a field with their name appears', () => {
		const { lines, stream } = capture();
		createLogger('info', stream).warn(
			{
				email: 'somchai@example.co.th',
				user: { password: 'p', token: 't' },
				body: { account: { phone: '0812345678' } }
			},
			'x'
		);
		expect(JSON.stringify(lines)).not.toMatch(/somchai|0812345678|"p"|"t"/);
		expect(lines[0]).toMatchObject({
			email: '[redacted]',
			user: { password: '[redacted]', token: '[redacted]' }
		});
	});

	it('leaves out what is below its level', () => {
		const { lines, stream } = capture();
		const logger = createLogger('warn', stream);
		logger.info('quiet');
		logger.error('loud');
		expect(lines.map((line) => line.msg)).toEqual(['loud']);
	});
});

describe('errors in the log', () => {
	it('keep the failed query and its code but never the values it was sent with', async () => {
		const { DrizzleQueryError } = await import('drizzle-orm/errors');
		const cause = Object.assign(
			new Error('duplicate key value violates unique constraint "users_email_key"'),
			{
				code: '23505',
				detail: 'Key (email)=(somchai@example.co.th) already exists.'
			}
		);
		const failed = new DrizzleQueryError(
			'insert into "users" ("email") values ($1)',
			['somchai@example.co.th'],
			cause
		);
		const { lines, stream } = capture();
		createLogger('info', stream).error({ err: failed }, 'unhandled error');
		const written = JSON.stringify(lines);
		expect(written).not.toContain('somchai');
		const theStatement: unknown = expect.stringContaining('insert into "users"');
		expect(lines[0]).toMatchObject({
			err: {
				type: 'DrizzleQueryError',
				message: theStatement,
				cause: { code: '23505' }
			}
		});
	});
});
