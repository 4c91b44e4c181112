// Polls until a condition holds: for tests that wait on another process (a restart, an index catching up).
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor(
	condition: () => boolean | Promise<boolean>,
	timeoutMs = 20_000,
	pollMs = 100
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await sleep(pollMs);
	}
}
