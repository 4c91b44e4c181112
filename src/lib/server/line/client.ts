// Pushing one text message through the LINE Messaging API (@line/bot-sdk's client, at the configured base URL).
// What LINE answered decides what the outbox does next: sent, try again later, or give up at once.
import type { LineChannel } from './config';

export interface LinePushMessage {
	to: string;
	text: string;
	/** LINE's X-Line-Retry-Key: a second push with the same key is not delivered twice. */
	retryKey: string;
}

export interface LinePush {
	push(message: LinePushMessage): Promise<void>;
}

/** A push LINE refused. `permanent`: trying again cannot help (the request itself is wrong, or the user is gone). */
export class LinePushError extends Error {
	constructor(
		message: string,
		readonly permanent: boolean
	) {
		super(message);
		this.name = 'LinePushError';
	}
}

/** A push that has had no answer after this long is counted as failed; the outbox tries it again later. */
export const PUSH_TIMEOUT_MS = 15_000;

export function messagingApiPush(channel: Pick<LineChannel, 'accessToken' | 'baseUrl'>): LinePush {
	// The SDK is some 380 modules: loaded when a channel is configured, not by every process (the CLI, the tests).
	const loading = import('@line/bot-sdk').then((sdk) => ({
		HTTPFetchError: sdk.HTTPFetchError,
		client: new sdk.messagingApi.MessagingApiClient({
			channelAccessToken: channel.accessToken,
			baseURL: channel.baseUrl
		})
	}));
	// A failed load is the first push's error (the outbox's to handle), not an unhandled rejection before it.
	loading.catch(() => {});
	return {
		async push({ to, text, retryKey }) {
			const { client, HTTPFetchError } = await loading;
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new LinePushError(`no answer from LINE in ${PUSH_TIMEOUT_MS / 1000} s`, false)),
					PUSH_TIMEOUT_MS
				);
			});
			try {
				await Promise.race([
					client.pushMessage({ to, messages: [{ type: 'text', text }] }, retryKey),
					timeout
				]);
			} catch (error) {
				if (!(error instanceof HTTPFetchError)) throw error;
				// 409: LINE already accepted a push with this retry key (an earlier try whose answer was lost).
				if (error.status === 409) return;
				const permanent = error.status >= 400 && error.status < 500 && error.status !== 429;
				throw new LinePushError(`LINE answered ${error.status}: ${error.body.slice(0, 200)}`, permanent);
			} finally {
				clearTimeout(timer);
			}
		}
	};
}
