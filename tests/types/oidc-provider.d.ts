// oidc-provider ships no type declarations; the tests use only the few calls typed here.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	interface Interaction {
		uid: string;
		params: Record<string, string | undefined>;
		prompt: { name: string };
	}
	interface Grant {
		addOIDCScope(scope: string): void;
		save(): Promise<string>;
	}
	export default class Provider {
		constructor(issuer: string, configuration: Record<string, unknown>);
		proxy: boolean;
		Grant: new (properties: { accountId: string; clientId: string }) => Grant;
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
		interactionFinished(
			req: IncomingMessage,
			res: ServerResponse,
			result: Record<string, unknown>,
			options?: { mergeWithLastSubmission?: boolean }
		): Promise<void>;
		on(event: string, listener: (...args: unknown[]) => void): void;
	}
}
