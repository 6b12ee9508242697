import type { IDataObject } from 'n8n-workflow';

/**
 * The numeric request options' defaults, in the units the user sets them (seconds; Batch Size in records: as many as
 * one `POST /v1/{entity}/batch` takes, since every 50 records cost one request of the rate limit either way and fewer
 * requests wait less). The node's Options
 * collection shows them, `readSettings` falls back to them, and `DEFAULT_SETTINGS` is built from them.
 * Retry Unknown Outcomes is off unless turned on.
 */
export const OPTION_DEFAULTS = {
	batchSize: 500,
	maxParallel: 2,
	maxRetries: 4,
	maxWait: 60,
	timeout: 35,
} as const;

export interface RequestSettings {
	/** Retries after a rate limit or an overloaded portal (never after an unknown outcome unless allowed). */
	maxRetries: number;
	/** The longest single wait the node accepts before giving up on an item. */
	maxWaitMs: number;
	/** How long one request may take. VibeCode gives up on its own queue after 30 s (504 QUEUE_TIMEOUT). */
	timeoutMs: number;
	/** Retry after a timeout, a broken connection or a 5xx whose outcome is unknown: may run a trigger twice. */
	retryUnknownOutcome: boolean;
}

export const DEFAULT_SETTINGS: RequestSettings = {
	maxRetries: OPTION_DEFAULTS.maxRetries,
	maxWaitMs: OPTION_DEFAULTS.maxWait * 1000,
	timeoutMs: OPTION_DEFAULTS.timeout * 1000,
	retryUnknownOutcome: false,
};

/**
 * The Options collection as request settings plus the number of requests in flight and the records per batch. A value an expression made
 * unusable falls back to the default. The floors are what still works (no wait at all, a short timeout), below
 * the editor's minimums.
 */
/** The most records one batch may carry: `POST /v1/{entity}/batch` takes 500. */
export const MAX_BATCH_SIZE = 500;

export function readSettings(options: IDataObject): RequestSettings & { maxParallel: number; batchSize: number } {
	const number = (value: unknown, fallback: number, floor: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= floor ? value : fallback;
	return {
		maxParallel: Math.floor(number(options.maxParallel, OPTION_DEFAULTS.maxParallel, 1)),
		batchSize: Math.min(MAX_BATCH_SIZE, Math.floor(number(options.batchSize, OPTION_DEFAULTS.batchSize, 1))),
		maxRetries: Math.floor(number(options.maxRetries, OPTION_DEFAULTS.maxRetries, 0)),
		maxWaitMs: number(options.maxWait, OPTION_DEFAULTS.maxWait, 0) * 1000,
		timeoutMs: number(options.timeout, OPTION_DEFAULTS.timeout, 0.001) * 1000,
		retryUnknownOutcome: options.retryUnknownOutcome === true,
	};
}
