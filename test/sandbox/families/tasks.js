/**
 * Tasks (`/v1/tasks…`, the `task` or the `tasks` scope), as VibeCode's current tasks pages document them
 * (docs/vibecode-contract.md, "Tasks"; docs/sandbox.md, "Tasks"):
 * - `GET /v1/tasks` and `POST /v1/tasks/search` (filters and sorts on the task's fields only, newest first unless
 *   sorted), `GET /v1/tasks/fields` (each field by its camelCase name and by Bitrix24's UPPER_CASE twin, the status and
 *   priority choices under `enum`), `POST /v1/tasks` (top-level body, `title` and `responsibleId` required, `createdBy`
 *   only here), `GET /v1/tasks/:id` (the task with `creator`, `responsible`, `accomplicesData`, `auditorsData`, `action`,
 *   `checklist`, `checkListTree`), `PATCH /v1/tasks/:id` (only the fields sent change; `createdBy` is
 *   `400 READONLY_FIELD`), `DELETE /v1/tasks/:id` (204);
 * - a status change is what `action` allows the key's user (below), as Bitrix24 decides it;
 * - comments: `GET|POST /v1/tasks/:taskId/comments`, `GET|PATCH|DELETE /v1/tasks/:taskId/comments/:id` (the older
 *   pages), and the task chat the current pages document, `GET /v1/tasks/:taskId/chat/messages`.
 * Options (the first value the default): `taskComments` `chat` (the new task card: the discussion is the task's chat,
 * a comment added through `/comments` is a message of it, status changes add system messages) or `comments` (an older
 * card: no chat, `/chat/messages` refused); `taskCommentAnswer` `whole` (a new comment is answered whole) or `id`
 * (only its ID, as Bitrix24's task.commentitem.add); `taskLongTitle` `refuse` (a title over 250 characters is the
 * portal's error `TASKS_BAD_TITLE`, as `422 BITRIX_ERROR` like every portal error on the errors page), `code` (the same
 * error under its own code) or `truncate` (stored cut to 250 characters, as Bitrix24's own code does);
 * `taskStatusRefusal` `refuse` (a status change `action` does not allow is `403 BITRIX_ACCESS_DENIED`) or `ignore`
 * (answered 200, the status unchanged); `taskListCrm` `select` (a list answers `ufCrmTask` only when `select` names it,
 * as Bitrix24's tasks.task.list) or `always`.
 */
'use strict';

/** The status values of the update page (7 declined) and the entity page (2 … 6). */
const STATUSES = { 2: 'Pending', 3: 'In progress', 4: 'Awaiting control', 5: 'Completed', 6: 'Deferred', 7: 'Declined' };
const PRIORITIES = { 0: 'Low', 1: 'Normal', 2: 'High' };
/** Bitrix24's CRM short codes of UF_CRM_TASK: lead, deal, contact, company, quote, smart invoice, smart process `T<hex>`. */
const CRM_CODE = /^(L|D|C|CO|Q|SI|T[0-9a-f]+)_[1-9]\d*$/i;
/** Bitrix24 keeps at most this many characters of a title (the create page: a longer one is TASKS_BAD_TITLE). */
const TITLE_LIMIT = 250;

/**
 * The task's fields as `GET /v1/tasks/fields` lists them: [name, Bitrix24 type, flags, title, choices]. Flags: `R`
 * required on create, `O` read-only, `C` set on create only, `M` multiple. The create, update and fields pages list
 * them all but `ufCrmTask` (Bitrix24's tasks.task.getFields lists custom fields, UF_CRM_TASK among them).
 */
