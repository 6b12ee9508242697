/**
 * Task → Add Comment through n8n-core's engine against the sandbox: POST /v1/tasks/{taskId}/comments `{ message }`,
 * proven by the answer (the new comment's ID and the message sent; read back by the ID when the answer has only the
 * ID), WRITE_NOT_APPLIED otherwise; a create never sent again after a lost answer; the Task ID and an empty message
 * refused by their labels before any request; a missing task; the task scope; Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { oauthApp, personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox, KEY_USER, type TasksStore } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const add = (taskId: unknown, message: unknown, options: IDataObject = {}): IDataObject => ({
	resource: 'task',
	operation: 'addComment',
	taskId: taskId as IDataObject[string],
	message: message as IDataObject[string],
	options: { maxWait: 5, ...options },
});
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path} ${r.status}`);
const comments = () => sandbox.store<TasksStore>('tasks').comments.filter((entry) => !entry.isSystem);

test('the comment as the comments page gives it, paired with its item, one POST per item', async () => {
	const { items, error } = await runNode({
		parameters: add('701', '={{ $json.text }}'),
		credentials: personal(sandbox),
		input: [{ text: 'Called them: they sign on Monday' }, { text: 'Line one\nline [B]two[/B]' }],
	});
	expect(error).toBeUndefined();
	expect(items!.map(({ json, pairedItem }) => [json, pairedItem])).toEqual([
		[{ id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'Called them: they sign on Monday', createdAt: expect.any(String) }, { item: 0 }],
		[{ id: expect.any(Number), taskId: 701, authorId: KEY_USER, message: 'Line one\nline [B]two[/B]', createdAt: expect.any(String) }, { item: 1 }],
	]);
	expect(sent()).toEqual(['POST /v1/tasks/701/comments 201', 'POST /v1/tasks/701/comments 201']);
	expect(comments().map(({ message }) => message)).toEqual(['Called them: they sign on Monday', 'Line one\nline [B]two[/B]']);
});

test('an answer with the ID alone (as Bitrix24\'s task.commentitem.add answers) is read back by that ID', async () => {
	sandbox.configure({ taskCommentAnswer: 'id' });
	const { items, error } = await runNode({ parameters: add(701, 'Read me back'), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	const id = items![0].json.id as number;
	expect(items![0].json).toMatchObject({ id, taskId: 701, message: 'Read me back' });
	expect(sent()).toEqual(['POST /v1/tasks/701/comments 201', `GET /v1/tasks/701/comments/${id} 200`]);
});

describe('WRITE_NOT_APPLIED', () => {
	test('an answer without an ID: the comment may exist, and running the item again could add it twice', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701/comments' && answer.success ? { success: true, data: { message: 'Hello' } } : answer));
		try {
			const { error } = await runNode({ parameters: add(701, 'Hello'), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error!.message).toBe('VibeCode answered the comment on task 701 without its ID [WRITE_NOT_APPLIED]');
			expect(error!.description).toMatch(/could add it twice/);
		} finally {
			await proxy.stop();
		}
	});

	test('a stored text that is not the message sent is named, with both texts', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701/comments' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), message: 'Hel' } } : answer));
		try {
			const { error } = await runNode({ parameters: add(701, 'Hello'), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error!.message).toMatch(/^Comment \d+ was added to task 701, but does not hold the message sent \[WRITE_NOT_APPLIED\]$/);
			expect(error!.description).toContain('Sent "Hello", stored "Hel".');
		} finally {
			await proxy.stop();
		}
	});

	test('line ends and surrounding spaces are no difference', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701/comments' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), message: 'a\nb' } } : answer));
		try {
			const { items, error } = await runNode({ parameters: add(701, ' a\r\nb '), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(items![0].json.message).toBe('a\nb');
		} finally {
			await proxy.stop();
		}
	});
});

test('a lost answer: the comment is never sent again, and the message says it may have been added', async () => {
	sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/tasks/701/comments', afterProcessing: true });
	const { error } = await runNode({ parameters: add(701, 'Only once', { retryUnknownOutcome: true }), credentials: personal(sandbox) });
	expect(error!.message).toBe('The connection to VibeCode broke before an answer arrived [CONNECTION_RESET]');
	expect(error!.description).toMatch(/The comment may already have been added, so the node did not send it again/);
	expect(sent()).toEqual(['POST /v1/tasks/701/comments reset']);
	expect(comments().map(({ message }) => message)).toEqual(['Only once']);
});

describe('refused before any request', () => {
	test.each([['abc'], ['-1'], ['={{ "" }}']])('Task ID %j, by its label', async (taskId) => {
		const { error } = await runNode({ parameters: add(taskId, 'Hi'), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Task ID must be a positive whole number; got /);
		expect(sandbox.requests).toEqual([]);
	});

	test.each([['   '], ['={{ $json.missing }}'], ['={{ "\\n" }}']])('an empty message (%j)', async (message) => {
		const { error } = await runNode({ parameters: add(701, message), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'Message is empty', context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
		expect(sandbox.requests).toEqual([]);
	});
});

test('a task that does not exist is named; a key without the task scope is told which', async () => {
	const missing = await runNode({ parameters: add(999, 'Hi'), credentials: personal(sandbox) });
	expect(missing.error!.message).toBe('Bitrix24 has no task 999 [ENTITY_NOT_FOUND]');
	const scope = await runNode({ parameters: add(701, 'Hi'), credentials: oauthApp(sandbox) });
	expect(scope.error!.message).toBe("The key lacks the 'task' scope [SCOPE_DENIED]");
});

test('Continue On Fail: the bad items fail on their own, the others are added, each paired', async () => {
	const { items, error } = await runNode({
		parameters: add('={{ $json.task }}', '={{ $json.text }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ task: 701, text: 'First' }, { task: 999, text: 'Nowhere' }, { task: 701, text: '' }, { task: 701, text: 'Last' }],
	});
	expect(error).toBeUndefined();
	expect(items!.map(({ json, pairedItem }) => [json.code ?? json.message, pairedItem])).toEqual([
		['First', { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		['Last', { item: 3 }],
	]);
	expect(items![1].json).toMatchObject({ taskId: 999, message: 'Nowhere' });
	expect(comments().map(({ message }) => message)).toEqual(['First', 'Last']);
});
