/**
 * The CRM timeline's requests (docs/vibecode-contract.md, "Timeline"): user comments at /v1/timelines
 * (crm.timeline.comment.*) and log entries at /v1/timeline-logs (crm.timeline.logmessage.*), with the words their
 * failures need. A timeline belongs to a record, named as the user picked it ("deal 741", a smart process by its title).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, ERROR_TABLE, nodeError, quote, type ErrorText } from '../errors';
import { deleteOnce, mayHaveRun, sentOnce, vibeRequest, type VibeSession } from '../transport';
import { smartProcessId, type EntityType } from './entities';
import { getRecord } from './records';

/** The record whose timeline is written or read: its CRM type (a smart process's named by its title) and ID. */
export interface TimelineRecord {
	type: EntityType;
	id: number;
}

/** "deal 741", "orders 3": how messages name the record. */
export const recordName = ({ type, id }: TimelineRecord): string => `${type.name.toLowerCase()} ${id}`;

/**
 * A comment's `entityType`, a string: the four the Timelines pages list (`deal`, `lead`, `contact`, `company`),
 * `DYNAMIC_{entityTypeId}` for a smart process's items as they write it, and for quotes and invoices Bitrix24's own
 * names of those types (`quote`, `smart_invoice`), which the pages do not list (inferred).
 */
export function commentEntityType(type: EntityType): string {
	const dynamic = smartProcessId(type.value);
	if (dynamic !== undefined) return `DYNAMIC_${dynamic}`;
	return type.value === 'invoice' ? 'smart_invoice' : type.value;
}

/** What a request that got no answer says it did, when it may have written (it is not sent again). */
const noAnswer = (hint: string): Partial<Record<string, ErrorText>> => ({
	TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint },
	CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint },
});
const repeatHint =
	'The node already sent it again (reading, changing and deleting are safe to repeat). Check that VibeCode is reachable, or raise the Timeout option, then run the item again.';

const objectOf = (data: unknown): IDataObject => (data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {});
const positive = (value: unknown): number | undefined => {
	const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
};
/** Text as Bitrix24 may give it back: line ends as `\n`, no spaces around. */
const sameText = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.replace(/\r\n?/g, '\n').trim() === b.replace(/\r\n?/g, '\n').trim();

/** A comment with its IDs as numbers and each field once (VibeCode answers camelCase, `entityType` in lower case). */
export function commentOutput(data: IDataObject): IDataObject {
	const out: IDataObject = { ...data };
	for (const name of ['id', 'entityId', 'authorId']) {
		const id = positive(data[name]);
		if (id !== undefined) out[name] = id;
	}
	if (typeof data.entityType === 'string') out.entityType = data.entityType.toLowerCase();
	return out;
}

/** A log entry with its IDs as numbers, and the record it was asked on. */
export function logOutput(data: IDataObject, record?: TimelineRecord): IDataObject {
	const out: IDataObject = { ...data };
	for (const name of ['id', 'authorId']) {
		const id = positive(data[name]);
		if (id !== undefined) out[name] = id;
	}
	return record ? { ...out, entityTypeId: record.type.typeId, entityId: record.id } : out;
}

/**
 * A failed write or list on a record's timeline, read as what it was. VibeCode's pages do not say what a comment or
 * log entry on a record that does not exist answers (Bitrix24's permission check says "Access denied."; a missing
 * record may also be ENTITY_NOT_FOUND), so after a refusal of that kind the record is read: when the CRM has no such
 * record, the item fails with "The CRM has no deal 741", VibeCode's own words kept; otherwise with the refusal as it was.
 */