const FIELD_ROWS = [
	['id', 'integer', 'O', 'ID'],
	['title', 'string', 'R', 'Name'],
	['description', 'string', '', 'Description'],
	['responsibleId', 'integer', 'R', 'Responsible person'],
	['createdBy', 'integer', 'C', 'Created by'],
	['priority', 'integer', '', 'Priority', PRIORITIES],
	['status', 'integer', '', 'Status', STATUSES],
	['deadline', 'datetime', '', 'Deadline'],
	['groupId', 'integer', '', 'Project'],
	['parentId', 'integer', '', 'Parent task'],
	['startDatePlan', 'datetime', '', 'Planned start'],
	['endDatePlan', 'datetime', '', 'Planned end'],
	['timeEstimate', 'integer', '', 'Time estimate (seconds)'],
	['accomplices', 'integer', 'M', 'Participants'],
	['auditors', 'integer', 'M', 'Observers'],
	['tags', 'string', 'M', 'Tags'],
	['ufCrmTask', 'crm', 'M', 'CRM items'],
	['dateStart', 'datetime', 'O', 'Started on'],
	['createdDate', 'datetime', 'O', 'Created on'],
	['changedDate', 'datetime', 'O', 'Modified on'],
	['closedDate', 'datetime', 'O', 'Closed on'],
];
const TABLE = Object.fromEntries(
	FIELD_ROWS.map(([name, type, flags, title, choices]) => [
		name,
		{ type, isRequired: flags.includes('R'), isReadOnly: flags.includes('O'), isMultiple: flags.includes('M'), title, createOnly: flags.includes('C'), choices },
	]),
);
/** "responsibleId" → "RESPONSIBLE_ID", "ufCrmTask" → "UF_CRM_TASK". */
const upperName = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const SEED = [{ id: 701, title: 'Call Acme about the renewal', description: '', responsibleId: 1, createdBy: 1, priority: 2, status: 2 }];
/** Created and changed: 2026-11-01 09:00 UTC, as the other seeded records. */
const SEEDED_AT = Date.parse('2026-11-01T09:00:00Z');
const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const OPTIONS = {
	taskComments: { values: ['chat', 'comments'] },
	taskCommentAnswer: { values: ['whole', 'id'] },
	taskLongTitle: { values: ['refuse', 'code', 'truncate'] },
	taskStatusRefusal: { values: ['refuse', 'ignore'] },
	taskListCrm: { values: ['select', 'always'] },
};

/**
 * What the key's user may do with a task (`action` of the get page), by the user's role in it and the task's status,
 * as Bitrix24 answers it for a user who is no administrator: the creator, the responsible person and the participants
 * work on it (start, pause, complete, defer), the creator or the responsible person brings a closed one back (renew),
 * the creator approves a task awaiting control, edits and deletes it; an observer only reads.
 */
function actionsOf(task, user) {
	const creator = task.createdBy === user;
	const responsible = task.responsibleId === user;
	const doer = creator || responsible || (task.accomplices ?? []).includes(user);
	const member = doer || (task.auditors ?? []).includes(user);
	const status = task.status;
	const open = status === 2 || status === 3;
	return {
		accept: false,
		decline: responsible && !creator && open,
		complete: doer && open,
		approve: creator && status === 4,
		disapprove: creator && status === 4,
		start: doer && status === 2,
		pause: doer && status === 3,
		delegate: responsible && open,
		remove: creator,
		edit: creator,
		defer: doer && open,
		renew: (creator || responsible) && [4, 5, 6, 7].includes(status),
		create: true,
		changeDeadline: creator,
		checklistAddItems: doer,
		addFavorite: member,
		deleteFavorite: false,
		rate: creator,
	};
}

/** The actions that move a task from one status to another (the update page: 5 closes, 3 returns to work, 7 declines). */
function movesTo(from, to) {
	if (to === 5) return from === 4 ? ['approve'] : ['complete'];
	if (to === 4) return ['complete'];
	if (to === 3) return from === 2 ? ['start'] : ['renew'];
	if (to === 2) return from === 3 ? ['pause'] : from === 4 ? ['disapprove'] : ['renew'];
	if (to === 6) return ['defer'];
	if (to === 7) return ['decline'];
	return [];
}

