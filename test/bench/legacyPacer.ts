import { wait } from '../../nodes/Bitrix24/transport/wait';

/**
 * The pacer as it was before pacing was shared per key (0.1.0, commit 40bc9e2), kept verbatim for the benchmark's
 * "before" rows: one per execution, no in-flight limit of its own (the execution's Max Parallel Requests is the
 * only bound), waiting only when `X-RateLimit-Remaining` reaches 0 or after a 429.
 */
export class LegacyPacer {
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
