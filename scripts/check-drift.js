// Fails when src/lib/server/db/schema has changes that no migration in drizzle/ covers: generates into a
// scratch copy of drizzle/ and requires drizzle-kit to find nothing to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

// drizzle-kit takes --out relative to the project, so the scratch copy lives here (git-ignored).
const scratch = '.drift-check';
fs.rmSync(scratch, { recursive: true, force: true });
fs.cpSync('drizzle', scratch, { recursive: true });
const result = spawnSync(
	'node_modules/.bin/drizzle-kit',
	[
		'generate',
		'--dialect',
		'postgresql',
		'--schema',
		'./src/lib/server/db/schema/index.ts',
		'--out',
		scratch
	],
	{ encoding: 'utf8' }
);
const added = fs.readdirSync(scratch).filter((name) => !fs.existsSync(`drizzle/${name}`));
fs.rmSync(scratch, { recursive: true, force: true });
const output = `${result.stdout}\n${result.stderr}`;
if (result.status !== 0 || /Error/.test(result.stderr)) {
	console.error(`drizzle-kit generate failed:\n${output}`);
	process.exit(1);
}
if (added.length > 0 || !/No schema changes/.test(output)) {
	console.error(
		`Schema drift: drizzle-kit generate would add ${added.join(', ') || 'a migration'}. Run npm run db:generate and commit.`
	);
	process.exit(1);
}
console.log('No schema drift: drizzle/ matches the schema.');