async function orMissingRecord(
	context: IExecuteFunctions,
	session: VibeSession,
	record: TimelineRecord,
	error: unknown,
	itemIndex: number,
	hint = 'Check the Record and the Entity Type: the record may have been deleted or be of another type. Nothing was written to a timeline.',
): Promise<never> {
	const code = error instanceof NodeApiError ? String(error.context.vibeCode ?? '') : '';
	if (!['BITRIX_ERROR', 'ENTITY_NOT_FOUND', 'NOT_FOUND', 'ACCESS_DENIED'].includes(code) || mayHaveRun(error)) throw error;
	const missing = await getRecord.call(context, session, record.type, record.id, itemIndex).then(
		() => false,
		(failure: unknown) => failure instanceof NodeApiError && ['ENTITY_NOT_FOUND', 'NOT_FOUND'].includes(String(failure.context.vibeCode)),
	);
	if (!missing) throw error;
	const said = (error as NodeApiError).errorResponse?.apiMessage;
	throw nodeError(context.getNode(), new ApiFailure('ENTITY_NOT_FOUND', { status: 404, apiMessage: typeof said === 'string' ? said : undefined }), {
		itemIndex,
		secrets: session.secrets,
		texts: {
			ENTITY_NOT_FOUND: {
				message: `The CRM has no ${recordName(record)}`,
				hint,
			},
		},
	});
}

/** A write VibeCode answered that did not land as sent: WRITE_NOT_APPLIED in the words given. */
export function notApplied(context: IExecuteFunctions, itemIndex: number, message: string, hint: string) {
	return nodeError(context.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status: 200 }), { itemIndex, texts: { WRITE_NOT_APPLIED: { message, hint } } });
}

// Comments

const COMMENT_NOT_FOUND = (id: number): Partial<Record<string, ErrorText>> => ({
	ENTITY_NOT_FOUND: { message: `Bitrix24 has no timeline comment ${id}`, hint: 'Check the Comment ID: the comment may have been deleted. Get Many Comments lists a record\'s comments with their IDs.' },
	// GET /v1/timelines/{id} answers a missing comment with 422 BITRIX_ERROR "Not found." (the Timelines: Get page).
	BITRIX_ERROR: { message: `Bitrix24 has no timeline comment ${id}, or refused to read it`, hint: "Bitrix24's reason is in the details. Check the Comment ID: the comment may have been deleted." },
});

export async function getComment(this: IExecuteFunctions, session: VibeSession, id: number, itemIndex: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/timelines/${id}`, itemIndex, errorTexts: { ...COMMENT_NOT_FOUND(id), ...noAnswer(repeatHint) } });
	return objectOf(data);
}

/** The comment as stored: the answer when it carries the text, else read again by its ID. */
async function storedComment(context: IExecuteFunctions, session: VibeSession, answer: IDataObject, id: number, itemIndex: number): Promise<IDataObject> {
	return typeof answer.comment === 'string' ? answer : await getComment.call(context, session, id, itemIndex);
}

/**
 * POST /v1/timelines `{ entityType, entityId, comment }`: never sent twice (a second comment would appear). Proven
 * against the answer (its text, and its record when the answer names one), or the comment read again by its ID.
 */
export async function addComment(this: IExecuteFunctions, session: VibeSession, record: TimelineRecord, comment: string, itemIndex: number): Promise<IDataObject> {
	const answer = await vibeRequest
		.call(this, sentOnce(session), {
			method: 'POST',
			path: '/v1/timelines',
			body: { entityType: commentEntityType(record.type), entityId: record.id, comment },
			idempotent: false,
			itemIndex,
			errorTexts: noAnswer(`The comment may already have been added to ${recordName(record)}, so the node did not send it again. Check the record's timeline in Bitrix24 before running this item again.`),
		})
		.catch(async (error: unknown) => await orMissingRecord(this, session, record, error, itemIndex));
	const data = objectOf(answer.data);
	const id = positive(data.id);
	if (id === undefined) {
		throw notApplied(this, itemIndex, `VibeCode accepted the comment on ${recordName(record)} but gave no comment ID`, `The comment was probably added: check the record's timeline in Bitrix24 before running this item again, which would add it twice. VibeCode answered ${quote(answer.data)}.`);
	}
	const stored = commentOutput(await storedComment(this, session, data, id, itemIndex));
	const elsewhere = stored.entityId !== undefined && stored.entityId !== record.id;
	if (!sameText(stored.comment, comment) || elsewhere) {
		throw notApplied(
			this,
			itemIndex,
			elsewhere ? `Comment ${id} was added, but to record ${String(stored.entityId)}, not ${recordName(record)}` : `Comment ${id} was added to ${recordName(record)}, but it does not hold the text sent`,
			`Sent ${quote(comment)}; stored ${quote(stored.comment)}. Check comment ${id} in Bitrix24 before running this item again, which would add another comment.`,
		);
	}
	return stored;
}

