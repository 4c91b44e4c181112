import { describe, expect, it } from 'vitest';
import { keptPromises } from './kept';

describe('kept promises', () => {
	it('keeps only the answers `keep` accepts', async () => {
		const kept = keptPromises({ ttlMs: 60_000, keep: (behind) => behind === false });
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
		const kept = keptPromises({ ttlMs: 60_000, maxEntries: 2 });
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
});
