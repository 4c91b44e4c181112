// The portal's log: one JSON object a line on stdout (level, time, message and fields such as the request id),
// which a log shipper reads without parsing prose. Secrets and personal data are removed by path before writing.
import pino, { type Logger } from 'pino';

/** Fields that may carry a secret or a person's data, wherever they appear one or two levels down. */
const REDACTED = ['password', 'token', 'email', 'cookie', 'authorization', 'secret', 'phone'].flatMap(
	(key) => [key, `*.${key}`, `*.*.${key}`]
);

/**
 * An error as the log keeps it: its type, PostgreSQL's code and the message and stack, but never the values a query
 * was sent with. drizzle puts them in the message ("Failed query: … params: a@b.th,…") and in `params`, and
 * PostgreSQL's `detail` repeats a conflicting row's values; a key-based redaction cannot reach inside a message.
 */
export function serializeError(error: unknown): Record<string, unknown> {
	if (!(error instanceof Error)) return { message: String(error) };
	// The values come last in drizzle's message; in the stack, the frames follow them.
	const withoutValues = (text: string | undefined) =>
		text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '\nparams: [redacted]');
	const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
	return {
		type: error.constructor.name,
		message: withoutValues(error.message),
		stack: withoutValues(error.stack),
		...('code' in error && typeof error.code === 'string' ? { code: error.code } : {}),
		...(cause && typeof cause === 'object'
			? {
					cause: {
						...(typeof cause.code === 'string' ? { code: cause.code } : {}),
						...(typeof cause.message === 'string' ? { message: withoutValues(cause.message) } : {})
					}
				}
			: {})
	};
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: undefined,
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			redact: { paths: REDACTED, censor: '[redacted]' },
			serializers: { err: serializeError }
		},
		destination ?? pino.destination({ sync: true })
	);
}

let current: Logger = createLogger('info');

/** The process's logger; its level follows LOG_LEVEL once the runtime has read the settings. */
export const log = (): Logger => current;

export function configureLog(level: string): void {
	if (current.level !== level) current = createLogger(level);
}

/** A runtime's message line (`[postgres] …`) as a log entry: the bracketed part becomes the component. */
export function logMessage(message: string): void {
	const tagged = /^\[([\w-]+)\] (.*)$/s.exec(message);
	if (tagged) current.info({ component: tagged[1] }, tagged[2]);
	else current.info(message);
}
