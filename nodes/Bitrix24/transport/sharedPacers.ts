import { createHash } from 'node:crypto';

import { apiRoot, type VibeCredentials } from './credentials';
import { KeyLimiter, Pacer } from './pacer';
import { DEFAULT_SETTINGS } from './settings';

/**
 * One {@link KeyLimiter} per key in this n8n process: executions that use the same key against the same API root
 * wait on one pause, one budget and one in-flight limit, so two workflows started together share the key's rate
 * instead of each believing it has all of it. Keys are told apart by a SHA-256 hash of the API root and the key;
 * the key itself is never kept here. Different keys never wait for each other. A key's limiter is dropped as
 * soon as nothing is in flight, nobody waits and no pause is pending, so the registry holds only the keys in use.
 *
 * n8n's queue mode runs each worker in its own process: workers share no limiter, only what VibeCode's
 * rate-limit headers and 429s tell each of them (docs/queue-mode.md).
 */
export class PacerRegistry {
	private readonly limiters = new Map<string, KeyLimiter>();

	/** How many keys have state now. */
	get size(): number {
		return this.limiters.size;
	}

	/** The hashes the limiters are filed under (what a heap dump would show: never a key). */
	ids(): string[] {
		return [...this.limiters.keys()];
	}

	/** The key's limiter, if it has one now (for tests and the benchmark). */
	peek(credentials: Pick<VibeCredentials, 'baseUrl' | 'apiKey'>): KeyLimiter | undefined {
		return this.limiters.get(keyId(credentials));
	}

	/**
	 * The pacer of one execution (or one editor request, or one poll) with these credentials.
	 * @param timeoutMs the execution's request timeout: how long a request without an answer counts as in flight
	 */
	pacerFor(credentials: Pick<VibeCredentials, 'baseUrl' | 'apiKey'>, timeoutMs: number = DEFAULT_SETTINGS.timeoutMs): Pacer {
		const id = keyId(credentials);
		return new Pacer(() => this.limiterOf(id), timeoutMs);
	}

	private limiterOf(id: string): KeyLimiter {
		let limiter = this.limiters.get(id);
		if (!limiter) {
			this.sweep();
			limiter = new KeyLimiter((idle) => {
				if (this.limiters.get(id) === idle) this.limiters.delete(id);
			});
			this.limiters.set(id, limiter);
		}
		return limiter;
	}

	/** Drops limiters whose last pause has run out since they went quiet. */
	private sweep(): void {
		const now = Date.now();
		for (const [id, limiter] of this.limiters) if (limiter.idle(now)) this.limiters.delete(id);
	}
}

/** The same for every spelling of one API root (trailing slash, /v1, letter case of the host). */
export function keyId({ baseUrl, apiKey }: Pick<VibeCredentials, 'baseUrl' | 'apiKey'>): string {
	let root = apiRoot(baseUrl);
	try {
		root = new URL(root).href.replace(/\/+$/, '');
	} catch {
		// an unusable Base URL never gets this far (credentialProblem); keep it as written
	}
	return createHash('sha256').update(root).update('\n').update(apiKey).digest('hex');
}

/** The registry every execution in this process uses. */
export const sharedPacers = new PacerRegistry();
