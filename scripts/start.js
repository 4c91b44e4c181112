// `npm start` / `npm run serve`: runs the built portal. adapter-node trusts ORIGIN for SvelteKit's CSRF
// check; without it, it assumes https and every form posted over plain http on localhost would be refused.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? '3000'}`;
export {};
await import('../build/index.js');
