import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './tests/sequencer.js';

/** The fault-injection tests: kills, SIGSTOP, cut connections, slow senders, a node taken over. */
const WALL_CLOCK = [
	'tests/integration/faults-*.test.ts',
	'tests/integration/slow-bodies.test.ts',
	'tests/integration/outbox-leader.test.ts',
	'tests/integration/embedded-postgres.test.ts',
	// A whole portal in a dev server: started when the machine is not busy with the parallel files.
	'tests/integration/operations.test.ts'
];

/** Generated inputs thrown at the pages, forms and API, and the cases they once found. */
const FUZZ = ['tests/integration/fuzz-*.test.ts'];

export default defineConfig({
	plugins: [
		tailwindcss(),
		// Under vitest the messages are compiled once by `npm run sync`; the plugin's watcher would keep
		// the test process alive.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				strategy: ['cookie', 'baseLocale']
			}),
		sveltekit()
	],
	server: { port: 5173 },
	test: {
		globalSetup: ['tests/global-setup.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		maxWorkers: 2,
		sequence: { sequencer: LongestFirst },
		// Every test must make an assertion: a test that checks nothing fails instead of passing quietly.
		expect: { requireAssertions: true },
		// By layer: pure logic beside the code, services against a real database and Meilisearch, fuzzing of the
		// pages, forms and API; these three share the workers. `npx vitest run --project unit` runs one layer.
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					fileParallelism: true,
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					exclude: [...WALL_CLOCK, ...FUZZ],
					fileParallelism: true,
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: {
					name: 'fuzz',
					include: FUZZ,
					fileParallelism: true,
					sequence: { groupOrder: 0 }
				}
			},
			{
				// Tests that kill, freeze or starve real processes and wait on the clock: after the others, whose
				// generated load they would otherwise share. They mostly wait, each on processes of its own, two at a
				// time (all passed on a machine at load 10: their limits leave room for a busy machine).
				extends: true,
				test: {
					name: 'clock',
					include: WALL_CLOCK,
					fileParallelism: true,
					sequence: { groupOrder: 1 }
				}
			}
		]
	}
});
