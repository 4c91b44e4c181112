import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from './index';
import { isConnectionLost } from './errors';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const failedQuery = (cause: unknown) => new DrizzleQueryError('select 1', [], cause as Error);

describe('isConnectionLost', () => {
	it('recognises a dropped or refused connection behind drizzle, and the server going away', () => {
		expect(isConnectionLost(failedQuery(coded('CONNECTION_CLOSED')))).toBe(true);
		expect(isConnectionLost(coded('ECONNREFUSED'))).toBe(true);
		expect(isConnectionLost(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))).toBe(true);
		// pg_terminate_backend, a server starting up, and class 08.
		expect(isConnectionLost(failedQuery(coded('57P01')))).toBe(true);
		expect(isConnectionLost(failedQuery(coded('57P03')))).toBe(true);
		expect(isConnectionLost(failedQuery(coded('08006')))).toBe(true);
	});

	it('leaves every other failure alone', () => {
		expect(isConnectionLost(failedQuery(coded('23505')))).toBe(false);
		expect(isConnectionLost(failedQuery(new Error('syntax')))).toBe(false);
		expect(isConnectionLost(coded('ENOENT'))).toBe(false);
		expect(isConnectionLost('CONNECTION_CLOSED')).toBe(false);
	});
});

describe('DatabaseUnavailableError', () => {
	it('is what a query failing on a lost connection is an instance of, and nothing else', () => {
		expect(failedQuery(coded('CONNECTION_CLOSED'))).toBeInstanceOf(DatabaseUnavailableError);
		expect(new DatabaseUnavailableError('down')).toBeInstanceOf(DatabaseUnavailableError);
		expect(failedQuery(coded('23505'))).not.toBeInstanceOf(DatabaseUnavailableError);
		// A subclass keeps the ordinary test.
		class Narrower extends DatabaseUnavailableError {}
		expect(new Narrower('down')).toBeInstanceOf(DatabaseUnavailableError);
		expect(failedQuery(coded('CONNECTION_CLOSED'))).not.toBeInstanceOf(Narrower);
	});
});
