/**
 * Task → Complete, Start, Defer and Renew through n8n-core's engine against the sandbox: one PATCH /v1/tasks/{id}
 * with the status the update page gives (5, 3, 6; Renew 3, "returning to work"), proven by the status the task then
 * holds (the answer's, else the task read again), WRITE_NOT_APPLIED otherwise; a change the task's `action` map does
 * not allow the key's user said plainly, whether the portal refuses it or ignores it; a status change sent again
 * after a lost answer; the Task ID refused by its label before any request; the task scope; Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { oauthApp, personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox, KEY_USER } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const change = (operation: string, taskId: unknown, options: IDataObject = {}): IDataObject => ({
	resource: 'task',
	operation,
	taskId: taskId as IDataObject[string],
	options: { maxWait: 5, ...options },
});
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path} ${r.status}`);
const stored = (id: number) => sandbox.othersOf('tasks').find((task) => task.id === id)!;
/** A task the key's user (1) only observes: Olga's, which Bitrix24 lets user 1 read but not work on. */
const observed = (fields: IDataObject = {}) => sandbox.createTask({ title: "Olga's call list", createdBy: 7, responsibleId: 7, auditors: [KEY_USER], ...fields }).id;

describe.each([
	['complete', 5, 'closedDate'],
	['start', 3, 'dateStart'],
	['defer', 6, undefined],
] as const)('%s', (operation, status, stamp) => {
	test(`sends status ${status} in one PATCH and outputs the task as VibeCode answers it`, async () => {
		const { items, error } = await runNode({ parameters: change(operation, '701'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json.id, json.status, json.title, pairedItem])).toEqual([[701, status, 'Call Acme about the renewal', { item: 0 }]]);
		expect(sent()).toEqual(['PATCH /v1/tasks/701 200']);
		expect(stored(701).status).toBe(status);
		if (stamp) expect(stored(701)[stamp]).toEqual(expect.any(String));
	});
});

describe('renew', () => {
	test.each([5, 6, 7])('a task at status %i returns to work: status 3, as the update page says', async (from) => {
		const id = sandbox.createTask({ title: 'Closed one', status: from }).id;
		const { items, error } = await runNode({ parameters: change('renew', id), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ id, status: 3 });
		expect(sent()).toEqual([`PATCH /v1/tasks/${id} 200`]);
	});

	test('a completed task: Complete, then Renew, then Complete again', async () => {
		for (const [operation, status] of [['complete', 5], ['renew', 3], ['complete', 5]] as const) {
			const { items } = await runNode({ parameters: change(operation, 701), credentials: personal(sandbox) });
			expect(items![0].json.status).toBe(status);
		}
		expect(stored(701).closedDate).toEqual(expect.any(String));
	});
});

describe('the proof', () => {
	test('an answer without the status (only the ID) is proven by the task read again', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701' && (answer.data as IDataObject)?.status !== undefined && !(answer.data as IDataObject).action ? { ...answer, data: { id: 701 } } : answer));
		try {
			const { items, error } = await runNode({ parameters: change('complete', 701), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			// The task as read: the get page's blocks with it.
			expect(items![0].json).toMatchObject({ id: 701, status: 5, action: expect.objectContaining({ complete: false, renew: true }) });
			expect(proxy.sent.map(({ method, path }) => `${method} ${path}`)).toEqual(['PATCH /v1/tasks/701', 'GET /v1/tasks/701']);
		} finally {
			await proxy.stop();
		}
	});

	test('a status the portal does not store, though the key\'s user may set it: WRITE_NOT_APPLIED naming both statuses', async () => {
		sandbox.configure({ dropOnWrite: ['status'] });
		const { error } = await runNode({ parameters: change('complete', 701), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'Task 701 was sent status 5 (Completed), but holds 2 (Pending) [WRITE_NOT_APPLIED]', context: expect.objectContaining({ vibeCode: 'WRITE_NOT_APPLIED' }) });
		expect(error!.description).toMatch(/sending it again is safe/);
		expect(sent()).toEqual(['PATCH /v1/tasks/701 200', 'GET /v1/tasks/701 200']);
	});

	test('Complete answered with 4 (Awaiting Control, the creator checks the result) is a completion', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), status: 4 } } : answer));
		try {
			const { items, error } = await runNode({ parameters: change('complete', 701), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(items![0].json.status).toBe(4);
			expect(proxy.sent).toHaveLength(1);
		} finally {
			await proxy.stop();
		}
	});

	test('numbers as text ("5", STATUS in upper case) prove it as well', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks/701' && answer.success ? { ...answer, data: { ID: '701', STATUS: '5' } } : answer));
		try {
			const { items, error } = await runNode({ parameters: change('complete', 701), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(items![0].json).toEqual({ ID: '701', STATUS: '5' });
		} finally {
			await proxy.stop();
		}
	});
});

