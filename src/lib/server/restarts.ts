// How the portal brings back a service it supervises (its PostgreSQL, its Meilisearch) that exits on its own:
// again after 0.5 s, doubling up to 30 s while it keeps failing; a healthy minute forgives the earlier crashes.
import { messageOf } from './system-errors';

const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 30_000;
const FORGIVEN_AFTER_MS = 60_000;

export class Restarts {
	#count = 0;
	#timer: NodeJS.Timeout | undefined;
	#cancelled = false;

	constructor(
		/** Starts the service again; throws when it does not come up. */
		private readonly start: () => Promise<void>,
		private readonly log: (message: string) => void
	) {}

	/** The service exited unexpectedly: start it again after the backoff. */
	exited(code: number | null, signal: NodeJS.Signals | null): void {
		if (this.#cancelled) return;
		const delay = Math.min(FIRST_DELAY_MS * 2 ** this.#count, LONGEST_DELAY_MS);
		this.#count += 1;
		this.log(
			`exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay} ms (attempt ${this.#count})`
		);
		this.#timer = setTimeout(() => void this.#attempt(), delay);
	}

	/** No more restarts (the portal is stopping it). */
	cancel(): void {
		this.#cancelled = true;
		clearTimeout(this.#timer);
	}

	/** Restarts allowed again (the portal started it anew). */
	resume(): void {
		this.#cancelled = false;
	}

	async #attempt(): Promise<void> {
		if (this.#cancelled) return;
		try {
			await this.start();
			this.log('running again');
			const attempts = this.#count;
			setTimeout(() => {
				if (this.#count === attempts) this.#count = 0;
			}, FORGIVEN_AFTER_MS).unref();
		} catch (error) {
			this.log(`restart failed: ${messageOf(error)}`);
			this.exited(null, null);
		}
	}
}
