import { describe, expect, it } from 'vitest';
import { normaliseQuery } from './log';

describe('normalising a query for the search log', () => {
	it('trims, lower-cases and collapses white space', () => {
		expect(normaliseQuery('  Jasmine \t RICE\n ข้าว  ')).toBe('jasmine rice ข้าว');
	});

	it('keeps at most 200 characters, counting as Postgres does, with no trailing space', () => {
		expect([...normaliseQuery('😀'.repeat(300))]).toHaveLength(200);
		expect(normaliseQuery(`${'a'.repeat(199)} b`)).toBe('a'.repeat(199));
	});

	it('gives nothing for a query of spaces', () => {
		expect(normaliseQuery(' \t ')).toBe('');
	});
});
