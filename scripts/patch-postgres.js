// postgres.js 3.4.9 takes the whole process down when a connection drops during a transaction: the ROLLBACK it
// then sends is buffered behind a setImmediate that fires after the socket was set to null, and the TypeError
// thrown there cannot be caught (porsager/postgres#1154, #1208; the fix in #1209 is not released). Its teardown
// also keeps the buffered bytes and the cancelled timer, so a reconnected socket could never flush again.
// Until a release fixes it, this rewrites the driver after install: a write with no socket rejects its query
// with CONNECTION_CLOSED (the portal answers 503), and teardown drops what was buffered. Idempotent; it fails
// loudly if the code it expects is not there (a new version: check whether it still needs this).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARK = '/* patched: no socket, no write (porsager/postgres#1154) */';
const EXPECTED_VERSION = '3.4.9';

const GUARD = {
	from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
	to:
		'  function nextWrite(fn) {\n' +
		`    if (socket === null) { ${MARK}\n` +
		'      chunk = nextWriteTimer = null\n' +
		"      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
		'      return false\n' +
		'    }\n' +
		'    const x = socket.write(chunk, fn)\n'
};
// In terminate() and closed(): the timer is cancelled, so it must read as unarmed, and the bytes meant for the
// old socket must not go first down the next one.
const TEARDOWN = {
	from: '    clearImmediate(nextWriteTimer)\n',
	to: '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n'
};

const require = createRequire(import.meta.url);
// The package exports no package.json; its CommonJS entry is <root>/cjs/src/index.js.
const root = path.resolve(path.dirname(require.resolve('postgres')), '..', '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
if (version !== EXPECTED_VERSION) {
	throw new Error(
		`scripts/patch-postgres.js is written for postgres ${EXPECTED_VERSION}, found ${version}: ` +
			'check whether the new version fixes porsager/postgres#1154 and remove or update the patch.'
	);
}

for (const flavour of ['src', 'cjs/src', 'cf/src']) {
	const file = path.join(root, flavour, 'connection.js');
	if (!fs.existsSync(file)) continue;
	const source = fs.readFileSync(file, 'utf8');
	if (source.includes(MARK)) continue;
	const teardowns = source.split(TEARDOWN.from).length - 1;
	if (!source.includes(GUARD.from) || teardowns !== 2) {
		throw new Error(
			`scripts/patch-postgres.js: ${file} does not look like postgres ${version}; not patched.`
		);
	}
	const patched = source.replace(GUARD.from, GUARD.to).replaceAll(TEARDOWN.from, TEARDOWN.to);
	// Atomically: a process loading the driver meanwhile sees the old file or the new one.
	fs.writeFileSync(`${file}.tmp`, patched);
	fs.renameSync(`${file}.tmp`, file);
}
