// The local LINE Messaging API the Playwright walks' portal pushes to (playwright.config.ts), run beside it: its
// port and the channel's access token come from the environment. The walks read what it accepted at /__test/pushed.
import { startLineServer } from './line-server';

const port = Number(process.env.LINE_E2E_PORT);
const accessToken = process.env.LINE_E2E_ACCESS_TOKEN;
if (!port || !accessToken) throw new Error('LINE_E2E_PORT and LINE_E2E_ACCESS_TOKEN must be set');

const server = await startLineServer({ accessToken, port });
console.log(`local LINE Messaging API at ${server.baseUrl}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