/** PATCH /v1/timelines/{id} `{ comment }`: the same text twice leaves the same comment, so it may be sent again. */
export async function updateComment(this: IExecuteFunctions, session: VibeSession, id: number, comment: string, itemIndex: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PATCH',
		path: `/v1/timelines/${id}`,
		body: { comment },
		idempotent: true,
		itemIndex,
		errorTexts: { ...COMMENT_NOT_FOUND(id), ...noAnswer(repeatHint) },
	});
	const stored = commentOutput(await storedComment(this, session, objectOf(data), id, itemIndex));
	if (!sameText(stored.comment, comment)) {
		throw notApplied(this, itemIndex, `VibeCode answered, but comment ${id} does not hold the text sent`, `Sent ${quote(comment)}; stored ${quote(stored.comment)}. Check the comment in Bitrix24.`);
	}
	return stored;
}

/** A DELETE of a timeline entry (see deleteOnce in transport/index.ts), its words for a lost answer this module's. */
async function deleteEntry(context: IExecuteFunctions, session: VibeSession, path: string, texts: Partial<Record<string, ErrorText>>, itemIndex: number): Promise<void> {
	await deleteOnce.call(context, session, { path, itemIndex, errorTexts: { ...texts, ...noAnswer(repeatHint) } });
}

/** DELETE /v1/timelines/{id}: 204 with no body. A missing comment is 404 ENTITY_NOT_FOUND. */
export async function deleteComment(this: IExecuteFunctions, session: VibeSession, id: number, itemIndex: number): Promise<void> {
	await deleteEntry(this, session, `/v1/timelines/${id}`, COMMENT_NOT_FOUND(id), itemIndex);
}

/** The most comments one list request asks for: VibeCode advises at most 500 once the offset is past 0. */
const COMMENT_PAGE = 500;

/**
 * GET /v1/timelines?filter[entityType]=…&filter[entityId]=…: a record's comments, oldest first (the order the List
 * page gives), page by page up to `limit`, stopping when `meta.hasMore` says no more or a page comes short.
 */
export async function listComments(this: IExecuteFunctions, session: VibeSession, record: TimelineRecord, limit: number, itemIndex: number): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	for (let offset = 0; found.length < limit; ) {
		const size = Math.min(COMMENT_PAGE, limit - found.length);
		const answer = await vibeRequest
			.call(this, session, {
				method: 'GET',
				path: '/v1/timelines',
				qs: { 'filter[entityType]': commentEntityType(record.type), 'filter[entityId]': record.id, limit: size, offset },
				itemIndex,
				errorTexts: noAnswer(repeatHint),
			})
			.catch(async (error: unknown) => await orMissingRecord(this, session, record, error, itemIndex));
		const page = (Array.isArray(answer.data) ? answer.data : []).map((row) => commentOutput(objectOf(row)));
		found.push(...page.slice(0, limit - found.length));
		offset += page.length;
		const more = objectOf(answer.body.meta).hasMore;
		if (page.length === 0 || more === false || (more === undefined && page.length < size)) break;
	}
	return found;
}

// Log entries

const LOG_NOT_FOUND = (id: number): Partial<Record<string, ErrorText>> => ({
	ENTITY_NOT_FOUND: { message: `Bitrix24 has no timeline log entry ${id}`, hint: 'Check the Log Entry ID: the entry may have been deleted. Get Many Log Entries lists a record\'s entries with their IDs.' },
	// GET /v1/timeline-logs/{id}: "Bitrix24 answered, but the entry is empty" (the CRM Timeline page).
	NOT_FOUND: { message: `Bitrix24 has no timeline log entry ${id}`, hint: 'Check the Log Entry ID: the entry may have been deleted.' },
});

