// A local LINE Messaging API for tests, over real HTTP: POST /v2/bot/message/push as LINE answers it (bearer token
// checked, the retry key remembered, 409 for a key it already accepted), with every accepted message recorded. It
// can be told to fail (answer 500) or be down (its port closed, reopened on `up()`). GET /__test/pushed lists what it
// accepted, for a test in another process (the browser walks). Beside it, a helper that sends the portal a webhook
// signed the way LINE signs it.
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { answerJson, serverWithBodies } from './json-server';

/** A push LINE accepts: one addressee and one to five text messages of at most 5,000 characters. */
const pushRequest = z.looseObject({
	to: z.string(),
	messages: z
		.array(z.looseObject({ type: z.literal('text'), text: z.string().max(5000) }))
		.min(1)
		.max(5)
});

export interface PushedMessage {
	to: string;
	text: string;
	retryKey: string | null;
}

export interface LocalLineServer {
	baseUrl: string;
	/** Every message accepted, in order. */
	pushed: PushedMessage[];
	/** Requests refused for a wrong or missing token. */
	unauthorised: number;
	/** While set, every push is answered with this status (500: LINE having trouble; 400: a bad request). */
	failWith: number | null;
	/** Closes the port: pushes meet a refused connection until `up()`. */
	down(): Promise<void>;
	up(): Promise<void>;
	close(): Promise<void>;
}

export async function startLineServer({
	accessToken,
	port: wanted = 0
}: {
	accessToken: string;
	/** The port to listen on (default: one the kernel chooses). */
	port?: number;
}): Promise<LocalLineServer> {
	const acceptedKeys = new Set<string>();
	const sockets = new Set<import('node:net').Socket>();
	const state: LocalLineServer = {
		baseUrl: '',
		pushed: [],
		unauthorised: 0,
		failWith: null,
		down: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
		up: () => listen(port),
		close: () => state.down()
	};
	const server = serverWithBodies((request, response, body) => {
		if (request.method === 'GET' && request.url === '/__test/pushed')
			return answerJson(response, 200, state.pushed);
		if (request.method !== 'POST' || request.url !== '/v2/bot/message/push')
			return answerJson(response, 404, { message: 'Not found' });
		if (request.headers.authorization !== `Bearer ${accessToken}`) {
			state.unauthorised++;
			return answerJson(response, 401, { message: 'Authentication failed' });
		}
		if (state.failWith !== null) return answerJson(response, state.failWith, { message: 'Failed (test)' });
		const retryKey = (request.headers['x-line-retry-key'] as string | undefined) ?? null;
		if (retryKey && acceptedKeys.has(retryKey))
			return answerJson(response, 409, { message: 'The retry key is already accepted' });
		let raw: unknown;
		try {
			raw = JSON.parse(body.toString('utf8'));
		} catch {
			return answerJson(response, 400, { message: 'The request body has 1 error(s)' });
		}
		const parsed = pushRequest.safeParse(raw);
		if (!parsed.success) return answerJson(response, 400, { message: 'The request body has 1 error(s)' });
		const { to, messages } = parsed.data;
		if (retryKey) acceptedKeys.add(retryKey);
		for (const message of messages) state.pushed.push({ to, text: message.text, retryKey });
		answerJson(response, 200, { sentMessages: messages.map(() => ({ id: crypto.randomUUID() })) });
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const listen = (at: number) =>
		new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(at, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
	await listen(wanted);
	const port = (server.address() as AddressInfo).port;
	state.baseUrl = `http://127.0.0.1:${port}`;
	return state;
}

/** LINE's signature: base64 of HMAC-SHA256 over the raw body with the channel secret. */
export function lineSignature(body: string, channelSecret: string): string {
	return crypto.createHmac('sha256', channelSecret).update(body).digest('base64');
}

export type WebhookEvent = {
	/** follow, unfollow, message, or any other event type LINE sends. */
	type: string;
	userId: string;
	/** Milliseconds since the epoch; now when not given. */
	timestamp?: number;
};

/**
 * Sends the portal a webhook as LINE does: JSON body, X-Line-Signature over it with `channelSecret` (pass another
 * secret to send a forged one). `deliver` is the portal: its URL, or its route handler called with the Request.
 */
export async function sendLineWebhook(
	deliver: string | ((request: Request) => Promise<Response>),
	channelSecret: string,
	events: WebhookEvent[]
): Promise<Response> {
	const body = JSON.stringify({
		destination: 'Uportalofficialaccount00000000000',
		events: events.map((event) => ({
			type: event.type,
			mode: 'active',
			timestamp: event.timestamp ?? Date.now(),
			source: { type: 'user', userId: event.userId },
			webhookEventId: crypto.randomUUID(),
			deliveryContext: { isRedelivery: false },
			...(event.type === 'follow' ? { replyToken: crypto.randomBytes(16).toString('hex') } : {})
		}))
	});
	const url = typeof deliver === 'string' ? deliver : 'http://portal.test/api/line/webhook';
	const request = new Request(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'x-line-signature': lineSignature(body, channelSecret),
			'user-agent': 'LineBotWebhook/2.0'
		},
		body
	});
	return typeof deliver === 'string' ? fetch(request) : deliver(request);
}
