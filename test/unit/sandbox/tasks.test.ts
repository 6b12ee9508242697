/**
 * The sandbox's tasks family (test/sandbox/families/tasks.js; docs/sandbox.md, "Tasks"), as a client sees it over
 * plain HTTP: the scopes and /v1/me, /fields with the UPPER_CASE twins, create (top-level body, required fields, the
 * 250-character title, the CRM codes), get (the blocks of a single task, the `action` map), update (only the fields
 * sent, createdBy refused, status changes as `action` allows), list and search, delete, the comments and the task
 * chat, and each option.
 */
import { createSandbox, KEY_USER, type TasksStore } from '../../sandbox/server';
import { sandboxCaller, type SandboxAnswer } from '../../helpers/fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const makeTasks = require('../../sandbox/families/tasks') as (context: Record<string, unknown>) => { scopes(path: string): string[] | undefined; entities(scopes: string[]): string[] };

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

type Answer = SandboxAnswer;
const call = sandboxCaller(sandbox);
const create = (fields: Record<string, unknown>) => call('POST', '/v1/tasks', { title: 'A task', responsibleId: 1, ...fields });
const titles = (answer: Answer) => (answer.body.data as Array<{ title: string }>).map(({ title }) => title);

describe('scopes and /v1/me', () => {
	test("every /v1/tasks path takes the 'task' or the 'tasks' scope; /v1/me lists tasks for either", async () => {
		const family = makeTasks({ sandbox: { config: {} } });
		expect(['/v1/tasks', '/v1/tasks/701', '/v1/tasks/701/chat/messages'].map((path) => family.scopes(path))).toEqual([['task', 'tasks'], ['task', 'tasks'], ['task', 'tasks']]);
		expect(family.scopes('/v1/deals')).toBeUndefined();
		expect([['task'], ['tasks'], ['crm']].map((scopes) => family.entities(scopes))).toEqual([['tasks'], ['tasks'], []]);
		const me = await call('GET', '/v1/me');
		expect(me.body.data.api.entityApi.entities.tasks).toBe('/v1/tasks');
		const crmOnly = await call('GET', '/v1/me', undefined, sandbox.keys.readonly);
		expect(crmOnly.body.data.api.entityApi.entities.tasks).toBeUndefined();
	});

	test("a key without either: 403 SCOPE_DENIED \"This endpoint requires 'task' scope\"", async () => {
		const answer = await call('GET', '/v1/tasks/701', undefined, sandbox.keys.readonly);
		expect(answer).toEqual({ status: 403, body: { success: false, error: { code: 'SCOPE_DENIED', message: "This endpoint requires 'task' scope" } } });
	});
});

test('GET /v1/tasks/fields: each field by its camelCase name and its UPPER_CASE twin; status and priority choices under enum', async () => {
	const { status, body } = await call('GET', '/v1/tasks/fields');
	expect(status).toBe(200);
	const { fields } = body.data;
	expect(fields.title).toEqual({ type: 'string', isRequired: true, isReadOnly: false, isMultiple: false, title: 'Name' });
	expect(fields.TITLE).toEqual(fields.title);
	expect(fields.RESPONSIBLE_ID).toEqual(fields.responsibleId);
	expect(fields.status.enum).toEqual({ 2: 'Pending', 3: 'In progress', 4: 'Awaiting control', 5: 'Completed', 6: 'Deferred', 7: 'Declined' });
	expect(fields.priority.enum).toEqual({ 0: 'Low', 1: 'Normal', 2: 'High' });
	expect(fields.ufCrmTask).toMatchObject({ type: 'crm', isMultiple: true });
	expect(fields.UF_CRM_TASK).toEqual(fields.ufCrmTask);
	expect(['accomplices', 'auditors', 'tags'].map((name) => fields[name].isMultiple)).toEqual([true, true, true]);
	expect(['id', 'createdDate', 'changedDate', 'closedDate', 'dateStart'].map((name) => fields[name].isReadOnly)).toEqual([true, true, true, true, true]);
	// createdBy is writable (on create only), as the fields page says; the flag is the sandbox's own.
	expect(fields.createdBy).toEqual({ type: 'integer', isRequired: false, isReadOnly: false, isMultiple: false, title: 'Created by' });
});

