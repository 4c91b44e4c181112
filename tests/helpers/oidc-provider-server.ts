// The local OpenID Connect provider the Playwright walks sign in with, run beside the e2e server
// (playwright.config.ts). Its port, the portal's address and the client secret come from the environment.
import { startOidcProvider } from './oidc-provider';

const port = Number(process.env.OIDC_E2E_PORT);
const portal = process.env.OIDC_E2E_PORTAL;
const clientSecret = process.env.OIDC_E2E_CLIENT_SECRET;
if (!port || !portal || !clientSecret)
	throw new Error('OIDC_E2E_PORT, OIDC_E2E_PORTAL and OIDC_E2E_CLIENT_SECRET must be set');

const provider = await startOidcProvider({
	port,
	clients: [
		{
			clientId: 'portal-e2e',
			clientSecret,
			redirectUris: [`${portal}/sign-in/identity/digitalid/callback`]
		},
		// Standing in for LINE Login too, so that a walk links LINE and receives LINE notifications.
		{
			clientId: 'portal-e2e-line',
			clientSecret,
			redirectUris: [`${portal}/sign-in/identity/line/callback`]
		}
	]
});
console.log(`local identity provider at ${provider.issuer}`);
process.on('SIGTERM', () => void provider.close().then(() => process.exit(0)));
