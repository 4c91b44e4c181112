import { describe, expect, it } from 'vitest';
import { promiseCache } from './promises';

describe('the promise cache', () => {
	it('keeps only the answers `keep` accepts', async () => {
		const kept = promiseCache({ ttlMs: 60_000, keep: (behind) => behind === false });
		const owner = {};
		const answers = [true, false, true];
		let reads = 0;
		const read = async () => answers[reads++]!;
		expect(await kept.get(owner, 'startup', read)).toBe(true);
		expect(await kept.get(owner, 'startup', read)).toBe(false);
		expect(await kept.get(owner, 'startup', read)).toBe(false);
		expect(reads).toBe(2);
	});

	it('holds at most `maxEntries` answers per owner, dropping the oldest', async () => {
		const kept = promiseCache({ ttlMs: 60_000, maxEntries: 2 });
		const owner = {};
		let reads = 0;
		const read = async () => ++reads;
		await kept.get(owner, 'a', read);
		await kept.get(owner, 'b', read);
		await kept.get(owner, 'c', read);
		expect(await kept.get(owner, 'c', read)).toBe(3);
		expect(await kept.get(owner, 'b', read)).toBe(2);
		expect(await kept.get(owner, 'a', read)).toBe(4);
	});

	it('does not join a read that started before invalidate(): it may hold what was just changed', async () => {
		const cache = promiseCache({ ttlMs: 60_000 });
		const owner = {};
		let reads = 0;
		let finishFirst!: () => void;
		const first = cache.get(
			owner,
			'q',
			() => new Promise<number>((done) => (finishFirst = () => done(++reads)))
		);
		cache.invalidate();
		const second = cache.get(owner, 'q', async () => ++reads);
		finishFirst();
		expect(await first).toBe(2);
		expect(await second).toBe(1);
		expect(await cache.get(owner, 'q', async () => ++reads)).toBe(1);
	});

	it('with staleWaitMs, gives the stale answer when the fresh one is slow, and reads once for everyone', async () => {
		const cache = promiseCache({ ttlMs: 60_000, staleWaitMs: 20 });
		const owner = {};
		let reads = 0;
		expect(await cache.get(owner, 'figures', async () => `v${++reads}`)).toBe('v1');
		cache.invalidate();
		let finish!: () => void;
		const slow = () => new Promise<string>((done) => (finish = () => done(`v${++reads}`)));
		const waited = cache.get(owner, 'figures', slow);
		const meanwhile = await cache.get(owner, 'figures', slow);
		expect(meanwhile).toBe('v1');
		expect(await waited).toBe('v1');
		finish();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(await cache.get(owner, 'figures', slow)).toBe('v2');
		expect(reads).toBe(2);
	});

	it('with staleWaitMs, waits for a fresh answer that comes in time', async () => {
		const cache = promiseCache({ ttlMs: 60_000, staleWaitMs: 1_000 });
		const owner = {};
		let reads = 0;
		await cache.get(owner, 'figures', async () => ++reads);
		cache.invalidate();
		expect(await cache.get(owner, 'figures', async () => ++reads)).toBe(2);
	});

	it('keeps an answer read with followInvalidation: false through invalidate(), until it expires', async () => {
		const cache = promiseCache({ ttlMs: 60_000 });
		const owner = {};
		let reads = 0;
		const read = async () => ++reads;
		await cache.get(owner, 'daily', read, { followInvalidation: false });
		cache.invalidate();
		expect(await cache.get(owner, 'daily', read, { followInvalidation: false })).toBe(1);
		await cache.get(owner, 'short', read, { ttlMs: -1 });
		expect(await cache.get(owner, 'short', read)).toBe(3);
	});
});