describe("what the key's user may not do, said plainly", () => {
	test('the portal refuses it: the task is read and its action map named; nothing changed', async () => {
		const id = observed();
		const { error } = await runNode({ parameters: change('complete', id), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: `Bitrix24 does not let the key's user complete task ${id} [TASK_ACTION_NOT_ALLOWED]`, httpCode: '403' });
		expect(error!.description).toContain('action list says complete: false');
		expect(error!.description).toContain('the task is 2 (Pending)');
		expect(error!.description).toContain('Nothing was changed.');
		expect(error!.description).toContain('VibeCode said: ACCESS_DENIED: Action not allowed.');
		expect(sent()).toEqual([`PATCH /v1/tasks/${id} 403`, `GET /v1/tasks/${id} 200`]);
		expect(stored(id).status).toBe(2);
	});

	test('the portal ignores it (answers 200, status unchanged): the same plain words, after the read', async () => {
		sandbox.configure({ taskStatusRefusal: 'ignore' });
		const id = observed({ status: 5 });
		const { error } = await runNode({ parameters: change('renew', id), credentials: personal(sandbox) });
		expect(error!.message).toBe(`Bitrix24 does not let the key's user renew task ${id} [TASK_ACTION_NOT_ALLOWED]`);
		expect(error!.description).toContain('the task is 5 (Completed)');
		expect(error!.description).toContain('the status did not change');
		expect(sent()).toEqual([`PATCH /v1/tasks/${id} 200`, `GET /v1/tasks/${id} 200`]);
	});

	test('a refusal the action map does not explain is VibeCode\'s own error, unchanged', async () => {
		sandbox.addFault({ kind: 'error', method: 'PATCH', path: '/v1/tasks/701', status: 403, code: 'BITRIX_ACCESS_DENIED', message: 'ACCESS_DENIED' });
		const { error } = await runNode({ parameters: change('start', 701), credentials: personal(sandbox) });
		expect(error!.message).toBe('Bitrix24 denied access [BITRIX_ACCESS_DENIED]');
		expect(sent()).toEqual(['PATCH /v1/tasks/701 403', 'GET /v1/tasks/701 200']);
	});

	test('the same change sent again is harmless: a completed task completed again succeeds, though its map says complete: false', async () => {
		const id = sandbox.createTask({ title: 'Done already', status: 5 }).id;
		const { items, error } = await runNode({ parameters: change('complete', id), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json.status).toBe(5);
		expect(sent()).toEqual([`PATCH /v1/tasks/${id} 200`]);
	});
});

test('a lost answer: the status change is sent again (it is idempotent) and proven', async () => {
	sandbox.addFault({ kind: 'reset', method: 'PATCH', path: '/v1/tasks/701', afterProcessing: true });
	const { items, error } = await runNode({ parameters: change('complete', 701), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json.status).toBe(5);
	expect(sent()).toEqual(['PATCH /v1/tasks/701 reset', 'PATCH /v1/tasks/701 200']);
});

describe('refused or failed before or by VibeCode', () => {
	test.each([['abc'], ['0'], ['7.5'], ['={{ "" }}']])('Task ID %j is refused by its label before any request', async (taskId) => {
		const { error } = await runNode({ parameters: change('complete', taskId), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: expect.stringMatching(/^Task ID must be a positive whole number; got /), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
		expect(error!.description).toMatch(/Nothing was sent for this item/);
		expect(sandbox.requests).toEqual([]);
	});

	test('a task link in Task ID: the number it holds is named', async () => {
		const { error } = await runNode({ parameters: change('start', 'https://sandbox.bitrix24.com/company/personal/user/1/tasks/task/view/701/'), credentials: personal(sandbox) });
		expect(error!.message).toBe('Task ID must be a positive whole number; got a Bitrix24 link to task 701');
		expect(sandbox.requests).toEqual([]);
	});

	test('a task that does not exist is named', async () => {
		const { error } = await runNode({ parameters: change('defer', 999), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'Bitrix24 has no task 999 [ENTITY_NOT_FOUND]', httpCode: '404' });
	});

	test("a key without the task scope: SCOPE_DENIED naming 'task' and 'tasks'", async () => {
		const { error } = await runNode({ parameters: change('complete', 701), credentials: oauthApp(sandbox) });
		expect(error).toMatchObject({ message: "The key lacks the 'task' scope [SCOPE_DENIED]", httpCode: '403' });
		expect(error!.description).toContain("Re-issue the key with the 'task' and 'tasks' scopes ticked");
		expect(error!.description).toContain("VibeCode said: This endpoint requires 'task' scope.");
	});

	test('Continue On Fail: each item its own result, paired with its input', async () => {
		const id = observed();
		const { items, error } = await runNode({
			parameters: change('complete', '={{ $json.id }}'),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ id: 701 }, { id: 999 }, { id: 'x' }, { id }],
		});
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json.status ?? json.code, pairedItem])).toEqual([
			[5, { item: 0 }],
			['ENTITY_NOT_FOUND', { item: 1 }],
			['INVALID_PARAMETER', { item: 2 }],
			['TASK_ACTION_NOT_ALLOWED', { item: 3 }],
		]);
		expect(items![1].json).toMatchObject({ error: 'Bitrix24 has no task 999 [ENTITY_NOT_FOUND]', taskId: 999 });
	});
});
