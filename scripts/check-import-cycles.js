// Fails when modules under src/ import each other in a circle (type-only imports included: a circle of types is
// still two modules that cannot be read, moved or tested apart). The graph is TypeScript's own: each file's imports
// (ts.preProcessFile) resolved with the project's compiler options, so `$lib/…` and `./x` land where tsc says.
// Svelte components' <script> blocks are read too. `npm run lint` runs it.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = process.cwd();
const config = ts.getParsedCommandLineOfConfigFile(
	path.join(root, 'tsconfig.json'),
	{},
	{
		...ts.sys,
		onUnRecoverableConfigFileDiagnostic: (d) => {
			throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		}
	}
);
const options = config.options;
const source = path.join(root, 'src');
const generated = path.join(source, 'lib', 'paraglide');

/** Every .ts, .js and .svelte file under src/ but the generated messages. */
function filesUnder(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return full === generated ? [] : filesUnder(full);
		return /\.(ts|js|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

/** The code a file imports from: a component's <script> blocks, else the whole file. */
function codeOf(file) {
	const text = fs.readFileSync(file, 'utf8');
	if (!file.endsWith('.svelte')) return text;
	return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/**
 * The one circle allowed: drizzle's schema barrel (db/schema/index.ts) re-exports the table files beside it, which
 * name its tables only inside `references(() => …)` callbacks, read after every module has loaded. Only edges
 * between files of that folder are ignored; any other circle through the schema still fails.
 */
const SCHEMA = path.join(source, 'lib', 'server', 'db', 'schema') + path.sep;
const allowed = (from, to) => from.startsWith(SCHEMA) && to.startsWith(SCHEMA);

const files = filesUnder(source);
const known = new Set(files);
/** A specifier resolved to a file under src/, or undefined (packages, SvelteKit's virtual modules). */
function resolve(specifier, from) {
	if (specifier.endsWith('.svelte')) {
		const base = specifier.startsWith('$lib/')
			? path.join(source, 'lib', specifier.slice(5))
			: path.resolve(path.dirname(from), specifier);
		return known.has(base) ? base : undefined;
	}
	const resolved = ts.resolveModuleName(specifier, from, options, ts.sys).resolvedModule?.resolvedFileName;
	if (!resolved) return undefined;
	const file = path.resolve(resolved);
	return known.has(file) ? file : undefined;
}

const graph = new Map(
	files.map((file) => {
		const { importedFiles } = ts.preProcessFile(codeOf(file), true, true);
		const targets = importedFiles
			.map((i) => resolve(i.fileName, file))
			.filter((target) => target && !allowed(file, target));
		return [file, [...new Set(targets)]];
	})
);

// Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is
// a circle.
let index = 0;
const stack = [];
const state = new Map();
const circles = [];
function visit(file) {
	const node = { index, low: index, onStack: true };
	index++;
	state.set(file, node);
	stack.push(file);
	for (const next of graph.get(file) ?? []) {
		const seen = state.get(next);
		if (!seen) {
			visit(next);
			node.low = Math.min(node.low, state.get(next).low);
		} else if (seen.onStack) node.low = Math.min(node.low, seen.index);
	}
	if (node.low !== node.index) return;
	const component = [];
	let member;
	do {
		member = stack.pop();
		state.get(member).onStack = false;
		component.push(member);
	} while (member !== file);
	if (component.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(component);
}
for (const file of files) if (!state.has(file)) visit(file);

const name = (file) => path.relative(root, file);
if (circles.length) {
	console.error(`${circles.length} import circle(s) under src/:`);
	for (const component of circles) {
		const members = new Set(component);
		console.error(`- ${component.map(name).sort().join(', ')}`);
		for (const file of [...component].sort())
			for (const next of graph.get(file).filter((n) => members.has(n)))
				console.error(`    ${name(file)} → ${name(next)}`);
	}
	process.exit(1);
}
console.log(`No import circles among ${files.length} modules under src/.`);
