import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './env';

describe('parseEnv', () => {
	it('defaults to port 3000, ./data and the embedded database', () => {
		const env = parseEnv({});
		expect(env.PORT).toBe(3000);
		expect(env.dataDir).toBe(path.resolve('./data'));
		expect(env.DATABASE_URL).toBeUndefined();
		expect(env.MEILI_MAX_INDEXING_MEMORY).toBe('256MiB');
	});

	it('runs in production unless told otherwise, with no development mailbox', () => {
		expect(parseEnv({}).NODE_ENV).toBe('production');
		expect(parseEnv({}).devMailbox).toBe(false);
		expect(parseEnv({ NODE_ENV: 'test' }).devMailbox).toBe(false);
		expect(parseEnv({ NODE_ENV: 'development' }).devMailbox).toBe(true);
		expect(parseEnv({ NODE_ENV: 'development', DEV_MAILBOX: '0' }).devMailbox).toBe(false);
		expect(parseEnv({ NODE_ENV: 'test', DEV_MAILBOX: '1' }).devMailbox).toBe(true);
	});

	it('refuses the development mailbox in production, naming the variable', () => {
		expect(() => parseEnv({ DEV_MAILBOX: '1' })).toThrow(
			/^Configuration error: DEV_MAILBOX cannot be switched on/
		);
		expect(() => parseEnv({ NODE_ENV: 'production', DEV_MAILBOX: '1' })).toThrow(ConfigError);
		expect(() => parseEnv({ DEV_MAILBOX: 'yes' })).toThrow(/DEV_MAILBOX/);
	});

	it('treats an empty variable as unset', () => {
		expect(parseEnv({ DATABASE_URL: '', MEILI_URL: '' }).DATABASE_URL).toBeUndefined();
	});

	it('names the variable that is wrong, in one line', () => {
		expect(() => parseEnv({ DATABASE_URL: 'mysql://localhost/x' })).toThrow(ConfigError);
		expect(() => parseEnv({ DATABASE_URL: 'mysql://localhost/x' })).toThrow(
			/^Configuration error: DATABASE_URL /
		);
		expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
		expect(() => parseEnv({ MEILI_MAX_INDEXING_MEMORY: 'lots' })).toThrow(/MEILI_MAX_INDEXING_MEMORY/);
	});

	it('switches tracing on with a collector URL, reads its headers, and never prints them', () => {
		const off = parseEnv({});
		expect(off.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
		expect(off.OTEL_SERVICE_NAME).toBe('talad-nam-kan-phalit');
		expect(off.OTEL_BSP_SCHEDULE_DELAY).toBe(5_000);
		const on = parseEnv({
			OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318',
			OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant = portal'
		});
		expect(on.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://collector.example:4318');
		expect(on.OTEL_EXPORTER_OTLP_HEADERS).toEqual({ 'x-api-key': 'abc==', tenant: 'portal' });
		expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
			/^Configuration error: OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/
		);
		for (const headers of ['x-api-key', 'x-api-key=%zz-secret-value']) {
			expect(() => parseEnv({ OTEL_EXPORTER_OTLP_HEADERS: headers })).toThrow(
				/OTEL_EXPORTER_OTLP_HEADERS .*\*\*\*/
			);
			expect(() => parseEnv({ OTEL_EXPORTER_OTLP_HEADERS: headers })).not.toThrow(/secret-value/);
		}
		expect(() => parseEnv({ OTEL_BSP_SCHEDULE_DELAY: 'soon' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
	});

	it('requires a master key with an external Meilisearch', () => {
		expect(() => parseEnv({ MEILI_URL: 'http://search.internal:7700' })).toThrow(
			/MEILI_MASTER_KEY .*required/
		);
		expect(parseEnv({ MEILI_URL: 'http://s:7700', MEILI_MASTER_KEY: 'a-key-of-16-bytes!' }).MEILI_URL).toBe(
			'http://s:7700'
		);
	});

	it('never prints a secret in its message', () => {
		const attempt = () => parseEnv({ MEILI_URL: 'http://s:7700', MEILI_MASTER_KEY: 'short-secret' });
		expect(attempt).toThrow(/\*\*\*/);
		expect(attempt).not.toThrow(/short-secret/);
		const withPassword = () => parseEnv({ DATABASE_URL: 'postgres://u:hunter2@db/x', PORT: '0' });
		expect(withPassword).toThrow(/PORT/);
		expect(() => parseEnv({ DATABASE_URL: 'postgres://u:hunter2@db:x:y/x' })).not.toThrow(/hunter2/);
	});

	it('accepts an SMTP URL and refuses anything else, masking its password', () => {
		expect(parseEnv({ SMTP_URL: 'smtp://mail.example.org:587' }).SMTP_URL).toBe(
			'smtp://mail.example.org:587'
		);
		const wrong = () => parseEnv({ SMTP_URL: 'http://u:mailpass@mail.example.org' });
		expect(wrong).toThrow(/SMTP_URL must be an smtp/);
		expect(wrong).not.toThrow(/mailpass/);
	});

	it('bounds slow bodies, requests per address, Meilisearch waits and the search log (issue 18)', () => {
		expect(parseEnv({})).toMatchObject({
			REQUEST_BODY_SECONDS: 60,
			MAX_REQUESTS_PER_ADDRESS: 16,
			HEALTH_QUEUE_SECONDS: 5,
			MEILI_TIMEOUT_MS: 2_000,
			SEARCH_REQUESTS_PER_MINUTE: 60,
			SEARCH_PUBLIC_MIN_VISITORS: 5,
			SEARCH_LOG_DAYS: 90,
			SEARCH_LOG_MAX_ROWS: 500_000
		});
		expect(parseEnv({ MAX_REQUESTS_PER_ADDRESS: '0' }).MAX_REQUESTS_PER_ADDRESS).toBe(0);
		expect(() => parseEnv({ REQUEST_BODY_SECONDS: '0' })).toThrow(/REQUEST_BODY_SECONDS/);
		expect(() => parseEnv({ MEILI_TIMEOUT_MS: 'soon' })).toThrow(/MEILI_TIMEOUT_MS/);
		expect(() => parseEnv({ SEARCH_PUBLIC_MIN_VISITORS: '0' })).toThrow(/SEARCH_PUBLIC_MIN_VISITORS/);
	});

	it('switches an identity provider on only with all three variables, and never prints its secret', () => {
		expect(parseEnv({}).identityProviders).toEqual([]);
		const line = {
			OIDC_LINE_ISSUER: 'https://access.line.me',
			OIDC_LINE_CLIENT_ID: '1234567890',
			OIDC_LINE_CLIENT_SECRET: 'channel secret value'
		};
		expect(parseEnv(line).identityProviders).toEqual([
			{
				id: 'line',
				issuer: 'https://access.line.me',
				clientId: '1234567890',
				clientSecret: 'channel secret value',
				scope: 'openid profile email'
			}
		]);
		expect(() => parseEnv({ ...line, OIDC_LINE_CLIENT_ID: '' })).toThrow(/OIDC_LINE_CLIENT_ID is required/);
		const noId = () => parseEnv({ OIDC_THAID_CLIENT_SECRET: 'a secret that must not show' });
		expect(noId).toThrow(ConfigError);
		expect(noId).not.toThrow(/must not show/);
		expect(() => parseEnv({ ...line, OIDC_LINE_CLIENT_SECRET: 'short' })).toThrow(/\*\*\*/);
		// Plain http only for a provider on this machine.
		expect(() => parseEnv({ ...line, OIDC_LINE_ISSUER: 'http://access.line.me' })).toThrow(
			/OIDC_LINE_ISSUER/
		);
		expect(parseEnv({ ...line, OIDC_LINE_ISSUER: 'http://127.0.0.1:9000' }).identityProviders).toHaveLength(
			1
		);
	});

	it('takes the LINE channel only with both its token and secret, over https, and never prints them', () => {
		expect(parseEnv({}).LINE_CHANNEL_ACCESS_TOKEN).toBeUndefined();
		expect(parseEnv({}).LINE_API_BASE_URL).toBe('https://api.line.me');
		const channel = {
			LINE_CHANNEL_ACCESS_TOKEN: 'a-channel-access-token-value-long-enough',
			LINE_CHANNEL_SECRET: '0123456789abcdef0123'
		};
		expect(parseEnv(channel).LINE_CHANNEL_SECRET).toBe('0123456789abcdef0123');
		expect(() => parseEnv({ LINE_CHANNEL_ACCESS_TOKEN: channel.LINE_CHANNEL_ACCESS_TOKEN })).toThrow(
			/LINE_CHANNEL_SECRET is required/
		);
		expect(() => parseEnv({ LINE_CHANNEL_SECRET: channel.LINE_CHANNEL_SECRET })).toThrow(
			/LINE_CHANNEL_ACCESS_TOKEN is required/
		);
		const short = () => parseEnv({ ...channel, LINE_CHANNEL_ACCESS_TOKEN: 'token-too-short' });
		expect(short).toThrow(/LINE_CHANNEL_ACCESS_TOKEN/);
		expect(short).not.toThrow(/token-too-short/);
		expect(() => parseEnv({ ...channel, LINE_API_BASE_URL: 'http://api.line.me' })).toThrow(
			/LINE_API_BASE_URL/
		);
		expect(parseEnv({ ...channel, LINE_API_BASE_URL: 'http://127.0.0.1:9100' }).LINE_API_BASE_URL).toBe(
			'http://127.0.0.1:9100'
		);
		expect(() => parseEnv({ LINE_ADD_FRIEND_URL: 'http://line.me/R/ti/p/@x' })).toThrow(
			/LINE_ADD_FRIEND_URL/
		);
	});
});
