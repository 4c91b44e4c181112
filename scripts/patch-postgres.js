// postgres.js 3.4.9 takes the whole process down when a connection drops at the wrong moment, and no caller can
// catch it. Until a release fixes these, this rewrites the driver after install. Each edit is idempotent (its
// mark says it is done) and fails loudly if the code it expects is not there (a new version: check whether it
// still needs this).
//
// 1. During a transaction: the ROLLBACK it then sends is buffered behind a setImmediate that fires after the
//    socket was set to null, and the TypeError thrown there is uncaught (porsager/postgres#1154, #1208; the fix
//    in #1209 is not released). A write with no socket now rejects its query with CONNECTION_CLOSED (the portal
//    answers 503).
// 2. Its teardown keeps the buffered bytes and the cancelled timer, so a reconnected socket could never flush
//    again: teardown now drops what was buffered.
// 3. Just after connecting: the driver asks the server for its array types and nobody awaits that query, so a
//    connection lost meanwhile is an unhandled rejection, which ends a Node process. The query waiting behind
//    it already receives the connection error, so the lookup's own rejection is dropped (the next connection
//    asks again).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Shared with the start-up check, which refuses a driver that lacks them (install scripts skipped).
const { version: EXPECTED_VERSION, marks: MARKS } = JSON.parse(
	fs.readFileSync(new URL('./postgres-patch-marks.json', import.meta.url), 'utf8')
);

const EDITS = [
	{
		mark: MARKS[0],
		from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
		to: (mark) =>
			'  function nextWrite(fn) {\n' +
			`    if (socket === null) { ${mark}\n` +
			'      chunk = nextWriteTimer = null\n' +
			"      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
			'      return false\n' +
			'    }\n' +
			'    const x = socket.write(chunk, fn)\n',
		count: 1
	},
	{
		// In terminate() and closed(): the timer is cancelled, so it must read as unarmed, and the bytes meant for
		// the old socket must not go first down the next one.
		mark: MARKS[1],
		from: '    clearImmediate(nextWriteTimer)\n',
		to: (mark) => `    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null ${mark}\n`,
		// Installs patched before the edits carried marks have this edit without one.
		earlier: '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n',
		count: 2
	},
	{
		mark: MARKS[2],
		from: '        return fetchArrayTypes()\n',
		to: (mark) => `        return fetchArrayTypes().catch(() => {}) ${mark}\n`,
		count: 1
	}
];

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
	const original = fs.readFileSync(file, 'utf8');
	let source = original;
	for (const edit of EDITS) {
		if (source.includes(edit.mark)) continue;
		if (edit.earlier) source = source.replaceAll(edit.earlier, edit.from);
		if (source.split(edit.from).length - 1 !== edit.count) {
			throw new Error(
				`scripts/patch-postgres.js: ${file} does not look like postgres ${version}; not patched.`
			);
		}
		source = source.replaceAll(edit.from, edit.to(edit.mark));
	}
	if (source === original) continue;
	// Atomically: a process loading the driver meanwhile sees the old file or the new one.
	fs.writeFileSync(`${file}.tmp`, source);
	fs.renameSync(`${file}.tmp`, file);
}