module.exports = (context) => {
	const { sandbox, HttpError, KEY_USER } = context;
	/** id → the task, camelCase, as stored. */
	let tasks;
	/** task id → its comments and chat messages, oldest first: { id, taskId, authorId, message, createdAt, isSystem }. */
	let messages;
	let nextMessageId;

	const config = (name) => sandbox.config[name];
	const now = () => stamp(Date.now());
	const find = (id) => {
		const task = tasks.get(Number(id));
		if (!task) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		return task;
	};
	const blockWrite = (caller, method) => {
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: ${method}`);
	};
	const chatOf = (taskId) => {
		if (!messages.has(taskId)) messages.set(taskId, []);
		return messages.get(taskId);
	};
	const addMessage = (taskId, { authorId = KEY_USER, message, isSystem = false, createdAt = now() }) => {
		const entry = { id: nextMessageId++, taskId, authorId, message, createdAt, isSystem };
		chatOf(taskId).push(entry);
		return entry;
	};
	/** A status change leaves a system message in the task's chat (the new task card). */
	const noteStatus = (task) => addMessage(task.id, { authorId: 0, isSystem: true, message: `Status changed to ${STATUSES[task.status] ?? task.status}` });

	/** A person as the get page shows the creator and the responsible person: { id, name, link, icon, workPosition }. */
	const person = (id) => {
		const user = context.user(id);
		const name = user ? [user.name, user.lastName].filter(Boolean).join(' ') : `User ${id}`;
		return { id, name, link: `/company/personal/user/${id}/`, icon: '/bitrix/images/tasks/default_avatar.png', workPosition: user?.workPosition ?? '' };
	};

	/** The get page's answer: the task's fields and the blocks only a single task carries. */
	function taskAnswer(task) {
		return {
			...structuredClone(task),
			creator: person(task.createdBy),
			responsible: person(task.responsibleId),
			accomplicesData: (task.accomplices ?? []).map(person),
			auditorsData: (task.auditors ?? []).map(person),
			action: actionsOf(task, KEY_USER),
			checklist: [],
			checkListTree: { nodeId: 0, fields: { id: null, title: '', isComplete: false }, action: {}, descendants: [] },
		};
	}

	/**
	 * A create (`id` undefined) or update: unknown and read-only fields dropped, values in their field's type,
	 * required fields checked (`400 VALIDATION_ERROR` "title: Required"), `createdBy` in an update refused
	 * (`400 READONLY_FIELD`), a title over 250 characters as `taskLongTitle` says, CRM codes that are not one dropped,
	 * a status change `action` does not allow as `taskStatusRefusal` says; `dropOnWrite` applies as to CRM records.
	 */
	function write(body, id) {
		const issues = [];
		const out = {};
		for (const [name, value] of Object.entries(body)) {
			const field = TABLE[name];
			if (!field || field.isReadOnly || value === undefined) continue;
			if (id !== undefined && field.createOnly) throw new HttpError(400, 'READONLY_FIELD', `${name} can be set only when the record is created`);
			out[name] = context.coerce(name, field, value, issues);
			if (field.choices && out[name] !== null && out[name] !== undefined && !(String(out[name]) in field.choices)) {
				issues.push(`fields.${name}: Expected one of ${Object.keys(field.choices).join(', ')}, received ${JSON.stringify(value)}`);
			}
		}
		// A value that did not fit its type is an issue already, not a missing one.
		const missing = Object.entries(TABLE)
			.filter(([name, field]) => field.isRequired && (id === undefined || name in out) && context.isEmpty(out[name]) && !(name in out && out[name] === undefined))
			.map(([name]) => `${name}: Required`);
		if (missing.length + issues.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', [...missing, ...issues].join('; '));
		if (typeof out.title === 'string' && Array.from(out.title.trim()).length > TITLE_LIMIT) {
			const long = config('taskLongTitle');
			if (long === 'truncate') out.title = Array.from(out.title.trim()).slice(0, TITLE_LIMIT).join('');
			else {
				const said = `The task title is longer than ${TITLE_LIMIT} characters`;
				throw long === 'code' ? new HttpError(422, 'TASKS_BAD_TITLE', said) : new HttpError(422, 'BITRIX_ERROR', `TASKS_BAD_TITLE: ${said}`);
			}
		}
		// Bitrix24 keeps only the entries it can read as a CRM record; whether the record exists it does not check (inferred).
		if (Array.isArray(out.ufCrmTask)) out.ufCrmTask = out.ufCrmTask.filter((code) => typeof code === 'string' && CRM_CODE.test(code.trim())).map((code) => code.trim());
		for (const name of config('dropOnWrite')) delete out[name];
		const at = now();
		if (id === undefined) {
			const task = { id: context.newId(), priority: 1, status: 2, createdBy: KEY_USER, ...out, createdDate: at, changedDate: at };
			settle(task);
			tasks.set(task.id, task);
			addMessage(task.id, { authorId: 0, isSystem: true, message: 'Task created', createdAt: at });
			return task;
		}
		const task = tasks.get(id);
		const before = task.status;
		if (out.status !== undefined && out.status !== null && out.status !== before) {
			const allowed = movesTo(before, out.status).some((action) => actionsOf(task, KEY_USER)[action]);
			if (!allowed && config('taskStatusRefusal') === 'refuse') throw new HttpError(403, 'BITRIX_ACCESS_DENIED', 'ACCESS_DENIED: Action not allowed');
			if (!allowed) delete out.status;
		}
		if (out.status === null) delete out.status;
		const changed = Object.entries(out).some(([name, value]) => JSON.stringify(task[name]) !== JSON.stringify(value));
		Object.assign(task, out);
		// Bitrix24 saves nothing when nothing changed: the same status sent again changes neither the task nor its times.
		if (changed) task.changedDate = at;
		if (task.status !== before) {
			settle(task);
			noteStatus(task);
		}
		return task;
	}

	/** The times a new status sets: `dateStart` when work first starts, `closedDate` while completed (or awaiting control). */
	function settle(task) {
		if (task.status === 3 && !task.dateStart) task.dateStart = now();
		if (task.status === 5 || task.status === 4) task.closedDate = now();
		else delete task.closedDate;
	}

	/** A list or search: filters and sorts on the task's fields only, newest first by default (the list page). */
	function list(body) {
		for (const [rawKey, condition] of Object.entries(context.filterOf(body))) {
			const { field } = context.conditionsOf(rawKey, condition);
			if (!TABLE[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		const sort = body.sort ?? body.order ?? '-id';
		for (const [field] of context.normaliseSort(sort)) {
			if (!TABLE[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = context.listItems([...tasks.values()], { ...body, sort }, TABLE);
		const selected = Array.isArray(body.select) && body.select.includes('ufCrmTask');
		const keep = selected || config('taskListCrm') === 'always';
		return { ...answer, data: answer.data.map(({ ufCrmTask, ...task }) => (keep && ufCrmTask !== undefined ? { ...task, ufCrmTask } : task)) };
	}

	/** A comment as the older pages give it: { id, taskId, authorId, message, createdAt }. */
	const comment = ({ isSystem: _isSystem, ...entry }) => ({ ...entry });

	function comments(req, method, url, raw, caller, task, sub) {
		const human = () => chatOf(task.id).filter((entry) => !entry.isSystem);
		if (!sub) {
			if (method === 'GET') {
				const query = context.queryOf(url);
				const all = human();
				const limit = Math.min(Number(query.limit ?? 50) || 50, 500);
				const offset = Number(query.offset ?? 0) || 0;
				const page = all.slice(offset, offset + limit).map(comment);
				return [200, { success: true, data: page, total: all.length, meta: { total: all.length, hasMore: offset + page.length < all.length } }];
			}
			if (method === 'POST') {
				blockWrite(caller, 'task.commentitem.add');
				const body = context.parseBody(req, raw);
				const text = typeof body.message === 'string' ? body.message : undefined;
				if (text === undefined || text.trim() === '') throw new HttpError(400, 'VALIDATION_ERROR', 'message: Required');
				const entry = addMessage(task.id, { message: text });
				return [201, { success: true, data: config('taskCommentAnswer') === 'id' ? { id: entry.id } : comment(entry) }];
			}
		}
		if (sub && /^\d+$/.test(sub)) {
			const index = chatOf(task.id).findIndex((entry) => entry.id === Number(sub) && !entry.isSystem);
			if (method === 'PATCH') blockWrite(caller, 'task.commentitem.update');
			if (method === 'DELETE') blockWrite(caller, 'task.commentitem.delete');
			if (index < 0) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
			const entry = chatOf(task.id)[index];
			if (method === 'GET') return [200, { success: true, data: comment(entry) }];
			if (method === 'PATCH') {
				const body = context.parseBody(req, raw);
				if (typeof body.message !== 'string' || body.message.trim() === '') throw new HttpError(400, 'VALIDATION_ERROR', 'message: Required');
				entry.message = body.message;
				return [200, { success: true, data: comment(entry) }];
			}
			if (method === 'DELETE') {
				chatOf(task.id).splice(index, 1);
				return [204, undefined];
			}
		}
		return undefined;
	}

	/**
	 * The task chat page: newest first, `limit` 1 to 200 (default 50), `lastId` for the messages before that one,
	 * `hasNextPage`. It needs Bitrix24's `im` scope too (else the portal's `insufficient_scope`) and the key's user in the
	 * task's chat (creator, responsible person, participant or observer); an older task card has no chat.
	 */
	function chat(url, caller, task) {
		if (config('taskComments') !== 'chat') throw new HttpError(422, 'BITRIX_ERROR', 'Chat not found');
		if (!caller.scopes.includes('im')) throw new HttpError(422, 'BITRIX_ERROR', 'insufficient_scope: The request requires higher privileges than provided by the access token');
		// Every sandbox key acts as KEY_USER.
		const members = [task.createdBy, task.responsibleId, ...(task.accomplices ?? []), ...(task.auditors ?? [])];
		if (!members.includes(KEY_USER)) throw new HttpError(422, 'BITRIX_ERROR', 'ACCESS_DENIED: You are not a member of this chat');
		const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : 50;
		if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new HttpError(400, 'VALIDATION_ERROR', 'limit: Number must be between 1 and 200');
		const lastId = url.searchParams.has('lastId') ? Number(url.searchParams.get('lastId')) : Infinity;
		const older = chatOf(task.id).filter((entry) => entry.id < lastId).sort((a, b) => b.id - a.id);
		const page = older.slice(0, limit).map(({ id, authorId, message, createdAt, isSystem }) => ({ id, authorId, text: message, createdAt, isSystem }));
		return [200, { success: true, data: { messages: page, hasNextPage: older.length > limit } }];
	}

	function route(req, path, url, raw, caller) {
		const match = /^\/v1\/tasks(?:\/([^/]+))?(?:\/([a-z]+))?(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(path);
		if (!match) return undefined;
		const [, id, part, sub, tail] = match;
		const { method } = req;
		if (!id) {
			if (method === 'GET') return [200, list(context.queryOf(url))];
			if (method === 'POST') {
				blockWrite(caller, 'tasks.task.add');
				return [201, { success: true, data: structuredClone(write(context.parseBody(req, raw), undefined)) }];
			}
		}
		if (id === 'fields' && !part && method === 'GET') {
			// Each field by its camelCase name and by Bitrix24's UPPER_CASE twin, as the fields page says.
			const fields = Object.entries(TABLE).map(([name, { createOnly: _createOnly, choices, ...described }]) => [name, choices ? { ...described, enum: { ...choices } } : described]);
			return [200, { success: true, data: { fields: Object.fromEntries([...fields, ...fields.map(([name, described]) => [upperName(name), described])]) } }];
		}
		if (id === 'search' && !part && method === 'POST') return [200, list(context.parseBody(req, raw))];
		if (id && /^\d+$/.test(id)) {
			if (!part) {
				if (method === 'PATCH') blockWrite(caller, 'tasks.task.update');
				if (method === 'DELETE') blockWrite(caller, 'tasks.task.delete');
				const task = find(id);
				if (method === 'GET') return [200, { success: true, data: taskAnswer(task) }];
				if (method === 'PATCH') return [200, { success: true, data: structuredClone(write(context.parseBody(req, raw), task.id)) }];
				if (method === 'DELETE') {
					tasks.delete(task.id);
					messages.delete(task.id);
					return [204, undefined];
				}
			}
			if (part === 'comments' && !tail) {
				const answer = comments(req, method, url, raw, caller, find(id), sub);
				if (answer) return answer;
			}
			if (part === 'chat' && sub === 'messages' && !tail && method === 'GET') return chat(url, caller, find(id));
		}
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	/** Adds a task as given, unchecked (defaults as on create), for tests that need a state the API would refuse. */
	sandbox.createTask = (fields = {}) => {
		const at = now();
		const task = { id: fields.id ?? context.newId(), priority: 1, status: 2, createdBy: KEY_USER, responsibleId: KEY_USER, ...structuredClone(fields), createdDate: at, changedDate: at };
		tasks.set(task.id, task);
		return structuredClone(task);
	};
	/** Adds a comment (or, `isSystem`, a system message of the task's chat) as given, unchecked. */
	sandbox.addTaskComment = (taskId, fields = {}) => structuredClone(addMessage(Number(taskId), { message: '', ...fields }));

	return {
		name: 'tasks',
		options: OPTIONS,
		reset() {
			tasks = new Map(SEED.map((task) => [task.id, { ...structuredClone(task), createdDate: stamp(SEEDED_AT), changedDate: stamp(SEEDED_AT) }]));
			messages = new Map();
			nextMessageId = 9001;
		},
		scopes: (path) => (/^\/v1\/tasks(\/|$)/.test(path) ? ['task', 'tasks'] : undefined),
		entities: (scopes) => (scopes.includes('task') || scopes.includes('tasks') ? ['tasks'] : []),
		route,
		records: () => [...tasks.values()].map((task) => structuredClone(task)),
		store: () => ({ tasks: [...tasks.values()].map((task) => structuredClone(task)), comments: [...messages.values()].flat().map((entry) => ({ ...entry })) }),
	};
};

module.exports.FIELD_ROWS = FIELD_ROWS;
module.exports.actionsOf = actionsOf;