describe('POST /v1/tasks', () => {
	test('the top-level body; defaults priority 1, status 2, the key\'s user as creator; 201 with the task', async () => {
		const { status, body } = await create({ title: 'Prepare the report', deadline: '2026-05-19T18:00:00+03:00', accomplices: ['7'], auditors: [9], tags: ['q4', 'report'], groupId: '3', timeEstimate: 3600 });
		expect(status).toBe(201);
		expect(body.data).toMatchObject({ id: expect.any(Number), title: 'Prepare the report', responsibleId: 1, createdBy: KEY_USER, priority: 1, status: 2, deadline: '2026-05-19T18:00:00+03:00', accomplices: [7], auditors: [9], tags: ['q4', 'report'], groupId: 3, timeEstimate: 3600, createdDate: expect.any(String), changedDate: expect.any(String) });
		expect(body.data.closedDate).toBeUndefined();
		const created = await create({ createdBy: 7, status: 5 });
		expect(created.body.data).toMatchObject({ createdBy: 7, status: 5, closedDate: expect.any(String) });
	});

	test('title and responsibleId are required; a wrong priority or status is refused', async () => {
		expect(await call('POST', '/v1/tasks', { description: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'title: Required; responsibleId: Required' } } });
		expect((await create({ priority: 3 })).body.error.message).toBe('fields.priority: Expected one of 0, 1, 2, received 3');
		expect((await create({ status: 9 })).body.error.message).toBe('fields.status: Expected one of 2, 3, 4, 5, 6, 7, received 9');
		expect((await create({ responsibleId: 'Olga' })).body.error.message).toBe('fields.responsibleId: Expected integer, received "Olga"');
	});

	test('a title over 250 characters: the portal error TASKS_BAD_TITLE, as 422 BITRIX_ERROR; 250 are stored', async () => {
		const long = 'é'.repeat(251);
		expect(await create({ title: long })).toEqual({ status: 422, body: { success: false, error: { code: 'BITRIX_ERROR', message: 'TASKS_BAD_TITLE: The task title is longer than 250 characters' } } });
		expect((await create({ title: 'é'.repeat(250) })).status).toBe(201);
		// An update too.
		expect((await call('PATCH', '/v1/tasks/701', { title: long })).status).toBe(422);
	});

	test('taskLongTitle: code gives the error its own code; truncate stores the first 250 characters', async () => {
		sandbox.configure({ taskLongTitle: 'code' });
		expect((await create({ title: 'x'.repeat(300) })).body.error).toEqual({ code: 'TASKS_BAD_TITLE', message: 'The task title is longer than 250 characters' });
		sandbox.configure({ taskLongTitle: 'truncate' });
		expect((await create({ title: 'x'.repeat(300) })).body.data.title).toBe('x'.repeat(250));
	});

	test('ufCrmTask: the CRM codes kept (a record that does not exist too), anything else dropped', async () => {
		const { body } = await create({ ufCrmTask: ['D_123', 'L_5', 'C_7', 'CO_9', 'Q_1', 'SI_3', 'T9c_12', 'D_999999', 'deal 5', 'X_1', 'D_'] });
		expect(body.data.ufCrmTask).toEqual(['D_123', 'L_5', 'C_7', 'CO_9', 'Q_1', 'SI_3', 'T9c_12', 'D_999999']);
	});

	test('read-only and unknown fields are dropped; dropOnWrite applies', async () => {
		sandbox.configure({ dropOnWrite: ['description'] });
		const { body } = await create({ id: 5, closedDate: '2026-01-01', colour: 'red', description: 'gone' });
		expect(body.data.id).not.toBe(5);
		expect(Object.keys(body.data)).not.toEqual(expect.arrayContaining(['colour']));
		expect(body.data.description).toBeUndefined();
		expect(body.data.closedDate).toBeUndefined();
	});
});

