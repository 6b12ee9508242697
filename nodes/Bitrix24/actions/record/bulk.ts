/**
 * Create, Update, Delete, Get and Create or Update for a batch of items (Options → Batch Size, run by runItems):
 * the same requests as one item sends, carried by VibeCode's batch calls (helpers/batch.ts), each item ending with
 * its own record, or its own error in the words a single item's would have. Writes are proven per item (proof.ts).
 * A batch of creates whose outcome is unknown is never sent again.
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, quote, type ErrorText } from '../../errors';
import { entityBatch, getMany, idOfRecord, type Outcome } from '../../helpers/batch';
import type { RecordType } from '../../helpers/entities';
import { label } from '../../helpers/fields';
import { notFound } from '../../helpers/records';
import { mayHaveRun, type VibeSession } from '../../transport';
import type { BatchResult, ReadItem } from '../runItems';
import { provenMany, unreadFailure, type BatchWrite } from './proof';
import { addsEntries, createFields, needsCurrent, pipelineMismatch, updateChanges, type WriteRequest } from './write';

type Results = Map<number, BatchResult>;

/** Whether a failure may still have been carried out: no answer, or an answer the node could not read. */
const unknownOutcome = (failure: unknown) => (failure instanceof ApiFailure ? failure.unknownOutcome === true : mayHaveRun(failure));

/** The same failure as an ApiFailure (its code, status and request ID), for words of the item's own. */
function asFailure(failure: ApiFailure | NodeApiError): ApiFailure {
	if (failure instanceof ApiFailure) return failure;
	const body = (failure.errorResponse ?? {}) as JsonObject;
	return new ApiFailure(String(failure.context.vibeCode ?? 'UNKNOWN_ERROR'), {
		status: Number(failure.httpCode) || undefined,
		unknownOutcome: true,
		requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
		apiMessage: typeof body.apiMessage === 'string' ? body.apiMessage : undefined,
	});
}

/** A failure of the whole request: every item's. */
const everyItem = (items: Array<{ itemIndex: number }>, error: unknown): Results => new Map(items.map(({ itemIndex }) => [itemIndex, { error }]));

const outcomeResult = (outcome: Outcome, texts?: Partial<Record<string, ErrorText>>): BatchResult =>
	'data' in outcome ? { outputs: [outcome.data] } : { error: outcome.failure, texts };

/** Get: the records by `POST /v1/batch`, 50 calls a request. */
export async function getItems(this: IExecuteFunctions, session: VibeSession, type: RecordType, items: Array<ReadItem<{ id: number }>>): Promise<Results> {
	const outcomes = await getMany.call(this, session, type, items.map(({ request }) => request.id));
	return new Map(items.map(({ itemIndex, request }, k) => [itemIndex, outcomeResult(outcomes[k], notFound(type, request.id))]));
}

/**
 * Delete: one entity batch. After an unknown outcome it is sent again, and a record found missing then counts as
 * deleted (the first attempt deleted it), as a single delete does.
 */
export async function deleteItems(this: IExecuteFunctions, session: VibeSession, type: RecordType, items: Array<ReadItem<{ id: number }>>): Promise<Results> {
	const ids = items.map(({ request }) => request.id);
	let again = false;
	let outcomes: Outcome[];
	try {
		outcomes = await entityBatch.call(this, session, type, 'delete', ids, { idempotent: false });
	} catch (error) {
		if (!mayHaveRun(error)) return everyItem(items, error);
		again = true;
		outcomes = await entityBatch.call(this, session, type, 'delete', ids, { idempotent: true });
	}
	return new Map(
		items.map(({ itemIndex, request }, k) => {
			const outcome = outcomes[k];
			const gone = 'failure' in outcome && again && outcome.failure instanceof ApiFailure && outcome.failure.code === 'ENTITY_NOT_FOUND';
			return [itemIndex, 'data' in outcome || gone ? { outputs: [{ id: request.id, deleted: true }] } : outcomeResult(outcome, notFound(type, request.id))];
		}),
	);
}

