import { context, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { redactingExporter } from './sdk';
import { redactAttributes, redactUrl } from './redact';
import { traced } from './spans';

describe('span attributes on their way out', () => {
	it('keep a URL without its query string and with an unsubscribe token replaced', () => {
		expect(redactUrl('https://portal.example/reset-password?token=abc')).toBe(
			'https://portal.example/reset-password'
		);
		expect(redactUrl('https://portal.example/alerts/unsubscribe/tok.sig?x=1')).toBe(
			'https://portal.example/alerts/unsubscribe/[redacted]'
		);
		expect(redactUrl('/sign-in?next=%2Faccount')).toBe('/sign-in');
	});

	it('lose fields named like a secret, addresses and query values in text, whatever the key', () => {
		const attributes: Attributes = {
			'http.url': 'http://localhost/invite?token=secret-invite',
			'sveltekit.load.result.location': '/verify-email?token=secret-verify',
			'user.email': 'somchai@example.co.th',
			'http.request.header.authorization': 'Bearer tnp_abc',
			'exception.message': 'Failed query: select 1\nparams: somchai@example.co.th,0812345678',
			'exception.stacktrace': 'Error: 550 <somchai@example.co.th> rejected\n    at send (mail.js:1:1)',
			'portal.outbox.rows': 3,
			'portal.tags': ['a', 'write to somchai@example.co.th']
		};
		const clean = redactAttributes(attributes);
		expect(JSON.stringify(clean)).not.toMatch(/secret-|somchai|0812345678|tnp_abc/);
		expect(clean).toEqual({
			'http.url': 'http://localhost/invite',
			'sveltekit.load.result.location': '/verify-email',
			'user.email': '[redacted]',
			'http.request.header.authorization': '[redacted]',
			'exception.message': 'Failed query: select 1\nparams: [redacted]',
			'exception.stacktrace': 'Error: 550 <[redacted]> rejected\n    at send (mail.js:1:1)',
			'portal.outbox.rows': 3,
			'portal.tags': ['a', 'write to [redacted]']
		});
	});
});

describe('with the SDK registered', () => {
	const exported = new InMemorySpanExporter();
	const provider = new TracerProvider({
		spanProcessors: [new SimpleSpanProcessor({ exporter: redactingExporter(exported) })]
	});
	beforeAll(() => {
		context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
		trace.setGlobalTracerProvider(provider);
	});
	afterAll(async () => {
		await provider.shutdown();
		trace.disable();
		context.disable();
	});

	it('exports spans cleaned: attributes, exception events and the status message', async () => {
		await expect(
			traced(
				'outbox.send',
				{ 'portal.outbox': 'mail_outbox', 'http.url': 'http://x/alerts/unsubscribe/t0k' },
				() => Promise.reject(new Error('550 <somchai@example.co.th>: no such user'))
			)
		).rejects.toThrow('somchai');
		const [span] = exported.getFinishedSpans();
		expect(span!.attributes).toEqual({
			'portal.outbox': 'mail_outbox',
			'http.url': 'http://x/alerts/unsubscribe/[redacted]'
		});
		expect(span!.status).toEqual({ code: 2, message: '550 <[redacted]>: no such user' });
		expect(span!.events[0]!.attributes!['exception.message']).toBe('550 <[redacted]>: no such user');
		expect(JSON.stringify(span!.events)).not.toContain('somchai');
	});

	it('puts the active trace in each log line, and nothing outside a span', async () => {
		const lines: Record<string, unknown>[] = [];
		const logger = createLogger(
			'info',
			new Writable({
				write(chunk: Buffer, _encoding, done) {
					lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
					done();
				}
			})
		);
		let inside = { traceId: '', spanId: '' };
		await traced('job housekeeping', {}, async (span) => {
			inside = span.spanContext();
			await Promise.resolve();
			logger.info('in the round');
		});
		logger.info('after it');
		expect(lines[0]).toMatchObject({ msg: 'in the round', trace_id: inside.traceId, span_id: inside.spanId });
		expect(inside.traceId).toMatch(/^[0-9a-f]{32}$/);
		expect(lines[1]).not.toHaveProperty('trace_id');
	});
});