describe('GET /v1/tasks/:id', () => {
	test('the task with creator, responsible, participants and observers, the action map, the checklist', async () => {
		const id = sandbox.createTask({ title: 'Shared', createdBy: 1, responsibleId: 7, accomplices: [9], auditors: [1] }).id;
		const { body } = await call('GET', `/v1/tasks/${id}`);
		expect(body.data).toMatchObject({
			id,
			title: 'Shared',
			creator: { id: 1, name: 'Sandbox Owner', link: '/company/personal/user/1/', icon: expect.any(String), workPosition: 'Director' },
			responsible: { id: 7, name: 'Olga Sales', link: '/company/personal/user/7/' },
			accomplicesData: [{ id: 9, name: 'Former Employee' }],
			auditorsData: [{ id: 1 }],
			checklist: [],
			checkListTree: expect.objectContaining({ nodeId: 0 }),
		});
		expect(body.data.action).toMatchObject({ complete: true, start: true, defer: true, renew: false, edit: true, remove: true, pause: false });
	});

	test('the action map follows the status and the key\'s user\'s part in the task', async () => {
		const action = async (fields: Record<string, unknown>) => (await call('GET', `/v1/tasks/${sandbox.createTask(fields).id}`)).body.data.action;
		expect(await action({ status: 3 })).toMatchObject({ start: false, pause: true, complete: true, defer: true, renew: false });
		expect(await action({ status: 5 })).toMatchObject({ start: false, complete: false, defer: false, renew: true });
		expect(await action({ status: 6 })).toMatchObject({ complete: false, renew: true });
		expect(await action({ status: 4 })).toMatchObject({ approve: true, disapprove: true, renew: true });
		// An observer reads; a participant works on it but neither edits nor renews it.
		expect(await action({ createdBy: 7, responsibleId: 7, auditors: [1] })).toMatchObject({ complete: false, start: false, defer: false, renew: false, edit: false, remove: false });
		expect(await action({ createdBy: 7, responsibleId: 7, accomplices: [1], status: 5 })).toMatchObject({ renew: false, edit: false });
		expect(await action({ createdBy: 7, responsibleId: 7, accomplices: [1] })).toMatchObject({ complete: true, start: true, edit: false });
	});

	test('a task that does not exist: 404 ENTITY_NOT_FOUND', async () => {
		expect(await call('GET', '/v1/tasks/999')).toEqual({ status: 404, body: { success: false, error: { code: 'ENTITY_NOT_FOUND', message: 'Item not found' } } });
	});
});

describe('PATCH /v1/tasks/:id', () => {
	test('only the fields sent change; createdBy is 400 READONLY_FIELD', async () => {
		const { status, body } = await call('PATCH', '/v1/tasks/701', { description: 'By phone', priority: '0' });
		expect(status).toBe(200);
		expect(body.data).toMatchObject({ id: 701, title: 'Call Acme about the renewal', description: 'By phone', priority: 0, status: 2 });
		expect(await call('PATCH', '/v1/tasks/701', { createdBy: 7 })).toMatchObject({ status: 400, body: { error: { code: 'READONLY_FIELD', message: 'createdBy can be set only when the record is created' } } });
		expect(await call('PATCH', '/v1/tasks/701', { title: '' })).toMatchObject({ status: 400, body: { error: { message: 'title: Required' } } });
	});

	test('status: 3 starts (dateStart), 5 completes (closedDate), 3 again renews (closedDate cleared), 6 defers, 7 declines', async () => {
		const start = await call('PATCH', '/v1/tasks/701', { status: 3 });
		expect(start.body.data).toMatchObject({ status: 3, dateStart: expect.any(String) });
		expect((await call('PATCH', '/v1/tasks/701', { status: 5 })).body.data).toMatchObject({ status: 5, closedDate: expect.any(String) });
		const renewed = (await call('PATCH', '/v1/tasks/701', { status: 3 })).body.data;
		expect(renewed.status).toBe(3);
		expect(renewed.closedDate).toBeUndefined();
		expect((await call('PATCH', '/v1/tasks/701', { status: 6 })).body.data.status).toBe(6);
		const declinable = sandbox.createTask({ createdBy: 7, responsibleId: 1 }).id;
		expect((await call('PATCH', `/v1/tasks/${declinable}`, { status: 7 })).body.data.status).toBe(7);
	});

	test('a status change the action map does not allow: 403 BITRIX_ACCESS_DENIED, nothing changed; taskStatusRefusal ignore: 200, status kept', async () => {
		const id = sandbox.createTask({ createdBy: 7, responsibleId: 7, auditors: [1] }).id;
		expect(await call('PATCH', `/v1/tasks/${id}`, { status: 5, description: 'tried' })).toEqual({ status: 403, body: { success: false, error: { code: 'BITRIX_ACCESS_DENIED', message: 'ACCESS_DENIED: Action not allowed' } } });
		expect(sandbox.othersOf('tasks').find((task) => task.id === id)).not.toHaveProperty('description');
		sandbox.configure({ taskStatusRefusal: 'ignore' });
		const ignored = await call('PATCH', `/v1/tasks/${id}`, { status: 5, description: 'kept' });
		expect(ignored.status).toBe(200);
		expect(ignored.body.data).toMatchObject({ status: 2, description: 'kept' });
	});

	test('the same status sent again changes nothing, not even the change time; it is allowed whatever the map says', async () => {
		const id = sandbox.createTask({ status: 5 }).id;
		const before = sandbox.othersOf('tasks').find((task) => task.id === id)!;
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const again = await call('PATCH', `/v1/tasks/${id}`, { status: 5 });
		expect(again.status).toBe(200);
		expect(again.body.data.changedDate).toBe(before.changedDate);
	});

	test('a status change leaves a system message in the task chat', async () => {
		await call('PATCH', '/v1/tasks/701', { status: 5 });
		const chat = await call('GET', '/v1/tasks/701/chat/messages');
		expect(chat.body.data.messages).toEqual([{ id: expect.any(Number), authorId: 0, text: 'Status changed to Completed', createdAt: expect.any(String), isSystem: true }]);
	});
});

