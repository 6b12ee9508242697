import { ManualExecutionCancelledError } from 'n8n-workflow';

import { DEFAULT_SETTINGS } from './settings';
import { wait } from './wait';

/** Requests of one key in flight at once, unless an execution asks for more: VibeCode serves 2 per portal. */
export const KEY_CONCURRENCY = 2;
/**
 * How long a request without an answer counts as in flight: four times the slowest recent answer of the key, at
 * least this long, at most its timeout and this margin. (A broken connection reaches the node as an error, never
 * as an answer to the pacer, so its place is given back by this clock.)
 */
const LEASE_MIN_MS = 2_000;
const LEASE_MARGIN_MS = 5_000;
/** Each answer, the slowest recent answer time decays by this factor (before the new one is taken in). */
const SLOW_DECAY = 0.9;
/** The longest delay a timer takes; a longer pause is waited out in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** One request of one execution: waiting for its turn, then in flight until its answer. */
interface Ticket {
	owner: Pacer;
	signal?: AbortSignal;
	/** The units of the key's rate limit it costs: 1, or one per 50 records of an entity batch. */
	cost: number;
	/** While in flight: when it was sent, and when it stops counting even without an answer. */
	sentAt: number;
	expiresAt: number;
	onAbort: () => void;
	resolve: () => void;
	reject: (error: Error) => void;
}

/**
 * Everything one key's requests share in one n8n process (see sharedPacers.ts), from what VibeCode announces:
 *
 * - a pause: when `X-RateLimit-Remaining` reaches 0, until `X-RateLimit-Reset` (seconds to wait, or an epoch
 *   time), and after a 429 for its `Retry-After`. It holds the executions that were running when VibeCode announced
 *   it; an execution started later sends one request and learns of it from VibeCode, so a pause left behind by an
 *   execution that has ended (stopped, or failed because the wait exceeded its Max Wait) never holds up new work;
 * - a budget: the last `X-RateLimit-Remaining` less the units of the requests sent since (a request costs 1, an
 *   entity batch one per 50 records). When it is short of a request's cost no new request starts until an answer
 *   says more (or, with none in flight, one request goes to ask), so parallel requests do not run into 429s;
 * - an in-flight limit: {@link KEY_CONCURRENCY}, or the largest number of requests one execution has waiting or in
 *   flight at once (its Max Parallel Requests), whichever is larger;
 * - a queue: requests start in the order they asked, so executions sharing the key take turns.
 *
 * A stopped execution's waiting requests leave the queue at once and its requests in flight stop counting (n8n
 * aborts them), so it never holds up the others. A request that never got an answer (a broken connection) stops
 * counting after four times the slowest recent answer (at least 2 s, at most its timeout).
 */
export class KeyLimiter {
	private resumeAt = 0;
	/** When the current pause was last announced, on the clock of {@link Pacer.born}. */
	private pausedAt = 0;
	private budget = Infinity;
	/** The slowest recent answer, decaying. */
	private slowMs = 0;
	private readonly queue: Ticket[] = [];
	private readonly inFlight: Ticket[] = [];
	/** Per execution: its requests waiting or in flight. */
	private readonly demand = new Map<Pacer, number>();
	private timer: { at: number; stop: AbortController } | undefined;

	/** @param onIdle told when the limiter holds nothing worth keeping (see {@link idle}). */
	constructor(private readonly onIdle: (limiter: KeyLimiter) => void = () => undefined) {}

	/** Nothing in flight, nobody waiting and no pause to remember: the key's state can be dropped. */
	idle(now = Date.now()): boolean {
		return this.queue.length === 0 && this.resumeAt <= now && this.inFlight.every((ticket) => ticket.expiresAt <= now);
	}

	/** What the limiter holds now, for tests and the benchmark. */
	state(): { inFlight: number; waiting: number; limit: number; pausedMs: number; budget: number } {
		return {
			inFlight: this.inFlight.length,
			waiting: this.queue.length,
			limit: this.limit(),
			pausedMs: Math.max(0, this.resumeAt - Date.now()),
			budget: this.budget,
		};
	}

	/**
	 * Resolves when the request may be sent; it then counts as in flight until {@link answered}. Resolves at once
	 * (holding nothing) for a stopped execution, which sends nothing more; rejects with a cancellation when the
	 * execution is stopped while waiting.
	 */
	async acquire(owner: Pacer, signal?: AbortSignal, cost = 1): Promise<void> {
		if (signal?.aborted) return;
		await new Promise<void>((resolve, reject) => {
			const ticket: Ticket = { owner, signal, cost, sentAt: 0, expiresAt: 0, onAbort: () => this.cancel(ticket), resolve, reject };
			signal?.addEventListener('abort', ticket.onAbort, { once: true });
			this.count(owner, 1);
			this.queue.push(ticket);
			this.pump();
		});
	}

	/** An answer to one of owner's requests: frees its place and reads the rate-limit headers. */
	answered(owner: Pacer, headers: Record<string, unknown> | undefined): void {
		const ticket = this.inFlight.find((candidate) => candidate.owner === owner);
		if (ticket) {
			this.slowMs = Math.max(Date.now() - ticket.sentAt, this.slowMs * SLOW_DECAY);
			this.release(ticket);
		}
		const remaining = headerNumber(headers, 'x-ratelimit-remaining');
		if (!Number.isNaN(remaining)) {
			this.budget = remaining - this.inFlight.reduce((sum, ticket) => sum + ticket.cost, 0);
			const reset = headerNumber(headers, 'x-ratelimit-reset');
			// Some servers send an epoch time instead of seconds to wait.
			if (remaining <= 0 && !Number.isNaN(reset)) this.pause(owner, reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000);
		}
		this.pump();
	}

