import { describe, expect, it } from 'vitest';
import { one } from './rows';

describe('one', () => {
	it('gives the first row', () => {
		expect(one([{ id: 'a' }, { id: 'b' }])).toEqual({ id: 'a' });
	});

	it('throws, naming the statement, when there is no row', () => {
		expect(() => one([], 'insert into startups')).toThrow(
			'Expected one row from the insert into startups, got none'
		);
	});
});
