// End-to-end tests in Debian's Chromium against the production build, on a scratch DATA_DIR.
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E_ADMIN, E2E_LINE, E2E_OTLP_PORT, E2E_PORT, E2E_WALKS_LOG } from './tests/e2e/fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/helpers/chromium';

const port = E2E_PORT;
const dataDir = path.join(os.tmpdir(), `portal-e2e-${process.pid}`);
// The public pages are checked on a second server loaded with the demo data, so the walks keep a clean slate. The
// signed-in pages' axe walk runs there too, after the public pages (its screenshots then show a lived-in portal),
// so that the two servers' walks take about as long as each other.
const demoPort = port + 1;
const demoDataDir = path.join(os.tmpdir(), `portal-e2e-demo-${process.pid}`);
// The page cache on, as in production: every walk also checks that nobody is shown a page kept from before a change.
// The walks read their mail at /dev/mail, which exists only when switched on outside production.
const serverEnv = { NODE_ENV: 'test', DEV_MAILBOX: '1', PAGE_CACHE_SECONDS: '5' };
// A real OpenID Connect provider on this machine stands in for Digital ID (tests/helpers/oidc-provider-server.ts):
// the walks' server offers "sign in with Digital ID" against it. The secret travels by environment, never argv.
const oidcPort = port + 2;
const oidcSecret = `e2e-client-secret-${process.pid}`;
// A local LINE Messaging API (tests/helpers/line-server-process.ts) receives the walks' LINE notifications.
const linePort = port + 3;
// A local OTLP receiver (tests/helpers/otlp-receiver-process.ts) takes the walks' server's traces (port + 4), and the
// server's log goes to a file (E2E_WALKS_LOG), so tests/e2e/operations/tracing.e2e.ts joins a log line to its trace.

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: 'test-results',
	fullyParallel: false,
	// The two servers' walks at once, each server's one at a time (a walk may see the records an earlier one made):
	// the public pages on the demo data are walked while the signed-in walks run on the clean server.
	workers: 2,
	retries: 0,
	reporter: [['list']],
	timeout: 30_000,
	projects: [
		{ name: 'walks', testIgnore: 'portal/**', workers: 1, use: { baseURL: `http://localhost:${port}` } },
		{
			name: 'public portal (demo data)',
			testMatch: 'portal/**/*.e2e.ts',
			workers: 1,
			use: { baseURL: `http://localhost:${demoPort}` }
		}
	],
	use: {
		launchOptions: {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		}
	},
	webServer: [
		{
			command: 'npx tsx tests/helpers/oidc-provider-server.ts',
			url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
			timeout: 60_000,
			reuseExistingServer: false,
			env: {
				OIDC_E2E_PORT: String(oidcPort),
				OIDC_E2E_PORTAL: `http://localhost:${port}`,
				OIDC_E2E_CLIENT_SECRET: oidcSecret
			}
		},
		{
			command: 'npx tsx tests/helpers/line-server-process.ts',
			url: `http://127.0.0.1:${linePort}/__test/pushed`,
			timeout: 60_000,
			reuseExistingServer: false,
			env: { LINE_E2E_PORT: String(linePort), LINE_E2E_ACCESS_TOKEN: E2E_LINE.accessToken }
		},
		{
			command: 'npx tsx tests/helpers/otlp-receiver-process.ts',
			url: `http://127.0.0.1:${E2E_OTLP_PORT}/__test/spans`,
			timeout: 60_000,
			reuseExistingServer: false,
			env: { OTLP_E2E_PORT: String(E2E_OTLP_PORT) }
		},
		{
			// The administrator is created through the CLI first (it owns the embedded database while it runs).
			command: `printf '%s' '${E2E_ADMIN.password}' | npx tsx src/cli/index.ts create-admin --email ${E2E_ADMIN.email} && node scripts/start.js > '${E2E_WALKS_LOG}'`,
			url: `http://localhost:${port}/health`,
			timeout: 120_000,
			reuseExistingServer: false,
			env: {
				PORT: String(port),
				DATA_DIR: dataDir,
				MEILI_PORT: String(Number(process.env.E2E_MEILI_PORT ?? 7733)),
				// Not production: the walks read the development mailbox at /dev/mail.
				...serverEnv,
				OIDC_DIGITALID_ISSUER: `http://127.0.0.1:${oidcPort}`,
				OIDC_DIGITALID_CLIENT_ID: 'portal-e2e',
				OIDC_DIGITALID_CLIENT_SECRET: oidcSecret,
				OIDC_LINE_ISSUER: `http://127.0.0.1:${oidcPort}`,
				OIDC_LINE_CLIENT_ID: 'portal-e2e-line',
				OIDC_LINE_CLIENT_SECRET: oidcSecret,
				LINE_CHANNEL_ACCESS_TOKEN: E2E_LINE.accessToken,
				LINE_CHANNEL_SECRET: E2E_LINE.channelSecret,
				LINE_API_BASE_URL: `http://127.0.0.1:${linePort}`,
				// Traced throughout, so every walk also runs with tracing on; spans leave every 200 ms, not 5 s.
				OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${E2E_OTLP_PORT}`,
				OTEL_BSP_SCHEDULE_DELAY: '200'
			}
		},
		{
			command: `npx tsx src/cli/index.ts seed --demo && printf '%s' '${E2E_ADMIN.password}' | npx tsx src/cli/index.ts create-admin --email ${E2E_ADMIN.email} && node scripts/start.js`,
			url: `http://localhost:${demoPort}/health`,
			timeout: 240_000,
			reuseExistingServer: false,
			env: {
				PORT: String(demoPort),
				DATA_DIR: demoDataDir,
				MEILI_PORT: String(Number(process.env.E2E_MEILI_PORT ?? 7733) + 1),
				...serverEnv
			}
		}
	]
});
