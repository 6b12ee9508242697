/**
 * The requests of the Task resource's own operations (status changes, comments; the record engine sends its create,
 * get, list, update and delete), one function per VibeCode call, with the words its failures need and whether it may
 * be sent twice. See docs/vibecode-contract.md, "Tasks".
 */
import type { IDataObject } from 'n8n-workflow';

import { ApiFailure, ERROR_TABLE, TASK_SCOPE, nodeError, type ErrorText } from '../errors';
import { sentOnce, vibeRequest, type VibeContext, type VibeSession } from '../transport';

/** The task statuses of VibeCode's tasks pages: 2 … 6 on the entity page, 7 (declined) on the update page. */
export const TASK_STATUSES: Readonly<Record<number, string>> = {
	2: 'Pending',
	3: 'In Progress',
	4: 'Awaiting Control',
	5: 'Completed',
	6: 'Deferred',
	7: 'Declined',
};

/** A status as messages show it: "5 (Completed)". */
export const statusLabel = (status: unknown): string =>
	status === undefined || status === null ? 'no status' : TASK_STATUSES[Number(status)] ? `${String(status)} (${TASK_STATUSES[Number(status)]})` : String(status);

/** A field of an answer by its camelCase name, else by Bitrix24's UPPER_CASE twin (the older docs' legacy answers). */
const read = (row: IDataObject, camel: string, upper: string): unknown => (row[camel] !== undefined ? row[camel] : row[upper]);

/** A number given as a number or as its digits (Bitrix24 answers many as strings); undefined for anything else. */
export function whole(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(number) ? number : undefined;
}

/** A task's status in an answer (`status`, or `STATUS`, as a number or its digits); undefined when it carries none. */
export const taskStatus = (task: IDataObject): number | undefined => whole(read(task, 'status', 'STATUS'));

/** The get page's `action` map: what the key's user may do with the task (`complete`, `start`, `defer`, `renew`…). */
export function taskActions(task: IDataObject): Record<string, boolean> | undefined {
	const map = read(task, 'action', 'ACTION');
	if (!map || typeof map !== 'object' || Array.isArray(map)) return undefined;
	const out: Record<string, boolean> = {};
	for (const [name, value] of Object.entries(map as IDataObject)) {
		out[name.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value === true || value === 'Y' || value === 'true';
	}
	return out;
}

/** What a task request's failures say: the `task` scope (the table's text names `crm`), and the task looked for. */
export function taskTexts(id?: number): Partial<Record<string, ErrorText>> {
	const texts: Partial<Record<string, ErrorText>> = { SCOPE_DENIED: TASK_SCOPE, SCOPE_NOT_ALLOWED: TASK_SCOPE };
	if (id !== undefined) {
		const missing = { message: `Bitrix24 has no task ${id}`, hint: "Check the Task ID: it is the number at the end of the task's address in Bitrix24 (…/tasks/task/view/701/). The task may have been deleted." };
		texts.ENTITY_NOT_FOUND = missing;
		texts.NOT_FOUND = missing;
	}
	return texts;
}

/** What a request that got no answer (a timeout, a broken connection) says it did. */
const noAnswer = (hint: string): Partial<Record<string, ErrorText>> => ({
	TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint },
	CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint },
});
/** A read or a status change was sent again already (safe to repeat): say so, not "may have run". */
const REPEATED = noAnswer(
	'The node already sent it again (reading a task and setting its status are safe to repeat). Check that VibeCode is reachable, or raise the Timeout option, then run the item again.',
);
/** A comment may have been added: it is never sent again. */
const COMMENT_UNKNOWN = noAnswer(
	"The comment may already have been added, so the node did not send it again. Look at the task's comments in Bitrix24 before running this item again, which would add it twice.",
);

const object = (data: unknown): IDataObject => (data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {});