export async function getLogEntry(this: IExecuteFunctions, session: VibeSession, id: number, itemIndex: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/timeline-logs/${id}`, itemIndex, errorTexts: { ...LOG_NOT_FOUND(id), ...noAnswer(repeatHint) } });
	return objectOf(data);
}

export interface LogEvent {
	title: string;
	text: string;
	iconCode?: string;
}

/**
 * POST /v1/timeline-logs `{ entityTypeId, entityId, title, text, iconCode? }`: never sent twice. Proven against the
 * answer (its title and text, as the CRM Timeline page shows it answering), or the entry read again by its ID.
 */
export async function addLogEntry(this: IExecuteFunctions, session: VibeSession, record: TimelineRecord, event: LogEvent, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = { entityTypeId: record.type.typeId, entityId: record.id, title: event.title, text: event.text };
	if (event.iconCode) body.iconCode = event.iconCode;
	const answer = await vibeRequest
		.call(this, sentOnce(session), {
			method: 'POST',
			path: '/v1/timeline-logs',
			body,
			idempotent: false,
			itemIndex,
			errorTexts: noAnswer(`The entry may already have been logged on ${recordName(record)}, so the node did not send it again. Check the record's timeline in Bitrix24 before running this item again.`),
		})
		.catch(async (error: unknown) => await orMissingRecord(this, session, record, error, itemIndex));
	const data = objectOf(answer.data);
	const id = positive(data.id);
	if (id === undefined) {
		throw notApplied(this, itemIndex, `VibeCode accepted the log entry on ${recordName(record)} but gave no entry ID`, `The entry was probably logged: check the record's timeline in Bitrix24 before running this item again, which would log it twice. VibeCode answered ${quote(answer.data)}.`);
	}
	const stored = typeof data.title === 'string' && typeof data.text === 'string' ? data : await getLogEntry.call(this, session, id, itemIndex);
	const misses = (['title', 'text'] as const).filter((name) => !sameText(stored[name], event[name]));
	if (misses.length > 0) {
		throw notApplied(
			this,
			itemIndex,
			`Log entry ${id} was logged on ${recordName(record)}, but its ${misses.join(' and ')} ${misses.length > 1 ? 'do' : 'does'} not hold what was sent`,
			[...misses.map((name) => `${name === 'title' ? 'Title' : 'Text'}: sent ${quote(event[name])}, stored ${quote(stored[name])}.`), `Check entry ${id} in Bitrix24 before running this item again, which would log another entry.`].join('\n'),
		);
	}
	return logOutput(stored, record);
}

/** The hint of a step after the entry was logged that got no answer: the entry exists, and a new run would log a second one. */
const afterLog = (id: number, record: TimelineRecord, hint: string): string =>
	`Log entry ${id} was logged on ${recordName(record)}; only this step failed. ${hint} Running this item again would log a second entry.`;

/** An error of a step after the entry was logged, said so at the top of its details. */
function logged(error: unknown, id: number, record: TimelineRecord): unknown {
	if (error instanceof NodeApiError) {
		error.description = [`Log entry ${id} was logged on ${recordName(record)}; only this step failed, and running this item again would log a second entry.`, error.description].filter(Boolean).join('\n');
	}
	return error;
}

/**
 * POST /v1/timeline-logs/{id}/bind `{ entityTypeId, entityId }`: the entry shown on one more record too. Not sent
 * twice after an unknown outcome (Bitrix24 may refuse a binding it already has); proven by the entry's bindings.
 */
export async function bindLogEntry(this: IExecuteFunctions, session: VibeSession, id: number, owner: TimelineRecord, other: TimelineRecord, itemIndex: number): Promise<void> {
	await vibeRequest
		.call(this, sentOnce(session), {
			method: 'POST',
			path: `/v1/timeline-logs/${id}/bind`,
			body: { entityTypeId: other.type.typeId, entityId: other.id },
			idempotent: false,
			itemIndex,
			errorTexts: {
				TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint: afterLog(id, owner, `It may be shown on ${recordName(other)} already: check there.`) },
				CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint: afterLog(id, owner, `It may be shown on ${recordName(other)} already: check there.`) },
			},
		})
		.catch(async (error: unknown) => {
			const hint = `Check Also Show On: the record may have been deleted or be of another type. The entry is not shown on ${recordName(other)}.`;
			throw logged(await orMissingRecord(this, session, other, error, itemIndex, hint).catch((failure: unknown) => failure), id, owner);
		});
}

