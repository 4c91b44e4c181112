// One owner per concept, kept so: audit records are written by recordAudit only, and UserError is given its field
// and status by name (no positional `undefined`).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve('src');
const RECORDER = path.join(ROOT, 'lib', 'server', 'audit', 'record.ts');

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sources(full);
		return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

const files = sources(ROOT).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
const where = (file: string, text: string, index: number) =>
	`${path.relative(ROOT, file)}:${text.slice(0, index).split('\n').length}`;

describe('one owner per concept', () => {
	it('writes audit records only through recordAudit', () => {
		const direct = files.flatMap(({ file, text }) =>
			file === RECORDER
				? []
				: [...text.matchAll(/\.insert\(\s*(?:schema\.)?auditEvents\s*\)/g)].map((m) =>
						where(file, text, m.index)
					)
		);
		expect(direct).toEqual([]);
		// The check reads the files it means to: the recorder itself matches.
		expect(fs.readFileSync(RECORDER, 'utf8')).toMatch(/\.insert\(\s*auditEvents\s*\)/);
	});

	it('gives UserError its field, status and wait by name', () => {
		const positional = files.flatMap(({ file, text }) =>
			[...text.matchAll(/new UserError\(([^()]|\([^()]*\))*?,\s*undefined\s*[,)]/g)].map((m) =>
				where(file, text, m.index)
			)
		);
		expect(positional).toEqual([]);
		expect(files.some(({ text }) => /new UserError\([^)]*\{ status: 409 \}/.test(text))).toBe(true);
	});
});
