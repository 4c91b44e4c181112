import { describe, expect, it } from 'vitest';
import { similarTerms } from './suggest';

describe('similarTerms', () => {
	it('offers the vocabulary spelling nearest to a misspelt English word, with its category', () => {
		const terms = similarTerms('jasmin rize');
		expect(terms[0]).toEqual({ term: 'jasmine rice', division: '01' });
	});

	it('stays in the script the words were typed in', () => {
		const terms = similarTerms('ข้าวหอม');
		expect(terms.map((t) => t.term)).toContain('ข้าวหอมมะลิ');
		expect(terms.every((t) => /[\u0E00-\u0E7F]/.test(t.term))).toBe(true);
	});

	it('does not offer the word itself or its synonyms, which already found nothing', () => {
		const terms = similarTerms('rice').map((t) => t.term);
		expect(terms).not.toContain('rice');
		expect(terms).not.toContain('ข้าว');
	});

	it('offers nothing for words unlike any product, and for no words', () => {
		expect(similarTerms('qzxv')).toEqual([]);
		expect(similarTerms('   ')).toEqual([]);
	});

	it('keeps to the limit', () => {
		expect(similarTerms('rice', 2).length).toBeLessThanOrEqual(2);
	});
});
