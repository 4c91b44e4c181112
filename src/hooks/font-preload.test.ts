import { describe, expect, it } from 'vitest';
import { fontPreload } from './font-preload';

async function respond(type: string, link?: string) {
	const event = { request: new Request('http://portal.test/sign-in') };
	const resolve = async () =>
		new Response('<!doctype html>', { headers: { 'content-type': type, ...(link ? { link } : {}) } });
	return fontPreload({ event, resolve } as never);
}

describe('fontPreload', () => {
	it('puts the Thai faces and the Latin regular ahead of the modules in the Link header of a page', async () => {
		const modules = '<./_app/immutable/entry/start.js>; rel="modulepreload"; nopush';
		const links = (await respond('text/html', modules)).headers.get('link')!.split(', ');
		expect(links).toHaveLength(4);
		expect(links.slice(0, 3).map((link) => link.match(/noto-sans-thai-(\w+-\d+)-normal/)?.[1])).toEqual([
			'thai-400',
			'latin-400',
			'thai-700'
		]);
		for (const link of links.slice(0, 3))
			expect(link).toMatch(/rel="preload"; as="font"; type="font\/woff2"; crossorigin$/);
		expect(links[3]).toBe(modules);
	});

	it('adds the fonts to a page with no modules, and nothing to anything but a page', async () => {
		expect((await respond('text/html; charset=utf-8')).headers.get('link')).toMatch(/^<[^>]+thai-400[^>]+>/);
		expect((await respond('application/json')).headers.get('link')).toBeNull();
	});
});
