import { describe, expect, it } from 'vitest';
import categories from '../reference/data/categories.json';
import { CONCEPT_BY_KEY, CONCEPTS, foldThai, meiliSynonyms, normaliseEnglish } from './vocabulary';

describe('the product vocabulary', () => {
	it('names products in every TSIC division the portal offers', () => {
		const covered = new Set(CONCEPTS.map((c) => c.division));
		expect(categories.tsic_divisions.map((d) => d.code).filter((code) => !covered.has(code))).toEqual([]);
	});

	it('joins spellings of one product into one concept', () => {
		const arabica = CONCEPT_BY_KEY.get(foldThai('อาราบิก้า'))!;
		expect(arabica.forms).toEqual(expect.arrayContaining(['อาราบิกา', 'arabica']));
		expect(CONCEPT_BY_KEY.get('fertilizer')).toBe(CONCEPT_BY_KEY.get(foldThai('ปุ๋ย')));
		expect(CONCEPT_BY_KEY.get('silk')!.forms).toEqual(expect.arrayContaining(['ผ้าไหม', 'ไหม']));
	});

	it('normalises British spelling and plurals, and folds tone marks only on long Thai words', () => {
		expect(
			['fertiliser', 'colour', 'scarves', 'tomatoes', 'berries', 'baskets'].map(normaliseEnglish)
		).toEqual(['fertilizer', 'color', 'scarf', 'tomato', 'berry', 'basket']);
		expect(foldThai('อาราบิก้า')).toBe(foldThai('อาราบิกา'));
		expect(foldThai('ข้าว')).not.toBe(foldThai('ขาว'));
	});

	it('gives Meilisearch every other spelling of a product as its synonyms', () => {
		const synonyms = meiliSynonyms();
		expect(synonyms['fertiliser']).toEqual(expect.arrayContaining(['fertilizer', 'ปุ๋ย']));
		expect(synonyms['อาราบิก้า']).toEqual(expect.arrayContaining(['อาราบิกา', 'arabica']));
	});
});