/** GET /v1/tasks/{id}: the task with the get page's blocks (`action`, `responsible`, …). */
export async function getTask(this: VibeContext, session: VibeSession, id: number, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/tasks/${id}`, itemIndex, errorTexts: { ...taskTexts(id), ...REPEATED } });
	return object(data);
}

/**
 * PATCH /v1/tasks/{id} with `{ status }`, as the update page changes a status (no /complete or /start endpoint is
 * documented). The same status twice leaves the same task, so it is sent again after an unknown outcome.
 */
export async function setTaskStatus(this: VibeContext, session: VibeSession, id: number, status: number, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PATCH',
		path: `/v1/tasks/${id}`,
		body: { status },
		idempotent: true,
		itemIndex,
		errorTexts: { ...taskTexts(id), ...REPEATED },
	});
	return object(data);
}

/** A comment as the node outputs it, from the older pages' comment or the task chat's message: the comments page's fields. */
export interface TaskComment extends IDataObject {
	id: number | string;
	taskId: number;
	authorId: number | string | null;
	message: string;
	createdAt: string | null;
}

/**
 * A comment (`{ id, taskId, authorId, message, createdAt }`, or Bitrix24's POST_MESSAGE, AUTHOR_ID, POST_DATE) or a
 * chat message (`{ id, authorId, text, createdAt, isSystem }`) in the comments page's fields; `isSystem` kept when the
 * chat gives it. IDs as numbers when they are digits.
 */
export function commentOutput(taskId: number, row: IDataObject): TaskComment {
	const id = read(row, 'id', 'ID');
	const author = read(row, 'authorId', 'AUTHOR_ID');
	const text = row.message ?? row.text ?? row.POST_MESSAGE ?? row.MESSAGE;
	const at = row.createdAt ?? row.POST_DATE ?? row.CREATED_AT;
	const out: TaskComment = {
		id: whole(id) ?? String(id ?? ''),
		taskId,
		authorId: author === undefined || author === null ? null : (whole(author) ?? String(author)),
		message: typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text),
		createdAt: typeof at === 'string' ? at : null,
	};
	if (row.isSystem !== undefined) out.isSystem = row.isSystem === true;
	return out;
}

/**
 * POST /v1/tasks/{taskId}/comments `{ message }` (the older pages' task comments). A create: never sent again after an
 * unknown outcome, whatever the options say.
 */
export async function addTaskComment(this: VibeContext, session: VibeSession, taskId: number, message: string, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, sentOnce(session), {
		method: 'POST',
		path: `/v1/tasks/${taskId}/comments`,
		body: { message },
		idempotent: false,
		itemIndex,
		errorTexts: { ...taskTexts(taskId), ...COMMENT_UNKNOWN },
	});
	// Bitrix24's own task.commentitem.add answers the bare ID.
	return typeof data === 'number' || typeof data === 'string' ? { id: data } : object(data);
}

/** GET /v1/tasks/{taskId}/comments/{id}: one comment, to read back what a create answered without its text. */
export async function getTaskComment(this: VibeContext, session: VibeSession, taskId: number, id: number, itemIndex?: number): Promise<IDataObject> {
	const texts = taskTexts(taskId);
	const gone = { message: `Task ${taskId} has no comment ${id}`, hint: 'The comment VibeCode answered with is not there: look at the task in Bitrix24.' };
	const { data } = await vibeRequest.call(this, session, {
		method: 'GET',
		path: `/v1/tasks/${taskId}/comments/${id}`,
		itemIndex,
		errorTexts: { ...texts, ENTITY_NOT_FOUND: gone, NOT_FOUND: gone, ...REPEATED },
	});
	return object(data);
}

/** The most comments one /comments page asks for (the older pages give no limit; the record lists' 500 is assumed). */
export const COMMENT_PAGE = 500;

/**
 * GET /v1/tasks/{taskId}/comments, page by page (`limit`, `offset`), up to `limit`: as the older pages list them,
 * stopping at the total or at a short page.
 */
export async function listTaskComments(this: VibeContext, session: VibeSession, taskId: number, limit: number, itemIndex?: number): Promise<TaskComment[]> {
	const found: TaskComment[] = [];
	for (let offset = 0; found.length < limit; ) {
		const size = Math.min(COMMENT_PAGE, limit - found.length);
		const { data, body } = await vibeRequest.call(this, session, {
			method: 'GET',
			path: `/v1/tasks/${taskId}/comments`,
			qs: { limit: size, offset },
			itemIndex,
			errorTexts: { ...taskTexts(taskId), ...REPEATED },
		});
		const rows = Array.isArray(data) ? (data as IDataObject[]) : [];
		found.push(...rows.slice(0, limit - found.length).map((row) => commentOutput(taskId, row)));
		offset += rows.length;
		const total = Number(body.total ?? (body.meta as IDataObject | undefined)?.total);
		if (rows.length < size || (Number.isFinite(total) && offset >= total)) break;
	}
	return found;
}

/** The most messages one task chat page gives (the chat page: `limit` 1 to 200). */
export const CHAT_PAGE = 200;

/** What a refused read of the task chat says: the chat page's conditions, and the older task card that has none. */
export function chatTexts(taskId: number): Partial<Record<string, ErrorText>> {
	return {
		...taskTexts(taskId),
		BITRIX_ERROR: {
			message: `Bitrix24 refused to read the chat of task ${taskId}`,
			hint: "The key's user must take part in the task (its creator, responsible person, a participant or an observer) to read its chat, and the key needs the 'im' scope beside 'task'. A task of the older task card has no chat: set Read From to Comments. Bitrix24's reason is below.",
		},
		PORTAL_SCOPE_MISSING: {
			message: "The key lacks the 'im' scope the task chat needs",
			hint: "Re-issue the key with the 'im' scope ticked beside 'task' (scopes are fixed when a key is created) and paste it into the credential, or set Read From to Comments.",
		},
	};
}

/**
 * GET /v1/tasks/{taskId}/chat/messages (the current pages' task chat), newest first, page by page (`lastId`, the
 * oldest message of the page before) while `hasNextPage`, up to `limit` messages; without `system`, the system
 * messages (author 0: status changes and the like) are left out and do not count.
 */
export async function listTaskChat(
	this: VibeContext,
	session: VibeSession,
	taskId: number,
	{ limit, system }: { limit: number; system: boolean },
	itemIndex?: number,
): Promise<TaskComment[]> {
	const found: TaskComment[] = [];
	for (let lastId: number | string | undefined; found.length < limit; ) {
		const size = system ? Math.min(CHAT_PAGE, limit - found.length) : CHAT_PAGE;
		const { data } = await vibeRequest.call(this, session, {
			method: 'GET',
			path: `/v1/tasks/${taskId}/chat/messages`,
			qs: { limit: size, ...(lastId === undefined ? {} : { lastId }) },
			itemIndex,
			errorTexts: { ...chatTexts(taskId), ...REPEATED },
		});
		const page = object(data);
		const rows = Array.isArray(page.messages) ? (page.messages as IDataObject[]) : Array.isArray(data) ? (data as IDataObject[]) : [];
		const messages = rows.map((row) => commentOutput(taskId, row));
		const kept = system ? messages : messages.filter((message) => message.isSystem !== true && message.authorId !== 0);
		found.push(...kept.slice(0, limit - found.length));
		const oldest = rows.length > 0 ? read(rows[rows.length - 1], 'id', 'ID') : undefined;
		// No next page, or one the node could not ask for: stop rather than read the same page again.
		if (page.hasNextPage !== true || oldest === undefined || oldest === lastId) break;
		lastId = oldest as number | string;
	}
	return found;
}

/** WRITE_NOT_APPLIED in the words of one task request, VibeCode's answer kept. */
export function notApplied(context: VibeContext, { message, hint, status, itemIndex }: { message: string; hint: string; status: number; itemIndex?: number }) {
	return nodeError(context.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status }), { itemIndex, texts: { WRITE_NOT_APPLIED: { message, hint } } });
}
