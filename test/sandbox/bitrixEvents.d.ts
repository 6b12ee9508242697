// Types for the Bitrix24 event sender (plain JavaScript so that the demo can run it without a build).
export type Pairs = Array<[string, string]>;

export interface EventOptions {
	event?: string;
	id: number | string;
	entityTypeId?: number;
	handlerId?: string | number;
	ts?: number | string;
	/** null sends no token at all. */
	token?: string | null;
	domain?: string;
	memberId?: string;
}

export interface RobotOptions {
	entity?: 'deal' | 'lead' | 'contact' | 'company' | 'quote' | 'invoice';
	id: number | string;
	params?: Record<string, string | number>;
	shape?: 'indexed' | 'brackets';
	ts?: number | string;
	token?: string | null;
	domain?: string;
	memberId?: string;
}

export interface Answer {
	status: number;
	body: any;
	sentAt: number;
	ms: number;
	/** sendAll and postRetrying: how many times the call was sent (more than 1 after a 5xx or no answer). */
	attempts?: number;
	/** sendAll and postRetrying: every attempt, oldest first. */
	history?: Attempt[];
}

/** One attempt of a call: its answer's status, or `error` when there was none (connection refused or dropped). */
export interface Attempt {
	attempt: number;
	sentAt: number;
	at: number;
	status?: number;
	/** The answer's own `error` code, when its JSON body has one (`UNAUTHORIZED`, `UNKNOWN_CALL`). */
	code?: string;
	error?: string;
}

export interface RetryOptions {
	retries?: number;
	retryMs?: number;
	/** Which answers are sent again: 5xx and none (default), or anything but a 2xx, as Bitrix24 does. */
	resend?: '5xx' | 'non-2xx';
	/**
	 * Awaited before each call is sent again: Bitrix24 sends again on its own schedule (not every half second), so a
	 * test of a restart can hold its resends until n8n is up rather than meet n8n's start-up page, which answers 200.
	 */
	beforeResend?: () => Promise<unknown>;
}

export interface BurstCall {
	pairs: Pairs;
	id: number;
	kind: 'event' | 'robot';
	copy: boolean;
	wrongToken: boolean;
}

export declare const SANDBOX_TOKEN: string;
export declare const PORTAL: string;
export declare const MEMBER_ID: string;
export declare const DOCUMENTS: Record<string, [string, string]>;
export declare function eventPairs(options: EventOptions): Pairs;
export declare function robotPairs(options: RobotOptions): Pairs;
export declare function formBody(pairs: Pairs): string;
export declare function post(url: string, pairs: Pairs, options?: { contentType?: string }): Promise<Answer>;
export declare function postRetrying(url: string, pairs: Pairs, options?: RetryOptions & { onAttempt?: (attempt: Attempt) => void }): Promise<Answer>;
export declare function sendAll(
	url: string,
	calls: Array<{ pairs: Pairs }>,
	options?: RetryOptions & { concurrency?: number; onAttempt?: (index: number, attempt: Attempt) => void },
): Promise<Answer[]>;
export declare function burst(options: {
	ids: number[];
	duplicates?: number;
	wrongIds?: number[];
	robotEvery?: number;
	event?: string;
	token?: string;
	seed?: number;
}): BurstCall[];