describe('GET /v1/tasks and POST /v1/tasks/search', () => {
	beforeEach(async () => {
		await create({ title: 'Second', responsibleId: 7, ufCrmTask: ['CO_9'], accomplices: [25, 9] });
		await create({ title: 'Third', responsibleId: 7, tags: ['vip'] });
	});

	test('newest first unless sorted; filters on the task\'s fields, a multiple one matching any entry', async () => {
		expect(titles(await call('GET', '/v1/tasks'))).toEqual(['Third', 'Second', 'Call Acme about the renewal']);
		expect(titles(await call('GET', '/v1/tasks?order[id]=asc'))).toEqual(['Call Acme about the renewal', 'Second', 'Third']);
		expect(titles(await call('GET', '/v1/tasks?filter[responsibleId]=7&filter[accomplices]=25'))).toEqual(['Second']);
		expect(titles(await call('GET', '/v1/tasks?filter[ufCrmTask][]=CO_9'))).toEqual(['Second']);
		expect(titles(await call('GET', '/v1/tasks?filter[tags]=vip'))).toEqual(['Third']);
		expect(titles(await call('POST', '/v1/tasks/search', { filter: { responsibleId: 7 }, order: { id: 'asc' }, limit: 1, offset: 1, autoWindow: false }))).toEqual(['Third']);
	});

	test('an unknown filter or sort field is refused', async () => {
		expect((await call('GET', '/v1/tasks?filter[colour]=red')).body.error).toEqual({ code: 'INVALID_FILTER_FIELD', message: 'Unknown filter field: colour' });
		expect((await call('POST', '/v1/tasks/search', { sort: { colour: 'asc' } })).body.error.code).toBe('UNKNOWN_SORT_FIELD');
	});

	test('ufCrmTask only when select names it (tasks.task.list), or always (taskListCrm: always); get answers it always', async () => {
		const plain = (await call('GET', '/v1/tasks?filter[title]=Second')).body.data[0];
		expect(plain).not.toHaveProperty('ufCrmTask');
		expect((await call('GET', '/v1/tasks?filter[title]=Second&select=id,ufCrmTask')).body.data).toEqual([{ id: plain.id, ufCrmTask: ['CO_9'] }]);
		expect((await call('GET', `/v1/tasks/${plain.id}`)).body.data.ufCrmTask).toEqual(['CO_9']);
		sandbox.configure({ taskListCrm: 'always' });
		expect((await call('POST', '/v1/tasks/search', { filter: { title: 'Second' } })).body.data[0].ufCrmTask).toEqual(['CO_9']);
	});

	test('the list envelope', async () => {
		const { body } = await call('GET', '/v1/tasks?limit=2');
		expect(body).toMatchObject({ success: true, total: 3, meta: { total: 3, hasMore: true } });
	});
});

test('DELETE /v1/tasks/:id: 204 without a body, then 404; no batch route', async () => {
	const response = await fetch(`${sandbox.url}/v1/tasks/701`, { method: 'DELETE', headers: { 'X-Api-Key': sandbox.keys.personal } });
	expect([response.status, await response.text()]).toEqual([204, '']);
	expect((await call('GET', '/v1/tasks/701')).status).toBe(404);
	expect((await call('POST', '/v1/tasks/batch', { action: 'create', items: [] })).body.error.code).toBe('NOT_FOUND');
});

describe('comments (the older pages)', () => {
	test('create, list, get, update, delete; an empty message and a missing task are refused', async () => {
		const added = await call('POST', '/v1/tasks/701/comments', { message: 'First' });
		expect(added).toEqual({ status: 201, body: { success: true, data: { id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'First', createdAt: expect.any(String) } } });
		const id = added.body.data.id as number;
		await call('POST', '/v1/tasks/701/comments', { message: 'Second' });
		const listed = await call('GET', '/v1/tasks/701/comments?limit=1&offset=1');
		expect(listed.body).toMatchObject({ data: [{ message: 'Second' }], total: 2, meta: { total: 2, hasMore: false } });
		expect((await call('GET', `/v1/tasks/701/comments/${id}`)).body.data.message).toBe('First');
		expect((await call('PATCH', `/v1/tasks/701/comments/${id}`, { message: 'First, edited' })).body.data.message).toBe('First, edited');
		expect((await call('DELETE', `/v1/tasks/701/comments/${id}`)).status).toBe(204);
		expect((await call('GET', `/v1/tasks/701/comments/${id}`)).status).toBe(404);
		expect(await call('POST', '/v1/tasks/701/comments', { message: ' ' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'message: Required' } } });
		expect((await call('POST', '/v1/tasks/999/comments', { message: 'x' })).status).toBe(404);
	});

	test('taskCommentAnswer: id answers the new comment with its ID only', async () => {
		sandbox.configure({ taskCommentAnswer: 'id' });
		expect((await call('POST', '/v1/tasks/701/comments', { message: 'x' })).body.data).toEqual({ id: expect.any(Number) });
	});
});

