// `npm start` / `npm run serve`: runs the built portal, in production mode unless told otherwise (the safe
// defaults: no development mailbox, the page cache on).
process.env.NODE_ENV ??= 'production';
// adapter-node trusts ORIGIN for SvelteKit's CSRF check; without it, it assumes https and every form posted over plain http on localhost would be refused.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? '3000'}`;
// adapter-node refuses bodies over 512 KB by default. Pages take up to 6 MB (src/hooks/body-limit.ts); the API's
// import takes exchange documents up to API_IMPORT_MAX_BYTES (32 MB by default).
process.env.BODY_SIZE_LIMIT ??= '40M';
export {};
await import('../build/index.js');
