// `npm start`: builds the portal when its sources changed since the last build (or there is none), then runs it, in
// production mode unless told otherwise (the safe defaults: no development mailbox, the page cache on).
// `npm run serve` runs the existing build as it is.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

process.env.NODE_ENV ??= 'production';
// adapter-node trusts ORIGIN for SvelteKit's CSRF check; without it, it assumes https and every form posted over
// plain http on localhost would be refused.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? '3000'}`;
// adapter-node refuses bodies over 512 KB by default. Pages take up to 6 MB (src/hooks/body-limit.ts); the API's
// import takes exchange documents up to API_IMPORT_MAX_BYTES (32 MB by default).
process.env.BODY_SIZE_LIMIT ??= '40M';

const root = path.resolve(import.meta.dirname, '..');
/** What the build is made from. The Paraglide output under src/lib/paraglide is written by the build itself. */
const SOURCES = [
	'src',
	'static',
	'messages',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];
const GENERATED = path.join(root, 'src', 'lib', 'paraglide');
const STAMP = path.join(root, 'build', '.sources-sha256');

/** One hash over the path and content of every source file, in a stable order. */
function sourcesHash() {
	const hash = crypto.createHash('sha256');
	const visit = (entry) => {
		const full = path.join(root, entry);
		if (full === GENERATED || !fs.existsSync(full)) return;
		if (fs.statSync(full).isDirectory()) {
			for (const name of fs.readdirSync(full).sort()) visit(path.join(entry, name));
			return;
		}
		hash.update(`${entry}\0`);
		hash.update(fs.readFileSync(full));
	};
	for (const entry of SOURCES) visit(entry);
	return hash.digest('hex');
}

/** A DATABASE_URL that cannot be reached is said before a build of a minute, not after it. */
async function checkDatabaseUrl() {
	const url = process.env.DATABASE_URL;
	if (!url) return;
	const { default: postgres } = await import('postgres');
	let client;
	try {
		client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
		await client`select 1`;
	} catch (error) {
		const where = URL.canParse(url)
			? `${new URL(url).hostname}:${new URL(url).port || '5432'}${new URL(url).pathname}`
			: 'an unparseable URL';
		const reason = error instanceof AggregateError ? error.errors[0]?.message : error?.message;
		console.error(
			`ตลาดนำการผลิต could not start: Cannot reach PostgreSQL at ${where} (DATABASE_URL): ${reason ?? error}`
		);
		process.exit(1);
	} finally {
		await client?.end({ timeout: 0 });
	}
}

if (process.argv.includes('--build-if-changed')) {
	await checkDatabaseUrl();
	const wanted = sourcesHash();
	const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
	if (built === wanted && fs.existsSync(path.join(root, 'build', 'index.js'))) {
		console.log('Sources unchanged since the last build: starting it.');
	} else {
		console.log(
			built ? 'Sources changed since the last build: building…' : 'Building the portal (first start)…'
		);
		const started = Date.now();
		const vite = path.join(root, 'node_modules', '.bin', 'vite');
		const result = spawnSync(vite, ['build', '--logLevel', 'error'], {
			cwd: root,
			stdio: ['ignore', 'ignore', 'inherit']
		});
		if (result.status !== 0) {
			console.error('ตลาดนำการผลิต could not start: the build failed (the errors are above).');
			process.exit(1);
		}
		fs.writeFileSync(STAMP, wanted);
		console.log(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
	}
}
await import('../build/index.js');
