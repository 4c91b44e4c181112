// The local OTLP receiver the Playwright walks' portal sends its traces to (playwright.config.ts), run beside it: its
// port comes from the environment. The walks read what it received at /__test/spans.
import { startOtlpReceiver } from './otlp-receiver';

const port = Number(process.env.OTLP_E2E_PORT);
if (!port) throw new Error('OTLP_E2E_PORT must be set');

const receiver = await startOtlpReceiver({ port });
console.log(`local OTLP receiver at ${receiver.baseUrl}`);
process.on('SIGTERM', () => void receiver.close().then(() => process.exit(0)));
