import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'data/',
			'src/lib/paraglide/',
			'test-results/',
			'playwright-report/',
			'drizzle/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		// The eight JavaScript files (configs, scripts/, tests/sequencer.js) are tooling outside tsconfig's project
		// (src, tests, bench, eval in TypeScript), so they have no type information to check against.
		files: ['**/*.js'],
		extends: [ts.configs.disableTypeChecked]
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			// The portal is served at the root path (no kit.paths.base), so resolve() would add nothing.
			'svelte/no-navigation-without-resolve': 'off',
			// The portal has no stores (Svelte 5 runes throughout; a guard test would be the place to refuse them), and
			// this rule asks the type checker about every identifier in every template: a fifth of lint's time.
			'svelte/require-store-reactive-access': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// At the switch to the type-checked rules all 40 of its reports were async functions written to meet a
			// signature that returns a promise (hooks' resolve, endpoints' handle, a mail transport's send, load
			// functions, test doubles): each would become a Promise.resolve() wrapper. The mistake it looks for, a
			// promise started and not awaited, is what no-floating-promises reports.
			'@typescript-eslint/require-await': 'off'
		}
	}
);
