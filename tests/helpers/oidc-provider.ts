// A real OpenID Connect provider (oidc-provider, the certified implementation) on loopback, standing in for
// ThaID, Digital ID and LINE Login: the integration tests drive it over HTTP, the Playwright walk through its
// sign-in page. Who signs in is chosen per test (`signInAs`) or typed into its page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface LocalAccount {
	sub: string;
	email?: string;
	email_verified?: boolean;
	name?: string;
}

export interface LocalClient {
	clientId: string;
	clientSecret: string;
	redirectUris: string[];
}

export interface LocalProvider {
	issuer: string;
	/** The next sign-in at the provider is this account, without its page (integration tests). */
	signInAs(account: LocalAccount): void;
	/** Authorization codes live this many seconds from now on (60 unless set). */
	setCodeLifetime(seconds: number): void;
	close(): Promise<void>;
}

export async function startOidcProvider(options: {
	port?: number;
	clients: LocalClient[];
}): Promise<LocalProvider> {
	const accounts = new Map<string, LocalAccount>();
	let next: LocalAccount | null = null;
	let codeLifetime = 60;
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const provider = new Provider(issuer, {
		clients: options.clients.map((client) => ({
			client_id: client.clientId,
			client_secret: client.clientSecret,
			redirect_uris: client.redirectUris,
			grant_types: ['authorization_code'],
			response_types: ['code'],
			token_endpoint_auth_method: 'client_secret_basic'
		})),
		async findAccount(_ctx: unknown, sub: string) {
			const account = accounts.get(sub);
			if (!account) return undefined;
			return { accountId: sub, claims: async () => ({ ...account }) };
		},
		claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
		scopes: ['openid', 'email', 'profile'],
		pkce: { required: () => true },
		features: { devInteractions: { enabled: false } },
		interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
		ttl: {
			AuthorizationCode: () => codeLifetime,
			Interaction: 600,
			Session: 600,
			Grant: 600,
			AccessToken: 600,
			IdToken: 600
		},
		// The ID token carries the claims itself, as ThaID's and LINE's do.
		conformIdTokenClaims: false,
		cookies: { keys: ['local provider cookie key, tests only'] }
	});
	const handle = provider.callback();

	async function finish(req: http.IncomingMessage, res: http.ServerResponse, account: LocalAccount) {
		accounts.set(account.sub, account);
		const details = await provider.interactionDetails(req, res);
		const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id! });
		grant.addOIDCScope(details.params.scope ?? 'openid');
		const grantId = await grant.save();
		await provider.interactionFinished(
			req,
			res,
			{ login: { accountId: account.sub }, consent: { grantId } },
			{ mergeWithLastSubmission: false }
		);
	}

	server.on('request', (req, res) => {
		const url = new URL(req.url ?? '/', issuer);
		if (!url.pathname.startsWith('/interaction/')) return handle(req, res);
		void (async () => {
			if (req.method === 'POST') {
				const body = new URLSearchParams(await readBody(req));
				return finish(req, res, {
					sub: body.get('sub') || 'anonymous',
					email: body.get('email') || undefined,
					email_verified: body.get('email_verified') === 'true',
					name: body.get('name') || undefined
				});
			}
			if (next) {
				const account = next;
				next = null;
				return finish(req, res, account);
			}
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(signInPage(url.pathname));
		})().catch((error: unknown) => {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(error));
		});
	});

	return {
		issuer,
		signInAs: (account) => void (next = account),
		setCodeLifetime: (seconds) => void (codeLifetime = seconds),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (body += chunk));
		req.on('end', () => resolve(body));
		req.on('error', reject);
	});
}

/** The provider's own page: who is signing in (the walk types a person in). */
function signInPage(action: string): string {
	return `<!doctype html><html lang="en"><head><title>Local identity provider</title></head><body>
<h1>Local identity provider</h1>
<form method="post" action="${action}">
<label>Subject <input name="sub" required></label>
<label>Name <input name="name"></label>
<label>Email <input name="email" type="email"></label>
<label><input type="checkbox" name="email_verified" value="true"> Email verified</label>
<button type="submit">Continue</button>
</form></body></html>`;
}
