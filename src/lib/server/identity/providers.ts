// The OpenID Connect relying party: one openid-client configuration per provider set in the environment
// (src/lib/server/env.ts), discovered from the issuer on first use and kept for the life of the process.
import * as oidc from 'openid-client';
import { env, type IdentityProviderConfig, type IdentityProviderId } from '../env';

/** The providers whose buttons are shown, in order. */
export function configuredProviders(): IdentityProviderId[] {
	return env().identityProviders.map((provider) => provider.id);
}

export function providerSettings(id: string): IdentityProviderConfig | undefined {
	return env().identityProviders.find((provider) => provider.id === id);
}

/**
 * Where the sign-in forms may send the browser: each provider's issuer, and its authorization endpoint once
 * discovered (a form posts to the portal, which redirects there; the pages' CSP `form-action` must allow it).
 */
const authorizationOrigins = new Set<string>();
export function providerFormOrigins(): string[] {
	const origins = new Set(env().identityProviders.map((provider) => new URL(provider.issuer).origin));
	for (const origin of authorizationOrigins) origins.add(origin);
	return [...origins];
}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const configurations = new Map<IdentityProviderId, Promise<oidc.Configuration>>();

/**
 * The provider's configuration: its discovery document, the client's credentials sent the way the provider says
 * it takes them (LINE Login takes only client_secret_post; ThaID and Digital ID client_secret_basic), and ID
 * token signatures checked against the provider's published keys. A failed discovery is not kept, so the next
 * sign-in tries again.
 */
export function providerConfiguration(settings: IdentityProviderConfig): Promise<oidc.Configuration> {
	let configuration = configurations.get(settings.id);
	if (!configuration) {
		configuration = discover(settings);
		configurations.set(settings.id, configuration);
		configuration.catch(() => configurations.delete(settings.id));
	}
	return configuration;
}

async function discover(settings: IdentityProviderConfig): Promise<oidc.Configuration> {
	const issuer = new URL(settings.issuer);
	// env.ts allows http:// only for an issuer on this machine (the local provider of the tests).
	const insecure = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
	const discovered = await oidc.discovery(issuer, settings.clientId, undefined, undefined, {
		execute: insecure,
		timeout: DISCOVERY_TIMEOUT_SECONDS
	});
	const server = discovered.serverMetadata();
	if (server.authorization_endpoint) authorizationOrigins.add(new URL(server.authorization_endpoint).origin);
	const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
	const authentication = methods.includes('client_secret_basic')
		? oidc.ClientSecretBasic(settings.clientSecret)
		: oidc.ClientSecretPost(settings.clientSecret);
	const configuration = new oidc.Configuration(
		server,
		settings.clientId,
		{ client_secret: settings.clientSecret },
		authentication
	);
	configuration.timeout = DISCOVERY_TIMEOUT_SECONDS;
	for (const setting of insecure) setting(configuration);
	oidc.enableNonRepudiationChecks(configuration);
	return configuration;
}

/** Forgets discovered configurations (tests that start a new provider on the same issuer). */
export function forgetProviderConfigurations(): void {
	configurations.clear();
}
