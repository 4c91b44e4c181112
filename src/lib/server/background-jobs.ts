// The portal's background jobs (mail, demand schedule, gap coverage) share one shape: run a round, pause, run
// again, until stopped; a failing round is reported and tried again after the pause. Each round is counted under the
// job's name in /metrics, and traced when the job runs at most every TRACED_INTERVAL_MS.
import { countJobRound } from './metrics/registry';
import { traced } from './tracing/spans';

/**
 * Jobs that poll more often (mail, LINE, search recovery, every second or less) would fill a trace store with empty
 * rounds; what they do is traced where it happens (each message sent: outbox/drain.ts).
 */
const TRACED_INTERVAL_MS = 10_000;
export interface Repeating {
	/** Stops scheduling new rounds and waits for the one in flight. */
	stop(): Promise<void>;
}

/**
 * Runs `round` now and then every `intervalMs`. A round that resolves to `true` has more waiting and runs again
 * at once; a round that throws goes to `onError`.
 */
export function repeatEvery(
	job: string,
	intervalMs: number,
	round: () => Promise<boolean | void>,
	onError: (error: unknown) => void
): Repeating {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> | undefined;
	const run =
		intervalMs >= TRACED_INTERVAL_MS ? () => traced(`job ${job}`, { 'portal.job': job }, round) : round;
	const tick = () => {
		running = run()
			.then(
				(more) => {
					countJobRound(job, false);
					return more === true;
				},
				(error: unknown) => {
					countJobRound(job, true);
					onError(error);
					return false;
				}
			)
			.then((more) => {
				if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs);
			});
	};
	tick();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}
