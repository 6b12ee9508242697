/**
 * VibeCode's two batch calls (docs/vibecode-contract.md, "Batches"): `POST /v1/{entity}/batch`, up to 500 writes of
 * one entity, and `POST /v1/batch`, up to 50 calls across entities. Both answer each entry on its own: this module
 * turns an answer into one outcome per entry, in the order sent, and leaves what an outcome means to the caller.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, type ErrorText } from '../errors';
import { sentOnce, vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { RecordType } from './entities';
import { recordBody } from './records';

/** The most records one `POST /v1/{entity}/batch` takes (the optimization page). */
export const ENTITY_BATCH_LIMIT = 500;
/** The most calls one `POST /v1/batch` takes (the batch page). */
export const CALL_BATCH_LIMIT = 50;
/** VibeCode sends an entity batch to Bitrix24 50 records at a time and counts each such part as one request. */
export const RECORDS_PER_UNIT = 50;

/**
 * One entry's outcome: what VibeCode answered for it (with the answer's request ID, for a message about it), or why
 * it failed (an ApiFailure, or the whole request's error).
 */
export type Outcome = { data: IDataObject; requestId?: string } | { failure: ApiFailure | NodeApiError };

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
	type: RecordType,
	action: BatchAction,
	entries: IDataObject[] | number[],
	{ idempotent, errorTexts }: { idempotent: boolean; errorTexts?: Partial<Record<string, ErrorText>> },
): Promise<Outcome[]> {
	const body: IDataObject = action === 'delete' ? { action, ids: entries as number[] } : { action, items: (entries as IDataObject[]).map(recordBody) };
	const target = idempotent ? session : sentOnce(session);
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
	const read = readEntityResults(answer.data, entries.length);
	const requestId = requestIdOf(answer.body);
	if ('unreadable' in read) {
		const unreadable = new ApiFailure('INVALID_RESPONSE', { status: 200, observed: read.unreadable, unknownOutcome: true, requestId });
		return entries.map(() => ({ failure: unreadable }));
	}
	return read.map((result) => ('record' in result ? { data: result.record, requestId } : { failure: entryFailure(result.error, requestId) }));
}

/** A positive integer ID as VibeCode may give it (a number, or its digits as text); anything else is no ID. */
export function recordId(value: unknown): number | undefined {
	const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The ID a record carries (`id`, or Bitrix24's `ID`), or undefined when it carries none. */
export const idOfRecord = (record: IDataObject): number | undefined => recordId(record.id ?? record.ID);

const isRecord = (value: unknown): value is IDataObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * One successful entity-batch result as a record that carries the record's ID wherever the result gave it. The
 * pages say only "an array of results with a success flag for each element", so every shape they leave open is
 * read: `data` the whole record, `data: { id }`, the ID beside `success` (`{ index, success: true, id }`), or
 * `data` the bare ID. A record without any ID stays without one: only the caller knows what that means (an update
 * knows the ID it sent; a create does not).
 */
export function resultRecord(result: IDataObject): IDataObject {
	const record: IDataObject = isRecord(result.data) ? { ...result.data } : {};
	if (idOfRecord(record) !== undefined) return record;
	const id = recordId(result.data) ?? recordId(result.id) ?? recordId(result.ID);
	return id === undefined ? record : { ...record, id };
}

/** Each entry's result as an entity batch answered it: its record, or VibeCode's error for it (`{ code, message }`). */
export type EntryResult = { record: IDataObject } | { error: unknown };

/**
 * An entity batch's `data` read into one result per entry sent, in the order sent; or, as `unreadable`, what the
 * node saw when it cannot tell which result is whose (so each entry's outcome is unknown). The list is `data.results`
 * or `data` itself (the pages do not show it). Results that carry an `index` are placed by it, not by their place
 * in the list; then each index from 0 to count − 1 must come exactly once.
 */
export function readEntityResults(data: unknown, count: number): EntryResult[] | { unreadable: string } {
	const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.results) ? (data.results as unknown[]) : undefined;
	if (!list || list.length !== count) {
		return { unreadable: `VibeCode answered the batch of ${count} without one result per record${list ? ` (${list.length} results)` : ''}.` };
	}
	let placed: unknown[] = list;
	if (list.some((result) => isRecord(result) && result.index !== undefined)) {
		placed = new Array<unknown>(count);
		const seen = new Set<number>();
		for (const result of list) {
			const index = isRecord(result) ? result.index : undefined;
			if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || seen.has(index)) {
				return { unreadable: `VibeCode answered the batch of ${count} with results whose index does not name each record once (${JSON.stringify(index ?? null)}).` };
			}
			seen.add(index);
			placed[index] = result;
		}
	}
	return placed.map((result) => {
		const entry = isRecord(result) ? result : {};
		if (entry.success === false || entry.error) return { error: entry.error };
		return { record: resultRecord(entry) };
	});
}

/**
 * `POST /v1/batch` with one `get` per ID, at most {@link CALL_BATCH_LIMIT}: each record, or its failure
 * (ENTITY_NOT_FOUND when there is none). A read, so it may be sent again; costs one request.
 */
export async function getBatch(
	this: VibeContext,
	session: VibeSession,
	type: RecordType,
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
export async function getMany(this: VibeContext, session: VibeSession, type: RecordType, ids: number[]): Promise<Outcome[]> {
	const out: Outcome[] = [];
	for (const part of chunks(ids, CALL_BATCH_LIMIT)) out.push(...(await getBatch.call(this, session, type, part)));
	return out;
}