/** How the user can find a record that may have been created: its match fields, else the first text it was sent with. */
function findBy(request: WriteRequest, sent: IDataObject): string {
	const fields = request.portal?.fields ?? [];
	const named = (name: string) => {
		const field = fields.find((candidate) => candidate.name === name);
		const value = sent[name];
		const shown = Array.isArray(value) && value[0] && typeof value[0] === 'object' ? (value[0] as IDataObject).value : value;
		return `${field ? label(field) : name} = ${quote(shown)}`;
	};
	if (request.match.length > 0) return request.match.map(named).join(' and ');
	const text = Object.keys(sent).find((name) => typeof sent[name] === 'string' && String(sent[name]).trim() !== '');
	return text ? named(text) : 'the values of this item';
}

/** An item of a batch of creates with an unknown outcome: it may exist, and is not sent again. */
function mayExist(type: RecordType, request: WriteRequest, sent: IDataObject, failure: ApiFailure | NodeApiError): BatchResult {
	const own = asFailure(failure);
	const noun = type.name.toLowerCase();
	return {
		error: own,
		texts: {
			[own.code]: {
				message: `No answer to the batch that created this ${noun}: it may already have been created`,
				hint: `The node did not send the batch again. Search Bitrix24 for the ${noun} with ${findBy(request, sent)} before running this item again.`,
			},
		},
	};
}

/**
 * An item of a batch of creates whose result says `success: true` and gives no ID anywhere: the record exists, but
 * the node cannot tell which one it is, so it can neither read it back nor prove it. Not sent again.
 */
function createdWithoutId(type: RecordType, request: WriteRequest, sent: IDataObject, requestId?: string): BatchResult {
	const noun = type.name.toLowerCase();
	return {
		error: new ApiFailure('INVALID_RESPONSE', {
			status: 200,
			observed: `VibeCode's result for this ${noun} said success: true and carried no ID (no id beside success, none in its data).`,
			requestId,
		}),
		texts: {
			INVALID_RESPONSE: {
				message: `VibeCode created this ${noun} but its answer gives no ID`,
				hint: `The node could not read the new ${noun} back to check its values, and did not send it again. Search Bitrix24 for the ${noun} with ${findBy(request, sent)} before running this item again.`,
			},
		},
	};
}

/** Create: one entity batch of the items' fields, never sent twice; each new record proven. */
export async function createItems(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	items: Array<ReadItem<WriteRequest>>,
	extra: IDataObject = {},
): Promise<Results> {
	const sent = items.map(({ request }) => createFields(request));
	let outcomes: Outcome[];
	try {
		outcomes = await entityBatch.call(this, session, type, 'create', sent, { idempotent: false });
	} catch (error) {
		if (!(error instanceof NodeApiError) || !mayHaveRun(error)) return everyItem(items, error);
		return new Map(items.map(({ itemIndex, request }, k) => [itemIndex, mayExist(type, request, sent[k], error)]));
	}
	const results: Results = new Map();
	const writes: BatchWrite[] = [];
	items.forEach(({ itemIndex, request }, k) => {
		const outcome = outcomes[k];
		if ('data' in outcome && idOfRecord(outcome.data) === undefined) {
			results.set(itemIndex, createdWithoutId(type, request, sent[k], outcome.requestId));
		} else if ('data' in outcome) {
			writes.push({ itemIndex, facts: request.portal!, sent: sent[k], record: outcome.data, created: true, replaced: [], verify: request.verify });
		} else if (unknownOutcome(outcome.failure)) {
			results.set(itemIndex, mayExist(type, request, sent[k], outcome.failure));
		} else {
			const unread = outcome.failure instanceof ApiFailure ? unreadFailure(type, outcome.failure, sent[k], request.portal!) : undefined;
			results.set(itemIndex, unread ? { error: unread.failure, texts: unread.texts } : { error: outcome.failure });
		}
	});
	return withProof.call(this, session, type, writes, results, extra);
}

/** Each written record proven; the proven ones as the items' outputs (with `extra`, such as Create or Update's action). */
async function withProof(this: IExecuteFunctions, session: VibeSession, type: RecordType, writes: BatchWrite[], results: Results, extra: IDataObject): Promise<Results> {
	if (writes.length === 0) return results;
	for (const [itemIndex, proof] of await provenMany.call(this, session, type, writes)) {
		results.set(itemIndex, 'record' in proof ? { outputs: [{ ...proof.record, ...extra }] } : proof);
	}
	return results;
}

