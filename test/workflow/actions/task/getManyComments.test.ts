/**
 * Task → Get Many Comments through n8n-core's engine against the sandbox: the task chat the current pages document
 * (GET /v1/tasks/{id}/chat/messages, newest first, `lastId` paging, system messages left out unless asked for) by
 * default, the older pages' GET /v1/tasks/{id}/comments (limit and offset) for the older task card; one output shape
 * (id, taskId, authorId, message, createdAt); Return All and Limit; what the chat needs (the `im` scope, the key's
 * user in the task) said plainly; the Task ID refused before any request; Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox, KEY_USER } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const list = (taskId: unknown, extra: IDataObject = {}): IDataObject => ({
	resource: 'task',
	operation: 'getManyComments',
	taskId: taskId as IDataObject[string],
	options: { maxWait: 5 },
	...extra,
});
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path} ${r.status}`);
const messages = (items: Array<{ json: IDataObject }> | undefined) => items!.map(({ json }) => json.message);

/** Task 701's discussion: three comments, a status change between them. */
function discuss() {
	sandbox.addTaskComment(701, { authorId: 7, message: 'Who calls them?' });
	sandbox.addTaskComment(701, { authorId: KEY_USER, message: 'I do, on Monday' });
	sandbox.addTaskComment(701, { authorId: 0, isSystem: true, message: 'Status changed to In progress' });
	sandbox.addTaskComment(701, { authorId: 7, message: 'Thanks' });
}

describe('the task chat (the default)', () => {
	test('newest first, in the comments page\'s fields, the system messages left out; one request', async () => {
		discuss();
		const { items, error } = await runNode({ parameters: list('701'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json, pairedItem])).toEqual([
			[{ id: expect.any(Number), taskId: 701, authorId: 7, message: 'Thanks', createdAt: expect.any(String), isSystem: false }, { item: 0 }],
			[{ id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'I do, on Monday', createdAt: expect.any(String), isSystem: false }, { item: 0 }],
			[{ id: expect.any(Number), taskId: 701, authorId: 7, message: 'Who calls them?', createdAt: expect.any(String), isSystem: false }, { item: 0 }],
		]);
		expect(sent()).toEqual(['GET /v1/tasks/701/chat/messages 200']);
	});

	test('Include System Messages: the status change and the like, by author 0', async () => {
		discuss();
		const { items } = await runNode({ parameters: list(701, { includeSystem: true, limit: 2 }), credentials: personal(sandbox) });
		expect(items!.map(({ json }) => [json.authorId, json.message, json.isSystem])).toEqual([
			[7, 'Thanks', false],
			[0, 'Status changed to In progress', true],
		]);
	});

	test('a comment added by Add Comment is a message of the chat', async () => {
		await runNode({ parameters: { resource: 'task', operation: 'addComment', taskId: '701', message: 'Via the node' }, credentials: personal(sandbox) });
		const { items } = await runNode({ parameters: list(701), credentials: personal(sandbox) });
		expect(messages(items)).toEqual(['Via the node']);
	});

	test('Return All reads page after page (200 a page, by lastId); Limit stops early', async () => {
		for (let i = 1; i <= 450; i++) sandbox.addTaskComment(701, { authorId: 7, message: `Note ${i}` });
		const all = await runNode({ parameters: list(701, { returnAll: true }), credentials: personal(sandbox) });
		expect(all.items).toHaveLength(450);
		expect(messages(all.items).slice(0, 2)).toEqual(['Note 450', 'Note 449']);
		expect(messages(all.items).at(-1)).toBe('Note 1');
		expect(sent()).toEqual(['GET /v1/tasks/701/chat/messages 200', 'GET /v1/tasks/701/chat/messages 200', 'GET /v1/tasks/701/chat/messages 200']);

		sandbox.requests.length = 0;
		const some = await runNode({ parameters: list(701, { limit: 3 }), credentials: personal(sandbox) });
		expect(messages(some.items)).toEqual(['Note 450', 'Note 449', 'Note 448']);
		expect(sent()).toHaveLength(1);
	});

	test("a task the key's user takes no part in: Bitrix24's refusal, with what the chat needs", async () => {
		const id = sandbox.createTask({ title: 'Not ours', createdBy: 7, responsibleId: 9 }).id;
		const { error } = await runNode({ parameters: list(id), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: `Bitrix24 refused to read the chat of task ${id} [BITRIX_ERROR]`, httpCode: '422' });
		expect(error!.description).toContain("The key's user must take part in the task");
		expect(error!.description).toContain('VibeCode said: ACCESS_DENIED: You are not a member of this chat.');
	});

	test("a key without the 'im' scope (the portal's insufficient_scope): the scope named", async () => {
		const { error } = await runNode({ parameters: list(701), credentials: { ...personal(sandbox), apiKey: sandbox.keys.noCrm } });
		expect(error).toMatchObject({ message: "The key lacks the 'im' scope the task chat needs [PORTAL_SCOPE_MISSING]", httpCode: '422' });
		expect(error!.description).toMatch(/Re-issue the key with the 'im' scope ticked beside 'task'/);
	});

	test('a portal of the older task card has no chat: the message points to Comments', async () => {
		sandbox.configure({ taskComments: 'comments' });
		const { error } = await runNode({ parameters: list(701), credentials: personal(sandbox) });
		expect(error!.message).toBe('Bitrix24 refused to read the chat of task 701 [BITRIX_ERROR]');
		expect(error!.description).toContain('set Read From to Comments');
	});
});

