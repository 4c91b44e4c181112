import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPatchedDriver, UnpatchedDriverError } from './driver-check';
import patch from '../../../../scripts/postgres-patch-marks.json';

function fakeDriver(files: Record<string, string>): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-check-'));
	for (const [name, source] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
		fs.writeFileSync(path.join(root, name), source);
	}
	return root;
}

describe('the patched driver check', () => {
	it('passes on the driver this project installed', () => {
		expect(() => assertPatchedDriver()).not.toThrow();
	});

	it('refuses a driver whose install scripts were skipped, in one line naming what to run', () => {
		const root = fakeDriver({
			'src/connection.js': 'function nextWrite(fn) {}',
			'cjs/src/connection.js': ''
		});
		expect(() => assertPatchedDriver(root)).toThrow(UnpatchedDriverError);
		expect(() => assertPatchedDriver(root)).toThrow(
			/^The PostgreSQL driver is not patched .*patch-postgres\.js/
		);
	});

	it('refuses a driver patched in one build and not the other', () => {
		const all = patch.marks.join('\n');
		const root = fakeDriver({ 'src/connection.js': all, 'cjs/src/connection.js': patch.marks[0]! });
		expect(() => assertPatchedDriver(root)).toThrow(/2 of 3 edits missing in .*cjs/);
		expect(() => assertPatchedDriver(fakeDriver({ 'src/connection.js': all }))).not.toThrow();
	});
});
