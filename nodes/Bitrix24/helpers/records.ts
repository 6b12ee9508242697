/** The CRM record requests: one function per VibeCode call, each with the words its failures need. */
import type { IDataObject } from 'n8n-workflow';

import { ERROR_TABLE, type ErrorText } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { EntityType } from './entities';
import { searchRecords, type SearchQuery } from './search';

/** ENTITY_NOT_FOUND naming the record looked for, so the user sees which one of many items pointed nowhere. */
export function notFound(type: string, id: number): Partial<Record<string, ErrorText>> {
	return { ENTITY_NOT_FOUND: { message: `The CRM has no ${type} ${id}`, hint: ERROR_TABLE.ENTITY_NOT_FOUND.hint } };
}

/** A create whose answer was lost may have happened: say so, and never send it again (see vibeRequest). */
const MAY_HAVE_CREATED = 'The record may already have been created, so the node did not send it again. Search for it in Bitrix24 before running this item again.';
const CREATE_TEXTS: Partial<Record<string, ErrorText>> = {
	TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint: MAY_HAVE_CREATED },
	CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint: MAY_HAVE_CREATED },
};

const record = (data: unknown): IDataObject => (data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {});

export async function getRecord(this: VibeContext, session: VibeSession, type: EntityType, id: number, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/${type.path}/${id}`, itemIndex, errorTexts: notFound(type.value, id) });
	return record(data);
}

/** POST /v1/{entity}: never retried after an unknown outcome, whatever the options say. */
export async function createRecord(this: VibeContext, session: VibeSession, type: EntityType, fields: IDataObject, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, { ...session, settings: { ...session.settings, retryUnknownOutcome: false } }, {
		method: 'POST',
		path: `/v1/${type.path}`,
		body: { fields },
		idempotent: false,
		itemIndex,
		errorTexts: CREATE_TEXTS,
	});
	return record(data);
}

/** PATCH /v1/{entity}/{id}: the same values twice leave the same record, so it may be retried. */
export async function updateRecord(this: VibeContext, session: VibeSession, type: EntityType, id: number, fields: IDataObject, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PATCH',
		path: `/v1/${type.path}/${id}`,
		body: { fields },
		idempotent: true,
		itemIndex,
		errorTexts: notFound(type.value, id),
	});
	return record(data);
}

/** DELETE /v1/{entity}/{id} (204, no body). */
export async function deleteRecord(this: VibeContext, session: VibeSession, type: EntityType, id: number, itemIndex?: number): Promise<void> {
	await vibeRequest.call(this, session, { method: 'DELETE', path: `/v1/${type.path}/${id}`, idempotent: true, itemIndex, errorTexts: notFound(type.value, id) });
}

/** The most records one search page asks for: VibeCode advises at most 500 once the offset is past 0. */
export const SEARCH_PAGE = 500;

/**
 * Every record a search matches, up to `limit`, page by page (§ "CRM records" of docs/vibecode-contract.md):
 * date windowing off, the sort made stable by the ID, stopping at the total, or at a short page when VibeCode
 * gives no total.
 */
export async function searchAll(
	this: VibeContext,
	session: VibeSession,
	type: EntityType,
	query: Omit<SearchQuery, 'limit' | 'offset'>,
	limit: number,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const sort = { ...query.sort };
	if (!('id' in sort)) sort.id = 'asc';
	const found: IDataObject[] = [];
	for (let offset = 0; found.length < limit; ) {
		const size = Math.min(SEARCH_PAGE, limit - found.length);
		const { records, total } = await searchRecords.call(this, session, type, { ...query, sort, limit: size, offset }, itemIndex);
		found.push(...records.slice(0, limit - found.length));
		offset += records.length;
		if (records.length < size || records.length === 0 || (total !== undefined && offset >= total)) break;
	}
	return found;
}
