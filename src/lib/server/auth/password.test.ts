// Tests hash at the least argon2id cost, and nothing else can: the portal as Vite builds it for production and the
// CLI (run by tsx) hash at OWASP's 19 MiB and 2 passes, proven on a real build and a real process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashCost, PASSWORD_HASH_COST, verifyPassword } from './password';

const REAL_COST = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;
const SOURCE = path.resolve('src/lib/server/auth/password.ts');

describe('password hashing cost', () => {
	it('is the real cost in every mode but the test runner', () => {
		expect(PASSWORD_HASH_COST).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
		for (const mode of ['production', 'development', undefined])
			expect(passwordHashCost(mode)).toEqual(PASSWORD_HASH_COST);
		expect(passwordHashCost('test').memoryCost).toBeLessThan(PASSWORD_HASH_COST.memoryCost);
	});

	it('is cheap under the test runner, and a cheap hash still verifies only its password', async () => {
		const stored = await hashPassword('a long test passphrase');
		expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
		expect(await verifyPassword(stored, 'a long test passphrase')).toBe(true);
		expect(await verifyPassword(stored, 'another passphrase')).toBe(false);
	});

	it('is the real cost in the module as Vite builds it for production', async () => {
		const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'password-build-'));
		try {
			await build({
				configFile: false,
				logLevel: 'silent',
				mode: 'production',
				build: {
					ssr: SOURCE,
					outDir,
					rollupOptions: { output: { format: 'cjs', entryFileNames: 'password.cjs' } }
				}
			});
			const built = path.join(outDir, 'password.cjs');
			const stored = execFileSync(
				process.execPath,
				['-e', `require(${JSON.stringify(built)}).hashPassword('x-long-password').then(console.log)`],
				{ encoding: 'utf8', env: { ...process.env, NODE_PATH: path.resolve('node_modules') } }
			);
			expect(stored.trim()).toMatch(REAL_COST);
		} finally {
			fs.rmSync(outDir, { recursive: true, force: true });
		}
	}, 60_000);

	it('is the real cost in the CLI (tsx, as `npm run cli create-admin` runs it)', () => {
		const stored = execFileSync(
			path.resolve('node_modules/.bin/tsx'),
			[
				'-e',
				`import(${JSON.stringify(SOURCE)}).then((m) => m.hashPassword('x-long-password')).then(console.log)`
			],
			{ encoding: 'utf8' }
		);
		expect(stored.trim()).toMatch(REAL_COST);
	}, 60_000);
});