	/** VibeCode told owner to wait waitMs (a 429's Retry-After): no request of the key starts before then. */
	pause(owner: Pacer, waitMs: number): void {
		if (waitMs > 0) {
			const until = Date.now() + waitMs;
			// A pause announced before owner started is one owner never waited for: the new one replaces it.
			this.resumeAt = owner.born < this.pausedAt ? Math.max(this.resumeAt, until) : until;
			// From now on it holds every execution running, including those started since it was first announced.
			this.pausedAt = Pacer.clock();
		}
		this.pump();
	}

	/** Whether the pause holds this request: it does for executions that were running when it was announced. */
	private held(ticket: Ticket, now: number): boolean {
		return this.resumeAt > now && ticket.owner.born < this.pausedAt;
	}

	private limit(): number {
		let limit = KEY_CONCURRENCY;
		for (const count of this.demand.values()) limit = Math.max(limit, count);
		return limit;
	}

	private count(owner: Pacer, change: number): void {
		const count = (this.demand.get(owner) ?? 0) + change;
		if (count > 0) this.demand.set(owner, count);
		else this.demand.delete(owner);
	}

	private release(ticket: Ticket): void {
		const index = this.inFlight.indexOf(ticket);
		if (index < 0) return;
		this.inFlight.splice(index, 1);
		ticket.signal?.removeEventListener('abort', ticket.onAbort);
		this.count(ticket.owner, -1);
	}

	private cancel(ticket: Ticket): void {
		const waiting = this.queue.indexOf(ticket);
		if (waiting >= 0) {
			this.queue.splice(waiting, 1);
			this.count(ticket.owner, -1);
			ticket.reject(new ManualExecutionCancelledError(''));
		} else {
			// Sent: n8n aborts the request, so it may never be answered.
			this.release(ticket);
		}
		this.pump();
	}

	/** Starts every waiting request that may start now, in order, and sets one timer for when the next one may. */
	private pump(): void {
		const now = Date.now();
		for (const ticket of this.inFlight.filter((candidate) => candidate.expiresAt <= now)) this.release(ticket);
		for (let index = 0; index < this.queue.length; ) {
			const ticket = this.queue[index];
			if (this.inFlight.length >= this.limit() || (this.budget < ticket.cost && this.inFlight.length > 0)) break;
			if (this.held(ticket, now)) {
				index++;
				continue;
			}
			this.queue.splice(index, 1);
			ticket.sentAt = now;
			ticket.expiresAt = now + Math.min(Math.max(4 * this.slowMs, LEASE_MIN_MS), ticket.owner.leaseMs);
			this.inFlight.push(ticket);
			this.budget -= ticket.cost;
			ticket.resolve();
		}
		this.schedule(now);
		if (this.idle(now)) this.onIdle(this);
	}

	private schedule(now: number): void {
		let at = Infinity;
		if (this.queue.length > 0) {
			if (this.queue.some((ticket) => this.held(ticket, now))) at = this.resumeAt;
			for (const ticket of this.inFlight) at = Math.min(at, ticket.expiresAt);
		}
		if (this.timer && (at === Infinity || this.timer.at > at)) {
			this.timer.stop.abort();
			this.timer = undefined;
		}
		if (this.timer || at === Infinity) return;
		const timer = { at, stop: new AbortController() };
		this.timer = timer;
		const wake = () => {
			if (this.timer !== timer) return;
			this.timer = undefined;
			this.pump();
		};
		// Rejects only when the timer was replaced or is no longer needed: then there is nothing to do.
		void wait(Math.min(at - now, MAX_TIMER_MS), timer.stop.signal).then(wake, () => undefined);
	}
}

function headerNumber(headers: Record<string, unknown> | undefined, name: string): number {
	const value = headers?.[name];
	if (typeof value === 'number') return value;
	return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

/**
 * What one execution's requests wait on: a view of its key's {@link KeyLimiter}. Every request of the execution
 * calls `ready()` before it is sent and `observe()` with the answer's headers; a 429 also calls `pause()`.
 * `new Pacer()` has a limiter of its own; sharedPacers.ts hands out pacers that share one per key.
 */
export class Pacer {
	private static ticks = 0;
	/** A clock that only moves forward, one tick per pacer made and per pause announced. */
	static clock(): number {
		return ++Pacer.ticks;
	}

	/** When it was made, on {@link Pacer.clock}: pauses announced before do not hold it. */
	readonly born = Pacer.clock();
	/** The longest one of its requests counts as in flight without an answer: its timeout and a margin. */
	readonly leaseMs: number;
	private readonly limiter: () => KeyLimiter;

	/**
	 * @param limiter the key's limiter, looked up at each call (the registry drops idle ones); a limiter of its own
	 *   when not given
	 * @param timeoutMs the execution's request timeout
	 */
	constructor(limiter?: () => KeyLimiter, timeoutMs: number = DEFAULT_SETTINGS.timeoutMs) {
		const own = limiter ? undefined : new KeyLimiter();
		this.limiter = limiter ?? (() => own!);
		this.leaseMs = timeoutMs + LEASE_MARGIN_MS;
	}

	observe(headers: Record<string, unknown> | undefined): void {
		this.limiter().answered(this, headers);
	}

	pause(waitMs: number): void {
		this.limiter().pause(this, waitMs);
	}

	/** @param cost the request's units of the rate limit (see {@link KeyLimiter}) */
	async ready(signal?: AbortSignal, cost = 1): Promise<void> {
		await this.limiter().acquire(this, signal, cost);
	}
}