/** The records an entry is shown on (GET /v1/timeline-logs/{id}/bindings), as `{ entityTypeId, entityId }`. */
export async function logBindings(this: IExecuteFunctions, session: VibeSession, id: number, itemIndex: number): Promise<Array<{ entityTypeId?: number; entityType?: string; entityId?: number }>> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/timeline-logs/${id}/bindings`, itemIndex, errorTexts: { ...LOG_NOT_FOUND(id), ...noAnswer(repeatHint) } });
	return (Array.isArray(data) ? data : []).map((row) => {
		const entry = objectOf(row);
		const type = entry.entityType ?? entry.ENTITY_TYPE;
		return {
			entityTypeId: positive(entry.entityTypeId ?? entry.ENTITY_TYPE_ID),
			entityType: typeof type === 'string' ? type.toLowerCase() : undefined,
			entityId: positive(entry.entityId ?? entry.ENTITY_ID),
		};
	});
}

/** Whether a binding row names the record: by its type number, or by its type's name (`deal`, `dynamic_1038`). */
export const bindingIs = (row: { entityTypeId?: number; entityType?: string; entityId?: number }, record: TimelineRecord): boolean =>
	row.entityId === record.id &&
	(row.entityTypeId === record.type.typeId || row.entityType === record.type.value || row.entityType === commentEntityType(record.type).toLowerCase());

/**
 * POST /v1/timeline-logs/{id}/pin `{ entityTypeId, entityId }`: the entry pinned at the top of the record's timeline.
 * Pinning twice leaves it pinned, so it may be sent again. No page gives a read of the pin: the answer is the proof.
 */
export async function pinLogEntry(this: IExecuteFunctions, session: VibeSession, id: number, record: TimelineRecord, itemIndex: number): Promise<void> {
	await vibeRequest
		.call(this, session, { method: 'POST', path: `/v1/timeline-logs/${id}/pin`, body: { entityTypeId: record.type.typeId, entityId: record.id }, idempotent: true, itemIndex, errorTexts: noAnswer(repeatHint) })
		.catch((error: unknown) => {
			throw logged(error, id, record);
		});
}

/** The entries per page of GET /v1/timeline-logs: Bitrix24's crm.timeline.logmessage.list gives a fixed 10. */
const LOG_PAGE = 10;

/**
 * GET /v1/timeline-logs?entityTypeId=…&entityId=…: the record's log entries (only those logged through the API, as
 * Bitrix24 lists them), newest first, page by page by `offset` up to `limit`. The query is a third party's reading
 * (no page shows it): the node stops at `meta.hasMore` false, an empty page, or a page of entries already read.
 */
export async function listLogEntries(this: IExecuteFunctions, session: VibeSession, record: TimelineRecord, limit: number, itemIndex: number): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	const seen = new Set<unknown>();
	for (let offset = 0; found.length < limit; ) {
		const answer = await vibeRequest
			.call(this, session, { method: 'GET', path: '/v1/timeline-logs', qs: { entityTypeId: record.type.typeId, entityId: record.id, offset }, itemIndex, errorTexts: noAnswer(repeatHint) })
			.catch(async (error: unknown) => await orMissingRecord(this, session, record, error, itemIndex));
		const page = (Array.isArray(answer.data) ? answer.data : []).map((row) => logOutput(objectOf(row), record));
		const fresh = page.filter((entry) => !seen.has(entry.id));
		for (const entry of fresh) seen.add(entry.id);
		found.push(...fresh.slice(0, limit - found.length));
		offset += page.length;
		const more = objectOf(answer.body.meta).hasMore;
		if (fresh.length === 0 || more === false || (more === undefined && page.length < LOG_PAGE)) break;
	}
	return found;
}

/**
 * DELETE /v1/timeline-logs/{id}: only the OAuth application that logged the entry may delete it (403
 * CROSS_APP_DELETE_FORBIDDEN otherwise; a personal key always gets it, which the operation says before sending).
 */
export async function deleteLogEntry(this: IExecuteFunctions, session: VibeSession, id: number, itemIndex: number): Promise<void> {
	await deleteEntry(this, session, `/v1/timeline-logs/${id}`, LOG_NOT_FOUND(id), itemIndex);
}
