import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactPath, ROUTES_WITH_SECRETS, SECRET_PARAMS } from './secret-paths';

describe('paths with a secret', () => {
	it('replace the token of an unsubscribe link, on its page and its data request', () => {
		expect(redactPath('/alerts/unsubscribe/abc.def-123')).toBe('/alerts/unsubscribe/[redacted]');
		expect(redactPath('/alerts/unsubscribe/abc.def-123/__data.json')).toBe(
			'/alerts/unsubscribe/[redacted]/__data.json'
		);
		expect(redactPath('/Alerts/Unsubscribe/abc')).toBe('/Alerts/Unsubscribe/[redacted]');
	});

	it('leave every other path as it is', () => {
		for (const pathname of ['/', '/alerts/unsubscribe', '/alerts/unsubscribe/', '/search', '/startups/abc'])
			expect(redactPath(pathname)).toBe(pathname);
	});

	it('are listed for every route with a secret parameter', () => {
		const found: string[] = [];
		const walk = (dir: string, segments: string[]) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				if (!entry.isDirectory()) continue;
				// A group such as (public) is not part of the path.
				const next = /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name];
				const param = /^\[(?:\.\.\.)?(\w+)(?:=\w+)?\]$/.exec(entry.name)?.[1];
				if (param && SECRET_PARAMS.includes(param)) found.push(`/${next.join('/')}`);
				walk(path.join(dir, entry.name), next);
			}
		};
		walk(path.resolve('src/routes'), []);
		expect(found.length).toBeGreaterThan(0);
		expect(found.sort()).toEqual([...ROUTES_WITH_SECRETS].sort());
	});
});
