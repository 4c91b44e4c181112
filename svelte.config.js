// SvelteKit configuration: adapter-node for a single Node process, a strict CSP, and the aliases the code uses.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// The stylesheet (about 27 KB, 5 KB compressed) goes inside the page instead of a request that blocks the
		// first paint; a phone on a slow connection sees text a round trip sooner (Lighthouse: render-blocking).
		inlineStyleThreshold: 40_000,
		csp: {
			// Hashes of the inline scripts rather than a nonce: the page a visitor who is not signed in sees is served
			// again for a few seconds (src/hooks/page-cache.ts), and a nonce must never be served twice.
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// SvelteKit's cross-site form check is made by src/hooks/csrf.ts instead, the same check for every form post
		// but the one-click unsubscribe of alert emails (RFC 8058), which mail programs send from their own servers.
		csrf: { trustedOrigins: ['*'] },
		alias: {
			$components: 'src/lib/components'
		},
		// SvelteKit's OpenTelemetry spans (handle, each handle of the sequence, loads, form actions) and
		// src/instrumentation.server.ts, which starts the SDK only when a collector is configured: without one the spans
		// go to the API's no-op tracer (src/lib/server/tracing/).
		experimental: {
			tracing: { server: true },
			instrumentation: { server: true }
		}
	}
};

export default config;
