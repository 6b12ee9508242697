import { wait } from './wait';

/**
 * Keeps one execution's requests inside the key's rate limit, from what VibeCode announces:
 * `X-RateLimit-Remaining` / `X-RateLimit-Reset` (seconds until the window frees up) on every answer,
 * and `Retry-After` on a 429. Every request of the execution waits here, so parallel items slow down together.
 */
export class Pacer {
	private resumeAt = 0;

	observe(headers: Record<string, unknown> | undefined): void {
		const remaining = Number(headers?.['x-ratelimit-remaining']);
		const reset = Number(headers?.['x-ratelimit-reset']);
		if (!Number.isFinite(remaining) || !Number.isFinite(reset) || remaining > 0) return;
		// Some servers send an epoch time instead of seconds to wait.
		const waitMs = reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000;
		this.pause(waitMs);
	}

	pause(waitMs: number): void {
		if (waitMs > 0) this.resumeAt = Math.max(this.resumeAt, Date.now() + waitMs);
	}

	async ready(signal?: AbortSignal): Promise<void> {
		for (let waitMs = this.resumeAt - Date.now(); waitMs > 0 && !signal?.aborted; waitMs = this.resumeAt - Date.now()) {
			await wait(waitMs, signal);
		}
	}
}
