// The only module that reads environment variables: every setting is parsed and checked here, once, and
// a wrong value stops start-up with one line that names the variable.
import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z
	.string()
	.trim()
	.refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
		message: 'must be a postgres:// or postgresql:// URL'
	});

const httpUrl = z
	.string()
	.trim()
	.refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), {
		message: 'must be an http:// or https:// URL'
	});

const smtpUrl = z
	.string()
	.trim()
	.refine((value) => /^smtps?:\/\//.test(value) && URL.canParse(value), {
		message: 'must be an smtp:// or smtps:// URL'
	});

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** OTEL_EXPORTER_OTLP_HEADERS as the specification writes it (W3C Baggage's list): `a=1,b=x%20y`. */
function otlpHeaders(value: string): Record<string, string> | undefined {
	const headers: Record<string, string> = {};
	for (const pair of value.split(',')) {
		const at = pair.indexOf('=');
		try {
			headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
		} catch {
			// A % not followed by two hex digits (URIError): the setting is refused, naming the variable.
			return undefined;
		}
	}
	return headers;
}

/** The OpenID Connect providers the portal knows; each is on when its three variables are set. */
export const IDENTITY_PROVIDERS = ['thaid', 'digitalid', 'line'] as const;
export type IdentityProviderId = (typeof IDENTITY_PROVIDERS)[number];
const PROVIDER_PREFIX: Record<IdentityProviderId, string> = {
	thaid: 'OIDC_THAID',
	digitalid: 'OIDC_DIGITALID',
	line: 'OIDC_LINE'
};
// What each provider is asked for when OIDC_<P>_SCOPE is unset: ThaID answers with its own `pid`/`name` scopes,
// Digital ID and LINE Login with the standard ones (LINE gives an email only to channels approved for it).
const DEFAULT_SCOPE: Record<IdentityProviderId, string> = {
	thaid: 'openid pid name',
	digitalid: 'openid profile email',
	line: 'openid profile email'
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
// An identity provider is reached over https; plain http only on this machine (the local provider the tests run).
const issuerUrl = z
	.string()
	.trim()
	.refine(
		(value) =>
			URL.canParse(value) &&
			(new URL(value).protocol === 'https:' ||
				(new URL(value).protocol === 'http:' && LOOPBACK.has(new URL(value).hostname))),
		{ message: 'must be an https:// URL (http:// only for a provider on this machine)' }
	);
const httpsUrl = z
	.string()
	.trim()
	.refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', {
		message: 'must be an https:// URL'
	});
const clientId = z.string().trim().min(1).max(200);
const clientSecret = z.string().min(8, { message: 'must be at least 8 characters long' }).max(500);
const scope = z
	.string()
	.trim()
	.regex(/^openid( [\x21\x23-\x5b\x5d-\x7e]+)*$/, {
		message: 'must start with openid, scopes separated by spaces'
	});

const providerVariables = Object.fromEntries(
	IDENTITY_PROVIDERS.flatMap((id) => [
		[`${PROVIDER_PREFIX[id]}_ISSUER`, z.preprocess(emptyAsUndefined, issuerUrl.optional())],
		[`${PROVIDER_PREFIX[id]}_CLIENT_ID`, z.preprocess(emptyAsUndefined, clientId.optional())],
		[`${PROVIDER_PREFIX[id]}_CLIENT_SECRET`, z.preprocess(emptyAsUndefined, clientSecret.optional())],
		[`${PROVIDER_PREFIX[id]}_SCOPE`, z.preprocess(emptyAsUndefined, scope.optional())]
	])
) as Record<string, z.ZodType<string | undefined>>;

export interface IdentityProviderConfig {
	id: IdentityProviderId;
	issuer: string;
	clientId: string;
	clientSecret: string;
	scope: string;
}

