// One app node for tests/integration/outbox-leader.test.ts: the runtime as the web server starts it (migrations,
// reference data, external Meilisearch, search outbox worker) from DATABASE_URL, MEILI_URL and MEILI_MASTER_KEY,
// until SIGTERM. Prints "ready" on stdout once started.
import { parseEnv } from '../../src/lib/server/env';
import { startRuntime } from '../../src/lib/server/runtime';

const runtime = await startRuntime(parseEnv(process.env), {
	emailWorker: false,
	scheduler: false,
	log: (message) => console.error(message)
});
console.log('ready');
process.once('SIGTERM', () => {
	void runtime.stop().then(() => process.exit(0));
});
