import { describe, expect, it } from 'vitest';
import { emptyFacets, meiliFilter, parseSearchParams, quote } from './filters';
import { epochDay } from '$lib/certificates';
import { todayInThailand } from '$lib/schemas/calendar-date';

const parse = (query: string) => parseSearchParams(new URLSearchParams(query));

/** The filter with every escaped character and every quoted literal taken out: what is left is the logic. */
const logicOf = (expression: string) => expression.replace(/\\./g, '').replace(/"[^"]*"/g, '"…"');

describe('reading the search from the URL', () => {
	it('keeps known values, repeated parameters and the words as typed', () => {
		const { request, ignored } = parse(
			'q=ข้าว%20หอม&type=demand&region=Northeast&region=North&province=TH-40&tsic=10&cert=gmp&page=2'
		);
		expect(request).toEqual({
			q: 'ข้าว หอม',
			type: 'demand',
			facets: { province: ['TH-40'], region: ['Northeast', 'North'], tsic: ['10'], cert: ['gmp'] },
			page: 2
		});
		expect(ignored).toEqual([]);
	});

	it('leaves out values not on the reference lists and names their parameters, without failing', () => {
		const { request, ignored } = parse(
			'province=TH-99&province=TH-40&region=Atlantis&tsic=1&cert=iso-9999&type=service&page=9999'
		);
		expect(request.facets).toEqual({ ...emptyFacets(), province: ['TH-40'] });
		expect(request.type).toBeNull();
		expect(request.page).toBe(1);
		expect(ignored.sort()).toEqual(['cert', 'page', 'province', 'region', 'tsic', 'type']);
	});

	it('treats empty parameters (an unticked form) as absent and drops repeated values', () => {
		const { request, ignored } = parse('q=&type=&province=TH-40&province=TH-40&cert=');
		expect(request).toEqual({
			q: '',
			type: null,
			facets: { ...emptyFacets(), province: ['TH-40'] },
			page: 1
		});
		expect(ignored).toEqual([]);
	});

	it('cuts the words at 200 characters', () => {
		expect(parse(`q=${'ก'.repeat(300)}`).request.q).toHaveLength(200);
	});

	it('rejects a hostile value before it can reach a filter', () => {
		const hostile = '" OR status = "draft';
		const { request, ignored } = parse(new URLSearchParams({ province: hostile, cert: hostile }).toString());
		expect(request.facets).toEqual(emptyFacets());
		expect(ignored.sort()).toEqual(['cert', 'province']);
		expect(meiliFilter('startups', request.facets)).toEqual(['status = "approved"']);
	});
});

describe('Meilisearch filters', () => {
	it('ORs the values of one facet, ANDs facets and always keeps the visibility rule', () => {
		const facets = { ...emptyFacets(), province: ['TH-40', 'TH-10'], cert: ['gmp'] };
		const today = todayInThailand();
		expect(meiliFilter('startups', facets, undefined, today)).toEqual([
			'status = "approved"',
			'province IN ["TH-40", "TH-10"]',
			`((certifications = "gmp" AND ("certificate_expiry.gmp" NOT EXISTS OR "certificate_expiry.gmp" >= ${epochDay(today)})))`
		]);
		expect(meiliFilter('demands', facets, 'province')).toEqual([
			'status = "open"',
			'required_certifications IN ["gmp"]'
		]);
	});

	it('quotes every value, so even a value that skipped validation cannot widen the filter', () => {
		const hostile = '" OR status = "draft';
		expect(quote(hostile)).toBe('"\\" OR status = \\"draft"');
		const filter = meiliFilter('startups', { ...emptyFacets(), province: [hostile, 'x\\" OR "1'] });
		// Taking the literals out leaves one IN list of two values: no OR and no second condition.
		expect(filter.map(logicOf)).toEqual(['status = "…"', 'province IN ["…", "…"]']);
	});
});
