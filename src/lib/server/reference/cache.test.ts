import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db';
import { forgetReference, cachedReference } from './cache';

const handle = () => ({}) as Queryable;

describe('cached reference rows', () => {
	it('reads once per database handle, and again after a seed forgets them', async () => {
		const first = handle();
		const second = handle();
		let reads = 0;
		const load = async () => ++reads;
		expect(await cachedReference(first, 'provinces', load)).toBe(1);
		expect(await cachedReference(first, 'provinces', load)).toBe(1);
		expect(await cachedReference(second, 'provinces', load)).toBe(2);
		expect(await cachedReference(first, 'certifications', load)).toBe(3);
		forgetReference(first);
		expect(await cachedReference(first, 'provinces', load)).toBe(4);
		expect(await cachedReference(second, 'provinces', load)).toBe(2);
	});

	it('does not keep a failed read: the next caller asks the database again', async () => {
		const db = handle();
		await expect(
			cachedReference(db, 'provinces', () => Promise.reject(new Error('database unreachable')))
		).rejects.toThrow('database unreachable');
		expect(await cachedReference(db, 'provinces', async () => 'read again')).toBe('read again');
	});
});
