/** The CRM record requests: one function per VibeCode call, each with the words its failures need. */
import type { IDataObject } from 'n8n-workflow';

import { ERROR_TABLE, scopeTexts, type ErrorText } from '../errors';
import { deleteOnce, sentOnce, vibeRequest, type VibeContext, type VibeSession } from '../transport';
import { entityType, nameOfPath, type RecordType } from './entities';
import { searchRecords, type SearchQuery } from './search';

/** ENTITY_NOT_FOUND naming the record looked for, so the user sees which one of many items pointed nowhere. */
export function notFound(type: RecordType | string, id: number): Partial<Record<string, ErrorText>> {
	// A record type, a CRM type's value, or an Other Entity's path ("tasks" → "task"); a smart process's items by its name ("order").
	const known = typeof type === 'string' ? entityType(type) : 'typeId' in type ? type : undefined;
	const message = known ? `The CRM has no ${known.name.toLowerCase()} ${id}` : `Bitrix24 has no ${nameOfPath(typeof type === 'string' ? type : type.path).toLowerCase()} ${id}`;
	return { ENTITY_NOT_FOUND: { message, hint: ERROR_TABLE.ENTITY_NOT_FOUND.hint } };
}

/** What a request that got no answer (a timeout, a broken connection) says it did, in place of the Fire wording. */
const noAnswer = (hint: string): Partial<Record<string, ErrorText>> => ({
	TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint },
	CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint },
});

/** A create may have happened: it is never sent again (see vibeRequest). */
const CREATE_TEXTS = noAnswer(
	'The record may already have been created, so the node did not send it again. Search for it in Bitrix24 before running this item again.',
);
/** An update that adds phone, email or website entries may have added them: not sent again either. */
const ADD_TEXTS = noAnswer(
	'The record may already have been changed (its new phone, email or website added), so the node did not send it again. Check the record in Bitrix24 before running this item again.',
);
/** A read, update or delete was sent again already (safe to repeat): say so, not "may have run". */
const REPEAT_TEXTS = noAnswer(
	'The node already sent it again (reading, changing and deleting a record are safe to repeat). Check that VibeCode is reachable, or raise the Timeout option, then run the item again.',
);
const repeatable = (type: RecordType, id: number): Partial<Record<string, ErrorText>> => ({ ...notFound(type, id), ...REPEAT_TEXTS });

/**
 * The body of a create or update: the record's fields at the top level, as VibeCode's current pages show
 * (docs/vibecode-contract.md, "CRM records": `POST /v1/deals {"title": …, "stageId": …}`). An older reading
 * wrapped them in `{ fields }`; a server that reads the documented body drops that wrapper like any unknown field.
 */
export const recordBody = (fields: IDataObject): IDataObject => ({ ...fields });

const record = (data: unknown): IDataObject => (data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {});

export async function getRecord(this: VibeContext, session: VibeSession, type: RecordType, id: number, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/${type.path}/${id}`, itemIndex, errorTexts: { ...scopeTexts(type), ...repeatable(type, id) } });
	return record(data);
}

/** POST /v1/{entity}: never retried after an unknown outcome, whatever the options say. */
export async function createRecord(this: VibeContext, session: VibeSession, type: RecordType, fields: IDataObject, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, sentOnce(session), {
		method: 'POST',
		path: `/v1/${type.path}`,
		body: recordBody(fields),
		idempotent: false,
		itemIndex,
		errorTexts: { ...scopeTexts(type), ...CREATE_TEXTS },
	});
	return record(data);
}

/**
 * PATCH /v1/{entity}/{id}: the same values twice leave the same record, so it may be retried, unless it adds phone,
 * email or website entries (`addsEntries`): Bitrix24 would add them twice.
 */
export async function updateRecord(
	this: VibeContext,
	session: VibeSession,
	type: RecordType,
	id: number,
	fields: IDataObject,
	itemIndex?: number,
	{ addsEntries = false }: { addsEntries?: boolean } = {},
): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PATCH',
		path: `/v1/${type.path}/${id}`,
		body: recordBody(fields),
		idempotent: !addsEntries,
		itemIndex,
		errorTexts: { ...scopeTexts(type), ...(addsEntries ? { ...notFound(type, id), ...ADD_TEXTS } : repeatable(type, id)) },
	});
	return record(data);
}

/**
 * DELETE /v1/{entity}/{id} (204, no body). Sent again after an unknown outcome; when the first attempt did delete
 * the record, the next one finds nothing (404), which is the deletion asked for, not an error.
 */
export async function deleteRecord(this: VibeContext, session: VibeSession, type: RecordType, id: number, itemIndex?: number): Promise<void> {
	await deleteOnce.call(this, session, { path: `/v1/${type.path}/${id}`, itemIndex, errorTexts: { ...scopeTexts(type), ...repeatable(type, id) } });
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
	type: RecordType,
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