describe('Read From: Comments (the older pages)', () => {
	test.each(['chat', 'comments'])('as listed, oldest first, without system messages, the same fields (taskComments: %s)', async (taskComments) => {
		sandbox.configure({ taskComments });
		discuss();
		const { items, error } = await runNode({ parameters: list(701, { source: 'comments' }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map(({ json }) => json)).toEqual([
			{ id: expect.any(Number), taskId: 701, authorId: 7, message: 'Who calls them?', createdAt: expect.any(String) },
			{ id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'I do, on Monday', createdAt: expect.any(String) },
			{ id: expect.any(Number), taskId: 701, authorId: 7, message: 'Thanks', createdAt: expect.any(String) },
		]);
		expect(sent()).toEqual(['GET /v1/tasks/701/comments 200']);
	});

	test('Return All pages by offset (500 a page); Limit stops early', async () => {
		for (let i = 1; i <= 620; i++) sandbox.addTaskComment(701, { message: `Note ${i}` });
		const all = await runNode({ parameters: list(701, { source: 'comments', returnAll: true }), credentials: personal(sandbox) });
		expect(all.items).toHaveLength(620);
		expect(messages(all.items).slice(-1)).toEqual(['Note 620']);
		expect(sandbox.requests.filter((r) => r.path.startsWith('/v1/')).map((r) => r.path)).toEqual(['/v1/tasks/701/comments', '/v1/tasks/701/comments']);

		const some = await runNode({ parameters: list(701, { source: 'comments', limit: 2 }), credentials: personal(sandbox) });
		expect(messages(some.items)).toEqual(['Note 1', 'Note 2']);
	});
});

describe('refused before any request, or by VibeCode', () => {
	test('a bad Task ID, by its label; a bad Limit', async () => {
		const bad = await runNode({ parameters: list('seven'), credentials: personal(sandbox) });
		expect(bad.error!.message).toBe('Task ID must be a positive whole number; got "seven"');
		const limit = await runNode({ parameters: list(701, { limit: '={{ 0 }}' }), credentials: personal(sandbox) });
		expect(limit.error!.message).toBe('Limit must be a whole number above 0; got 0');
		expect(sandbox.requests).toEqual([]);
	});

	test('Continue On Fail: a missing task fails its own item; each item its comments, paired', async () => {
		discuss();
		const { items, error } = await runNode({
			parameters: list('={{ $json.id }}', { source: 'comments' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ id: 999 }, { id: 701 }],
		});
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json.code ?? json.message, pairedItem])).toEqual([
			['ENTITY_NOT_FOUND', { item: 0 }],
			['Who calls them?', { item: 1 }],
			['I do, on Monday', { item: 1 }],
			['Thanks', { item: 1 }],
		]);
		expect(items![0].json).toMatchObject({ error: 'Bitrix24 has no task 999 [ENTITY_NOT_FOUND]', taskId: 999 });
	});
});