const envSchema = z
	.object({
		// Unset means production: `npm start` and any deployment that forgets it get the safe behaviour. Vite sets
		// `development` for `npm run dev`, vitest sets `test`.
		NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
		PORT: z.coerce.number().int().min(1).max(65535).default(3000),
		ORIGIN: z.preprocess(emptyAsUndefined, httpUrl.optional()),
		DATA_DIR: z.string().trim().min(1).default('./data'),
		DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
		DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
		MEILI_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
		MEILI_MASTER_KEY: z.preprocess(
			emptyAsUndefined,
			z.string().min(16, { message: 'must be at least 16 bytes long' }).optional()
		),
		MEILI_BIN: z.preprocess(emptyAsUndefined, z.string().optional()),
		MEILI_PORT: z.coerce.number().int().min(1).max(65535).default(7700),
		// How long a search or a match waits for Meilisearch before answering from Postgres, marked degraded
		// (src/lib/server/search/client.ts). The background's writes have their own, longer deadline.
		MEILI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
		MEILI_MAX_INDEXING_MEMORY: z
			.string()
			.regex(/^\d+(B|KiB|MiB|GiB|KB|MB|GB)$/, { message: 'must look like 256MiB' })
			.default('256MiB'),
		// Without it, mail is printed to the log, links included, so someone trying the portal can confirm an account.
		SMTP_URL: z.preprocess(emptyAsUndefined, smtpUrl.optional()),
		// The development mailbox at /dev/mail (queued mail with its links, readable from this machine only). On by
		// default under `npm run dev`, off otherwise; never allowed in production, where it would open every account.
		DEV_MAILBOX: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
		MAIL_FROM: z.string().trim().min(3).max(200).default('ตลาดนำการผลิต <no-reply@localhost>'),
		// Requests per minute per address for the public read API without a token (tokens carry their own rate).
		API_PUBLIC_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
		// How long a public page rendered for visitors who are not signed in is served again (0: never kept).
		// Unset: 5 s in production, 0 otherwise (a page being developed shows each change at once).
		PAGE_CACHE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(300).optional()),
		// Requests worked on at once; the rest wait their turn, in order, up to REQUEST_QUEUE_SECONDS, then get 503
		// (src/hooks/admission.ts). 0: no limit.
		MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(0).max(10_000).default(64),
		REQUEST_QUEUE_SECONDS: z.coerce.number().min(1).max(600).default(30),
		// /health answers 503 ("saturated") while a request has waited longer than this for its turn: a load balancer
		// sends new visitors to another node (src/lib/server/health.ts).
		HEALTH_QUEUE_SECONDS: z.coerce.number().min(0.1).max(600).default(5),
		// Requests in flight per client address, from arrival to answer; past it, 429 (src/hooks/address-limit.ts).
		// Behind a proxy it needs ADDRESS_HEADER/XFF_DEPTH (docs/SCALING.md). 0: no limit.
		MAX_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000).default(16),
		// How long a request's body may take to arrive, read before the request takes a place in the admission line;
		// past it, 408 and the connection closed (src/hooks/body-limit.ts). 60 s lets a 6 MB form through at 100 kB/s.
		REQUEST_BODY_SECONDS: z.coerce.number().min(1).max(3_600).default(60),
		// Searches per minute per address on /search; past it, a 429 page in the visitor's language.
		SEARCH_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
		// /market lists a search that found nothing only once this many different visitors made it (their addresses
		// hashed with a secret salt): one visitor cannot put words on the public page.
		SEARCH_PUBLIC_MIN_VISITORS: z.coerce.number().int().min(1).max(1_000).default(5),
		// The search log keeps this many days, and at most this many rows (the newest); pruned every hour.
		SEARCH_LOG_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
		SEARCH_LOG_MAX_ROWS: z.coerce.number().int().min(1_000).max(100_000_000).default(500_000),
		// PDPA: who the privacy notice names as the data controller, and where people reach its data protection
		// officer. Defaults fit a pilot run by the Ministry of Industry's provincial industry offices.
		PRIVACY_CONTROLLER_NAME_TH: z
			.string()
			.trim()
			.min(3)
			.max(300)
			.default('สำนักงานอุตสาหกรรมจังหวัด กระทรวงอุตสาหกรรม (ผู้ให้บริการพอร์ทัลตลาดนำการผลิต)'),
		PRIVACY_CONTROLLER_NAME_EN: z
			.string()
			.trim()
			.min(3)
			.max(300)
			.default(
				'Provincial Industry Offices, Ministry of Industry (operator of the Market-led Production portal)'
			),
		PRIVACY_CONTACT_EMAIL: z.string().trim().pipe(z.email()).default('dpo@industry.go.th'),
		PRIVACY_CONTACT_PHONE: z.string().trim().min(3).max(40).default('1569'),
		// Retention (PDPA section 37(3)): how long each kind of record is kept before the housekeeping job removes it.
		// Sessions: days after sign-in (expired ones go at once); sent mail: days after sending; rate-limit windows:
		// days after the window began; notifications: days after they were made. The search log's is SEARCH_LOG_DAYS.
		RETENTION_SESSION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
		RETENTION_SENT_MAIL_DAYS: z.coerce.number().int().min(1).max(365).default(1),
		RETENTION_RATE_LIMIT_DAYS: z.coerce.number().int().min(1).max(365).default(1),
		RETENTION_NOTIFICATION_DAYS: z.coerce.number().int().min(7).max(3_650).default(365),
		// The log's threshold: each line is one JSON object on stdout (src/lib/server/log.ts).
		LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
		// The bearer token /metrics and /health's full report ask for. Unset: /metrics does not exist and /health
		// gives only its public summary.
		OPERATOR_TOKEN: z.preprocess(
			emptyAsUndefined,
			z.string().min(24, { message: 'must be at least 24 characters long' }).optional()
		),
		// Tracing (src/lib/server/tracing/): set, the OpenTelemetry SDK starts and sends SvelteKit's spans and the
		// portal's own over OTLP/HTTP to this collector (`/v1/traces` is added, as the OpenTelemetry specification
		// says for this variable); unset, the SDK is not even loaded. The headers are the collector's (an API key:
		// `name=value,name2=value2`, values percent-encoded), the service name what the traces are filed under.
		OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, httpUrl.optional()),
		OTEL_EXPORTER_OTLP_HEADERS: z.preprocess(
			emptyAsUndefined,
			z
				.string()
				.regex(/^\s*[\w.-]+\s*=[^,]*(,\s*[\w.-]+\s*=[^,]*)*$/, {
					message: 'must be name=value pairs separated by commas'
				})
				.refine((value) => otlpHeaders(value) !== undefined, {
					message: 'has a value that is not percent-encoded'
				})
				.transform((value) => otlpHeaders(value)!)
				.optional()
		),
		OTEL_SERVICE_NAME: z.string().trim().min(1).max(200).default('talad-nam-kan-phalit'),
		// Milliseconds spans wait to be sent together (the specification's name and default).
		OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(600_000).default(5_000),
		// The largest exchange document the import endpoint takes (a 10,000-startup document is about 8 MB).
		API_IMPORT_MAX_BYTES: z.coerce
			.number()
			.int()
			.min(1024)
			.max(512 * 1024 * 1024)
			.default(32 * 1024 * 1024),
		// Sign-in with a digital identity: OIDC_THAID_*, OIDC_DIGITALID_*, OIDC_LINE_* (ISSUER, CLIENT_ID,
		// CLIENT_SECRET, optional SCOPE). A provider with none set has no button; one with only some is an error.
		...providerVariables,
		// LINE notifications through the Messaging API: the official account's channel access token and channel
		// secret (both, or neither: without them nobody is offered LINE and nothing is sent). LINE_API_BASE_URL is
		// LINE's unless the tests point it at their local server; LINE_ADD_FRIEND_URL is the official account's
		// add-friend link (https://line.me/R/ti/p/@id) shown on the account page.
		LINE_CHANNEL_ACCESS_TOKEN: z.preprocess(
			emptyAsUndefined,
			z.string().trim().min(20, { message: 'must be at least 20 characters long' }).max(1000).optional()
		),
		LINE_CHANNEL_SECRET: z.preprocess(
			emptyAsUndefined,
			z.string().trim().min(16, { message: 'must be at least 16 characters long' }).max(200).optional()
		),
		LINE_API_BASE_URL: z.preprocess(emptyAsUndefined, issuerUrl.default('https://api.line.me')),
		LINE_ADD_FRIEND_URL: z.preprocess(emptyAsUndefined, httpsUrl.optional())
	})
	.superRefine((env, ctx) => {
		const values = env as Record<string, unknown>;
		for (const id of IDENTITY_PROVIDERS) {
			const names = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET'].map((part) => `${PROVIDER_PREFIX[id]}_${part}`);
			const set = names.filter((name) => values[name] !== undefined);
			if (set.length > 0 && set.length < names.length) {
				const missing = names.find((name) => values[name] === undefined)!;
				ctx.addIssue({
					code: 'custom',
					path: [missing],
					message: `is required when ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set`
				});
			}
		}
		if (Boolean(env.LINE_CHANNEL_ACCESS_TOKEN) !== Boolean(env.LINE_CHANNEL_SECRET)) {
			const [missing, set] = env.LINE_CHANNEL_ACCESS_TOKEN
				? ['LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN']
				: ['LINE_CHANNEL_ACCESS_TOKEN', 'LINE_CHANNEL_SECRET'];
			ctx.addIssue({ code: 'custom', path: [missing], message: `is required when ${set} is set` });
		}
		if (env.DEV_MAILBOX === '1' && env.NODE_ENV === 'production') {
			ctx.addIssue({
				code: 'custom',
				path: ['DEV_MAILBOX'],
				message: 'cannot be switched on in production: it would show password-reset links'
			});
		}
		if (env.MEILI_URL && !env.MEILI_MASTER_KEY) {
			ctx.addIssue({
				code: 'custom',
				path: ['MEILI_MASTER_KEY'],
				message: 'is required when MEILI_URL points at an external Meilisearch'
			});
		}
	});

