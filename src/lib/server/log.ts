// The portal's log: one JSON object a line on stdout (level, time, message and fields such as the request id),
// which a log shipper reads without parsing prose. Secrets and personal data are removed by path before writing.
import { trace, TraceFlags } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

/** Field names that may carry a secret or a person's data (the traces leave them out too: tracing/redact.ts). */
export const SECRET_FIELDS = ['password', 'token', 'email', 'cookie', 'authorization', 'secret', 'phone'];

/** Those fields wherever they appear one or two levels down. */
const REDACTED = SECRET_FIELDS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * A message or stack without the values a query was sent with: drizzle puts them last in its message
 * ("Failed query: … params: a@b.th,…"), and in a stack the frames follow them.
 */
export const withoutQueryValues = (text: string): string =>
	text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '\nparams: [redacted]');

/**
 * An error as the log keeps it: its type, PostgreSQL's code and the message and stack, but never the values a query
 * was sent with. drizzle puts them in the message ("Failed query: … params: a@b.th,…") and in `params`, and
 * PostgreSQL's `detail` repeats a conflicting row's values; a key-based redaction cannot reach inside a message.
 */
export function serializeError(error: unknown): Record<string, unknown> {
	if (!(error instanceof Error)) return { message: String(error) };
	const withoutValues = (text: string | undefined) =>
		text === undefined ? undefined : withoutQueryValues(text);
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

/**
 * The trace a line was written in, when tracing is on and the request or job is being recorded, so that an operator
 * goes from a log line to its trace and back. With tracing off there is never an active span: one call, no fields.
 */
function traceFields(): Record<string, string> {
	const context = trace.getActiveSpan()?.spanContext();
	if (!context || !(context.traceFlags & TraceFlags.SAMPLED)) return {};
	return { trace_id: context.traceId, span_id: context.spanId };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: undefined,
			mixin: traceFields,
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
