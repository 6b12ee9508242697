/**
 * The record read for an instant event: the same `GET /v1/{entity}/{id}` the Bitrix24 node's Get sends, so the
 * workflow gets the record as VibeCode answers it (the fields the polling trigger emits), then the filters.
 * A read that still fails after its retries starts the execution with the failure explained in the item, rather than
 * a non-2xx answer that would make Bitrix24 send the event again and again (a deleted record never becomes readable):
 * nothing is lost silently, and the workflow can branch on `error`.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { nodeError } from '../errors';
import { entityType } from '../helpers/entities';
import { getRecord } from '../helpers/records';
import { openSession } from '../transport';
import type { Delivery } from './parse';

/** The Filters parameter, as the node reads it. */
export interface RecordFilters {
	/** Stage (deals, quotes, invoices) or status (leads) IDs; any one matches. */
	stages: string[];
	/** Pipeline IDs of deals (and invoices); any one matches. */
	pipelines: string[];
	/** Responsible users' IDs; any one matches. */
	users: string[];
}

const list = (value: unknown): string[] =>
	(Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((entry) => String(entry ?? '').trim())
		.filter(Boolean);

export function readFilters(value: IDataObject): RecordFilters {
	return { stages: list(value.stageIds), pipelines: list(value.categoryIds), users: list(value.assignedByIds) };
}

/** A record's value for a filter, in camelCase or Bitrix24's upper case (`stageId`, `STAGE_ID`). */
const valueOf = (record: IDataObject, ...names: string[]): string | undefined => {
	for (const name of names) {
		const value = record[name];
		if (value !== undefined && value !== null && value !== '') return String(value);
	}
	return undefined;
};

/** Whether the record passes every filter that is set; each filter that applies to nothing on the record fails it. */
export function passesFilters(record: IDataObject, filters: RecordFilters): boolean {
	const matches = (wanted: string[], value: string | undefined) => wanted.length === 0 || (value !== undefined && wanted.includes(value));
	return (
		matches(filters.stages, valueOf(record, 'stageId', 'statusId', 'STAGE_ID', 'STATUS_ID')) &&
		matches(filters.pipelines, valueOf(record, 'categoryId', 'CATEGORY_ID')) &&
		matches(filters.users, valueOf(record, 'assignedById', 'ASSIGNED_BY_ID'))
	);
}

/** Whether this delivery names a record that can be read: a known entity type, an ID, and not a deletion. */
export function readable(delivery: Delivery): boolean {
	return delivery.entityType !== undefined && delivery.id !== undefined && delivery.action !== 'delete';
}

/** The record, or the failure as the item's fields: `{ error, description, code, httpCode }` (as Continue On Fail's items). */
export type ReadOutcome = { record: IDataObject } | { failure: IDataObject };

/**
 * Reads the delivery's record. A failure is returned, not thrown: the item then carries it (message, what to do,
 * VibeCode's code and HTTP status), built by the errors module as for every other failure, the key scrubbed.
 */
export async function readRecord(this: IWebhookFunctions, delivery: Delivery): Promise<ReadOutcome> {
	const type = entityType(delivery.entityType ?? '');
	try {
		if (!type || delivery.id === undefined) throw new Error('The event names no record to read');
		const session = await openSession.call(this, { maxRetries: 4 });
		return { record: await getRecord.call(this, session, type, delivery.id) };
	} catch (cause) {
		const error = nodeError(this.getNode(), cause);
		return {
			failure: {
				error: error.message,
				description: error.description ?? null,
				code: (error.context.vibeCode as string | undefined) ?? 'UNEXPECTED_ERROR',
				httpCode: ('httpCode' in error ? error.httpCode : null) ?? null,
			},
		};
	}
}
