// Every audit action the services write has a Thai and English text, so officers never read a code.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionName } from './i18n';

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
	});
}

describe('audit action names', () => {
	it('names every action the services record', () => {
		const actions = new Set<string>();
		for (const file of sources('src/lib/server')) {
			const text = fs.readFileSync(file, 'utf8');
			for (const match of text.matchAll(
				/'((?:user|startup|selection|demand|referral|api_token|report|office|offer|material_want|waste_[a-z]+|organisation)\.[a-z_]+)'/g
			))
				actions.add(match[1]!);
		}
		// Actions written from a template: `startup.${decision}` (standing) and `offer.${decision}` (agencies).
		for (const decision of ['suspend', 'revoke', 'reinstate']) actions.add(`startup.${decision}`);
		for (const decision of ['accept', 'decline']) actions.add(`offer.${decision}`);
		expect(actions.size).toBeGreaterThan(40);
		expect([...actions].filter((action) => auditActionName(action) === action)).toEqual([]);
		expect(auditActionName('startup.approve')).toBe('อนุมัติใบสมัคร');
	});
});
