import { describe, expect, it } from 'vitest';
import { productsNamed, sameWord, textRelevance } from './relevance';

describe('textRelevance', () => {
	it('finds a product across languages, through the vocabulary', () => {
		expect(textRelevance('Jasmine rice for hotels', 'ข้าวหอมมะลิ')).toEqual({
			relevance: 0.667,
			terms: ['ข้าวหอมมะลิ']
		});
		expect(textRelevance('ข้าวหอมมะลิ', 'Jasmine rice').terms).toEqual(['Jasmine rice']);
		expect(textRelevance('Solar panels 500 W', 'แผงโซลาร์เซลล์').relevance).toBe(1);
	});

	it('reads Thai transliteration variants, British spelling and plurals as the same word', () => {
		// Shown as the startup spells it.
		expect(textRelevance('กาแฟอาราบิก้าคั่ว', 'กาแฟอาราบิกา').terms).toEqual(['อาราบิกา']);
		expect(textRelevance('Arabica coffee', 'กาแฟอาราบิกา').terms).toEqual(['อาราบิกา']);
		expect(textRelevance('กาแฟอาราบิก้าคั่ว', 'Arabica coffee').terms).toEqual(['Arabica']);
		expect(textRelevance('Organic fertiliser', 'organic fertilizer').relevance).toBe(1);
		expect(textRelevance('Organic fertiliser', 'ปุ๋ยอินทรีย์').relevance).toBe(1);
		expect(textRelevance('Bamboo baskets', 'bamboo basket').relevance).toBe(1);
	});

	it('credits a product named by its material as a partial match, the form and material as a full one', () => {
		expect(textRelevance('Silk scarves', 'ผ้าพันคอไหม').relevance).toBe(1);
		expect(textRelevance('Silk scarves', 'silk fabric')).toEqual({ relevance: 0.5, terms: ['silk'] });
		expect(textRelevance('Silk scarves', 'ผ้าไหม').relevance).toBe(0.5);
	});

	it('finds a product whose name has other words between its own', () => {
		expect(textRelevance('Roasted coffee', 'Medium-roast Arabica coffee')).toEqual({
			relevance: 1,
			terms: ['roast Arabica coffee']
		});
		expect(textRelevance('กาแฟคั่ว', 'กาแฟอาราบิก้าคั่วกลาง').terms).toEqual(['กาแฟอาราบิก้าคั่ว']);
		// Rice crackers are not rice.
		expect(textRelevance('Jasmine rice', 'ข้าวเกรียบ rice crackers').relevance).toBe(0);
	});

	it('tolerates typos as Meilisearch does', () => {
		expect(textRelevance('Roasted cofee', 'กาแฟคั่ว').relevance).toBe(1);
		expect(textRelevance('Latex pilow', 'หมอนยางพารา').relevance).toBe(1);
		expect(sameWord('coffee', 'cofee')).toBe(true);
		expect(sameWord('rice', 'ricr')).toBe(false);
		expect(sameWord('fertilizer', 'fertilzier')).toBe(true);
	});

	it('shows only whole words, never fragments of a company name', () => {
		const { relevance, terms } = textRelevance('Roasted coffee', 'Bean Roasters Co., Ltd. น้ำปลา');
		expect(relevance).toBe(0);
		expect(terms).toEqual([]);
		const coffee = textRelevance('กาแฟคั่วกลาง', 'กาแฟคั่ว Arabica roasted coffee');
		expect(coffee.terms.every((t) => !/^\S{1,2}$/.test(t))).toBe(true);
	});

	it('is not about the product when only words beside the product are shared', () => {
		// หมอน of ทุเรียนหมอนทอง (a durian variety) is also the pillow of หมอนยางพารา.
		expect(textRelevance('ทุเรียนหมอนทอง', 'หมอนยางพารา').relevance).toBe(0);
		expect(textRelevance('ทุเรียนหมอนทอง', 'durian').relevance).toBeGreaterThan(0);
		// Short native words differ by tone alone: ขาว (white) is not ข้าว (rice).
		expect(textRelevance('ข้าว', 'สุราขาว').relevance).toBe(0);
	});

	it('names each product a text asks for once, for a search engine to be asked for each', () => {
		expect(productsNamed('Silk scarves')).toEqual(['ผ้าไหม', 'ผ้าพันคอ']);
		expect(productsNamed('Organic fertiliser for rice farms')).toEqual(['ปุ๋ยอินทรีย์', 'ข้าว']);
	});
});
