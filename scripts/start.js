// `npm start` / `npm run serve`: runs the built portal. adapter-node trusts ORIGIN for SvelteKit's CSRF
// check; without it, it assumes https and every form posted over plain http on localhost would be refused.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? '3000'}`;
// adapter-node refuses bodies over 512 KB by default; logos and photos may be 2 MB, attachments 5 MB.
process.env.BODY_SIZE_LIMIT ??= '6M';
export {};
await import('../build/index.js');