describe('the task chat (the current pages)', () => {
	test('newest first, system messages among them, limit 1 to 200, lastId for the page before, hasNextPage', async () => {
		for (const message of ['one', 'two', 'three']) await call('POST', '/v1/tasks/701/comments', { message });
		sandbox.addTaskComment(701, { authorId: 0, isSystem: true, message: 'Deadline changed' });
		const first = await call('GET', '/v1/tasks/701/chat/messages?limit=2');
		expect(first.body).toEqual({
			success: true,
			data: {
				messages: [
					{ id: expect.any(Number), authorId: 0, text: 'Deadline changed', createdAt: expect.any(String), isSystem: true },
					{ id: expect.any(Number), authorId: KEY_USER, text: 'three', createdAt: expect.any(String), isSystem: false },
				],
				hasNextPage: true,
			},
		});
		const next = await call('GET', `/v1/tasks/701/chat/messages?limit=2&lastId=${first.body.data.messages[1].id}`);
		expect(next.body.data.messages.map(({ text }: { text: string }) => text)).toEqual(['two', 'one']);
		expect(next.body.data.hasNextPage).toBe(false);
		for (const limit of ['0', '201', 'x']) expect((await call('GET', `/v1/tasks/701/chat/messages?limit=${limit}`)).body.error.code).toBe('VALIDATION_ERROR');
	});

	test("a new task's chat opens with a system message", async () => {
		const { body } = await create({});
		expect((await call('GET', `/v1/tasks/${body.data.id}/chat/messages`)).body.data.messages.map(({ text }: { text: string }) => text)).toEqual(['Task created']);
	});

	test("refused: a key without 'im' (the portal's insufficient_scope), a user outside the task, a portal of the older card", async () => {
		expect((await call('GET', '/v1/tasks/701/chat/messages', undefined, sandbox.keys.noCrm)).body.error).toEqual({ code: 'BITRIX_ERROR', message: 'insufficient_scope: The request requires higher privileges than provided by the access token' });
		const id = sandbox.createTask({ createdBy: 7, responsibleId: 9 }).id;
		expect((await call('GET', `/v1/tasks/${id}/chat/messages`)).body.error.message).toBe('ACCESS_DENIED: You are not a member of this chat');
		sandbox.configure({ taskComments: 'comments' });
		expect(await call('GET', '/v1/tasks/701/chat/messages')).toMatchObject({ status: 422, body: { error: { code: 'BITRIX_ERROR', message: 'Chat not found' } } });
	});
});

describe('the store, the options, reset', () => {
	test("sandbox.store('tasks') and GET /__sandbox/store/tasks give the tasks and comments; othersOf('tasks') the tasks", async () => {
		await call('POST', '/v1/tasks/701/comments', { message: 'Stored' });
		const store = sandbox.store<TasksStore>('tasks');
		expect(store.tasks.map(({ id }) => id)).toEqual([701]);
		expect(store.comments).toEqual([{ id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'Stored', createdAt: expect.any(String), isSystem: false }]);
		expect(await (await fetch(`${sandbox.url}/__sandbox/store/tasks`)).json()).toEqual(store);
		expect(sandbox.othersOf('tasks')).toEqual(store.tasks);
	});

	test('an option takes only its values, the first the default; reset restores the seed', async () => {
		expect(sandbox.config).toMatchObject({ taskComments: 'chat', taskCommentAnswer: 'whole', taskLongTitle: 'refuse', taskStatusRefusal: 'refuse', taskListCrm: 'select' });
		expect(() => sandbox.configure({ taskComments: 'forum' })).toThrow('taskComments must be one of chat, comments; got "forum"');
		const refused = await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ taskLongTitle: 'cut' }) });
		expect(refused.status).toBe(400);
		await create({});
		sandbox.reset();
		expect(sandbox.othersOf('tasks').map(({ id }) => id)).toEqual([701]);
	});
});
