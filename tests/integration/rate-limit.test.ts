// Fixed-window limits on the database: exact counts, fresh windows, and no lost hits under concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '$lib/server/db/schema';
import { hitRateLimit, pruneRateLimits } from '$lib/server/rate-limit';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database?.dispose();
});

const tenPer15Minutes = { limit: 10, windowMs: 15 * 60 * 1000 };

describe('rate limits', () => {
	it('allows the limit, refuses the next hit with the time to wait, and opens a new window', async () => {
		const now = new Date('2026-11-24T10:01:00Z');
		const results = [];
		for (let i = 0; i < 11; i++)
			results.push(await hitRateLimit(database.db, 'sign-in:ip:a', tenPer15Minutes, now));
		expect(results.slice(0, 10).every((r) => r.allowed)).toBe(true);
		expect(results[9]?.remaining).toBe(0);
		expect(results[10]).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 14 * 60 });
		const later = new Date('2026-11-24T10:15:00Z');
		expect((await hitRateLimit(database.db, 'sign-in:ip:a', tenPer15Minutes, later)).allowed).toBe(true);
		// Another key has its own count.
		expect((await hitRateLimit(database.db, 'sign-in:ip:b', tenPer15Minutes, now)).remaining).toBe(9);
	});

	it('counts every one of many concurrent hits', async () => {
		const now = new Date('2026-11-24T11:00:00Z');
		const results = await Promise.all(
			Array.from({ length: 25 }, () => hitRateLimit(database.db, 'concurrent', tenPer15Minutes, now))
		);
		expect(results.filter((r) => r.allowed)).toHaveLength(10);
		expect(results.filter((r) => !r.allowed)).toHaveLength(15);
	});

	it('counts several hits of one request at once: within the limit, or refused whole', async () => {
		const now = new Date('2026-11-24T12:00:00Z');
		expect(await hitRateLimit(database.db, 'batch', tenPer15Minutes, now, 7)).toMatchObject({
			allowed: true,
			remaining: 3
		});
		expect((await hitRateLimit(database.db, 'batch', tenPer15Minutes, now, 4)).allowed).toBe(false);
	});

	it('prunes windows that have ended', async () => {
		await pruneRateLimits(database.db, new Date('2026-11-24T10:30:00Z'));
		const left = await database.db.select().from(schema.rateLimits);
		expect(left.every((row) => row.windowStart >= new Date('2026-11-24T10:30:00Z'))).toBe(true);
		expect(left.length).toBeGreaterThan(0);
	});
});