export type Env = Omit<z.infer<typeof envSchema>, 'DEV_MAILBOX'> & {
	/** The identity providers whose variables are all set, in the order their buttons appear. */
	identityProviders: IdentityProviderConfig[];
	/** DATA_DIR resolved to an absolute path. */
	dataDir: string;
	/** Whether /dev/mail exists: DEV_MAILBOX, or by default only under `npm run dev`. */
	devMailbox: boolean;
};

export class ConfigError extends Error {
	constructor(
		readonly variable: string,
		detail: string
	) {
		super(`Configuration error: ${variable} ${detail}`);
		this.name = 'ConfigError';
	}
}

/** Parses a set of variables (process.env by default); throws ConfigError naming the first bad one. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
	const result = envSchema.safeParse(source);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const variable = String(issue.path[0] ?? 'environment');
		const value = source[variable];
		const shown = value === undefined ? 'is missing' : `= "${redact(variable, value)}"`;
		throw new ConfigError(variable, `${issue.message} (${shown})`);
	}
	const { DEV_MAILBOX, ...settings } = result.data;
	const values = settings as unknown as Record<string, string | undefined>;
	const identityProviders = IDENTITY_PROVIDERS.flatMap((id): IdentityProviderConfig[] => {
		const prefix = PROVIDER_PREFIX[id];
		const issuer = values[`${prefix}_ISSUER`];
		if (!issuer) return [];
		return [
			{
				id,
				issuer,
				clientId: values[`${prefix}_CLIENT_ID`]!,
				clientSecret: values[`${prefix}_CLIENT_SECRET`]!,
				scope: values[`${prefix}_SCOPE`] ?? DEFAULT_SCOPE[id]
			}
		];
	});
	return {
		...settings,
		identityProviders,
		dataDir: path.resolve(settings.DATA_DIR),
		devMailbox: DEV_MAILBOX === undefined ? settings.NODE_ENV === 'development' : DEV_MAILBOX === '1'
	};
}

function redact(variable: string, value: string): string {
	if (/KEY|SECRET|PASSWORD|TOKEN|HEADERS/.test(variable)) return '***';
	// Mask the password of anything shaped like scheme://user:password@host, even when it does not parse.
	const masked = value.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');
	return masked.length > 80 ? `${masked.slice(0, 77)}...` : masked;
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
	cached ??= parseEnv();
	return cached;
}
