/**
 * VibeCode's two batch calls (docs/vibecode-contract.md, "Batches"): `POST /v1/{entity}/batch`, up to 500 writes of
 * one entity, and `POST /v1/batch`, up to 50 calls across entities. Both answer each entry on its own: this module
 * turns an answer into one outcome per entry, in the order sent, and leaves what an outcome means to the caller.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, type ErrorText } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { EntityType } from './entities';
import { recordBody } from './records';

/** The most records one `POST /v1/{entity}/batch` takes (the optimization page). */
export const ENTITY_BATCH_LIMIT = 500;
/** The most calls one `POST /v1/batch` takes (the batch page). */
export const CALL_BATCH_LIMIT = 50;
/** VibeCode sends an entity batch to Bitrix24 50 records at a time and counts each such part as one request. */
export const RECORDS_PER_UNIT = 50;

/** One entry's outcome: what VibeCode answered for it, or why it failed (an ApiFailure, or the whole request's error). */
export type Outcome = { data: IDataObject } | { failure: ApiFailure | NodeApiError };

export type BatchAction = 'create' | 'update' | 'delete';

/** Splits a list into parts of at most `size`. */
export function chunks<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let start = 0; start < list.length; start += size) out.push(list.slice(start, start + size));
	return out;
}

const STATUS: Record<string, number> = { ENTITY_NOT_FOUND: 404, NOT_FOUND: 404, BITRIX_ERROR: 422, WRITE_BLOCKED_READONLY_KEY: 403 };

/** One entry's failure as VibeCode said it (`{ code, message }`). */
function entryFailure(said: unknown, requestId?: string): ApiFailure {
	const error = (said && typeof said === 'object' ? said : {}) as IDataObject;
	const code = typeof error.code === 'string' && error.code ? error.code : 'UNKNOWN_ERROR';
	return new ApiFailure(code, {
		status: STATUS[code] ?? 400,
		apiMessage: typeof error.message === 'string' ? error.message : undefined,
		requestId,
	});
}

/**
 * A whole batch VibeCode refused because every entry failed its validation (`400 INVALID_REQUEST` with
 * `data.errors`): each named entry gets its own failure; any other entry the request's error. Any other failure of
 * the request is thrown on.
 */
function refusedWhole(error: unknown, keys: string[]): Outcome[] {
	const named = error instanceof NodeApiError ? (error.context.batchErrors as IDataObject | undefined) : undefined;
	if (!named) throw error;
	const requestId = typeof (error as NodeApiError).errorResponse?.requestId === 'string' ? ((error as NodeApiError).errorResponse!.requestId as string) : undefined;
	return keys.map((key) => ({ failure: key in named ? entryFailure(named[key], requestId) : (error as NodeApiError) }));
}

const requestIdOf = (body: IDataObject) => (typeof body.requestId === 'string' ? body.requestId : undefined);

/**
 * `POST /v1/{entity}/batch`: creates (`entries` are the records' fields), updates (`{ id, …fields }`) or deletes
 * (IDs), at most {@link ENTITY_BATCH_LIMIT}. Costs one request of the rate limit per {@link RECORDS_PER_UNIT}
 * records. `idempotent`: whether the whole batch may be sent again after an unknown outcome (never for creates).
 * Throws when the request as a whole failed, so that the caller can say what that means for its items.
 */
export async function entityBatch(
	this: VibeContext,
	session: VibeSession,
	type: EntityType,
	action: BatchAction,
	entries: IDataObject[] | number[],
	{ idempotent, errorTexts }: { idempotent: boolean; errorTexts?: Partial<Record<string, ErrorText>> },
): Promise<Outcome[]> {
	const body: IDataObject = action === 'delete' ? { action, ids: entries as number[] } : { action, items: (entries as IDataObject[]).map(recordBody) };
	const target = idempotent ? session : { ...session, settings: { ...session.settings, retryUnknownOutcome: false } };
	let answer: { data: unknown; body: IDataObject };
	try {
		answer = await vibeRequest.call(this, target, {
			method: 'POST',
			path: `/v1/${type.path}/batch`,
			body,
			idempotent,
			cost: Math.ceil(entries.length / RECORDS_PER_UNIT),
			errorTexts,
		});
	} catch (error) {
		return refusedWhole(error, entries.map((_, index) => String(index)));
	}
	// `data.results` in the order sent; a bare array is read the same (the pages do not show the answer).
	const data = answer.data as IDataObject | unknown[] | undefined;
	const results = Array.isArray(data) ? data : Array.isArray((data as IDataObject | undefined)?.results) ? ((data as IDataObject).results as unknown[]) : undefined;
	if (!results || results.length !== entries.length) {
		const unreadable = new ApiFailure('INVALID_RESPONSE', {
			status: 200,
			observed: `VibeCode answered the batch of ${entries.length} without one result per record${results ? ` (${results.length} results)` : ''}.`,
			unknownOutcome: true,
			requestId: requestIdOf(answer.body),
		});
		return entries.map(() => ({ failure: unreadable }));
	}
	return results.map((result) => {
		const entry = (result && typeof result === 'object' ? result : {}) as IDataObject;
		if (entry.success === false || entry.error) return { failure: entryFailure(entry.error, requestIdOf(answer.body)) };
		const record = entry.data && typeof entry.data === 'object' && !Array.isArray(entry.data) ? (entry.data as IDataObject) : {};
		return { data: record };
	});
}

/**
 * `POST /v1/batch` with one `get` per ID, at most {@link CALL_BATCH_LIMIT}: each record, or its failure
 * (ENTITY_NOT_FOUND when there is none). A read, so it may be sent again; costs one request.
 */
export async function getBatch(
	this: VibeContext,
	session: VibeSession,
	type: EntityType,
	ids: number[],
	errorTexts?: Partial<Record<string, ErrorText>>,
): Promise<Outcome[]> {
	const calls = ids.map((entityId, index) => ({ id: String(index), entity: type.path, action: 'get', entityId }));
	let answer: { data: unknown; body: IDataObject };
	try {
		answer = await vibeRequest.call(this, session, { method: 'POST', path: '/v1/batch', body: { calls }, idempotent: true, errorTexts });
	} catch (error) {
		return refusedWhole(error, calls.map(({ id }) => id));
	}
	const data = (answer.data ?? {}) as IDataObject;
	const results = (data.results ?? {}) as IDataObject;
	const errors = (data.errors ?? {}) as IDataObject;
	return calls.map(({ id }) => {
		if (errors[id] !== undefined) return { failure: entryFailure(errors[id], requestIdOf(answer.body)) };
		// users.get answers an array (the batch page); a CRM record is an object, but read both the same way.
		const value = Array.isArray(results[id]) ? (results[id] as unknown[])[0] : results[id];
		if (value && typeof value === 'object') return { data: value as IDataObject };
		return { failure: entryFailure({ code: 'ENTITY_NOT_FOUND', message: 'Item not found' }, requestIdOf(answer.body)) };
	});
}

/** {@link getBatch} over any number of IDs, {@link CALL_BATCH_LIMIT} per request, one after another. */
export async function getMany(this: VibeContext, session: VibeSession, type: EntityType, ids: number[]): Promise<Outcome[]> {
	const out: Outcome[] = [];
	for (const part of chunks(ids, CALL_BATCH_LIMIT)) out.push(...(await getBatch.call(this, session, type, part)));
	return out;
}