/** One item of an update batch: the record to change and, when known already (Create or Update's search), the record. */
export interface UpdateItem {
	itemIndex: number;
	request: WriteRequest;
	id: number;
	known?: IDataObject;
}

/**
 * Update: the records an item needs first (phone, email and website lists; a deal stage's pipeline) read in batches,
 * then one entity batch of the changes: may be sent again after an unknown outcome, unless it adds phone, email or
 * website entries (those go in a batch of their own that is not). Each record proven.
 */
export async function updateItems(this: IExecuteFunctions, session: VibeSession, type: RecordType, items: UpdateItem[], extra: IDataObject = {}): Promise<Results> {
	const results: Results = new Map();
	const toRead = items.filter((item) => (needsCurrent(item.request) && !item.known) || Object.keys(item.request.fields ?? {}).length === 0);
	const read = toRead.length > 0 ? await getMany.call(this, session, type, toRead.map(({ id }) => id)) : [];
	const current = new Map<number, IDataObject>();
	toRead.forEach((item, k) => {
		const outcome = read[k];
		if ('data' in outcome) current.set(item.itemIndex, outcome.data);
		else results.set(item.itemIndex, { error: outcome.failure, texts: notFound(type, item.id) });
	});
	const sending: Array<UpdateItem & { changes: IDataObject }> = [];
	for (const item of items) {
		if (results.has(item.itemIndex)) continue;
		const record = item.known ?? current.get(item.itemIndex);
		const mismatch = await pipelineMismatch.call(this, session, type, item.id, item.request, record);
		if (mismatch) {
			results.set(item.itemIndex, { error: mismatch });
			continue;
		}
		sending.push({ ...item, changes: updateChanges(item.request, record) });
	}
	const writes: BatchWrite[] = [];
	// An answer may name no ID (only `success: true`): the node knows the one it sent, so the proof reads that record.
	const write = (item: UpdateItem, record: IDataObject) =>
		writes.push({
			itemIndex: item.itemIndex,
			facts: item.request.portal!,
			sent: item.request.fields!,
			record: idOfRecord(record) === undefined ? { ...record, id: item.id } : record,
			created: false,
			replaced: item.request.lists === 'replace' ? (item.request.multi ?? []) : [],
			verify: item.request.verify,
		});
	// Nothing left to change (the lists hold the entries already): the record as it is.
	for (const item of sending.filter(({ changes }) => Object.keys(changes).length === 0)) write(item, item.known ?? current.get(item.itemIndex) ?? {});
	const changing = sending.filter(({ changes }) => Object.keys(changes).length > 0);
	for (const adding of [false, true]) {
		const part = changing.filter((item) => addsEntries(item.request, item.changes) === adding);
		if (part.length === 0) continue;
		let outcomes: Outcome[];
		try {
			outcomes = await entityBatch.call(this, session, type, 'update', part.map(({ id, changes }) => ({ id, ...changes })), { idempotent: !adding });
		} catch (error) {
			for (const item of part) results.set(item.itemIndex, error instanceof NodeApiError && mayHaveRun(error) && adding ? mayHaveChanged(type, item.id, error) : { error });
			continue;
		}
		part.forEach((item, k) => {
			const outcome = outcomes[k];
			if ('data' in outcome) write(item, outcome.data);
			else results.set(item.itemIndex, { error: outcome.failure, texts: notFound(type, item.id) });
		});
	}
	return withProof.call(this, session, type, writes, results, extra);
}

/** An item of a batch that adds list entries, with an unknown outcome: not sent again. */
function mayHaveChanged(type: RecordType, id: number, failure: NodeApiError): BatchResult {
	const own = asFailure(failure);
	return {
		error: own,
		texts: {
			[own.code]: {
				message: `No answer to the batch that changed ${type.name.toLowerCase()} ${id}: its new entries may already have been added`,
				hint: 'The node did not send the batch again, so that no phone, email or website is added twice. Check the record in Bitrix24 before running this item again.',
			},
		},
	};
}

