/**
 * Timeline → Get Many Comments, Update Comment and Delete Comment through n8n-core's engine against the sandbox:
 * GET /v1/timelines with both required filters, oldest first, Limit and Return All; a record the CRM lacks named
 * plainly; PATCH /v1/timelines/{id} proven against the answer or read back; DELETE /v1/timelines/{id} (204); a missing
 * comment named by its ID; bad input refused by its label before any request; Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

interface Comment {
	id: number;
	entityId: number;
	comment: string;
}
const comments = () => sandbox.store<{ comments: Comment[] }>('timeline').comments;
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path} ${r.status}`);
const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const timeline = (operation: string, parameters: IDataObject = {}): IDataObject => ({ resource: 'timeline', operation, ...parameters });

/** Adds comments to a deal through the sandbox, as another client would. */
async function addComments(dealId: number, texts: string[]): Promise<number[]> {
	const ids: number[] = [];
	for (const comment of texts) {
		const response = await fetch(`${sandbox.url}/v1/timelines`, {
			method: 'POST',
			headers: { 'X-Api-Key': sandbox.keys.personal, 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityType: 'deal', entityId: dealId, comment }),
		});
		ids.push(((await response.json()) as { data: { id: number } }).data.id);
	}
	sandbox.requests.length = 0;
	return ids;
}

describe('Get Many Comments', () => {
	const getMany = (parameters: IDataObject = {}) => timeline('getManyComments', { entityType: 'deal', entity: byId('5141'), returnAll: true, ...parameters });

	test("a record's comments, oldest first, each once in camelCase with numeric IDs, paired with its item", async () => {
		const ids = await addComments(5141, ['Invoice sent', 'Payment received']);
		const { items, error } = await runNode({ parameters: getMany(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.id, item.json.comment, item.json.entityType, item.json.entityId, item.pairedItem])).toEqual([
			[ids[0], 'Invoice sent', 'deal', 5141, { item: 0 }],
			[ids[1], 'Payment received', 'deal', 5141, { item: 0 }],
		]);
		expect(sent()).toEqual(['GET /v1/timelines 200']);
	});

	test("a smart process item's comments: the list asked for DYNAMIC_1038 and the item's ID (both filters are required)", async () => {
		await fetch(`${sandbox.url}/v1/timelines`, {
			method: 'POST',
			headers: { 'X-Api-Key': sandbox.keys.personal, 'Content-Type': 'application/json' },
			body: JSON.stringify({ entityType: 'DYNAMIC_1038', entityId: 1, comment: 'Packed' }),
		});
		await addComments(5141, ['On the deal']);
		const { items, error } = await runNode({ parameters: getMany({ entityType: 'smartProcessItem', smartProcessType: 1038, entity: byId('1') }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.comment, item.json.entityType, item.json.entityId])).toEqual([['Packed', 'dynamic_1038', 1]]);
		expect(sent()).toEqual(['GET /v1/smart-processes 200', 'GET /v1/timelines 200']);
	});

	test('Limit: only the first comments', async () => {
		await addComments(5141, ['One', 'Two', 'Three']);
		const { items } = await runNode({ parameters: getMany({ returnAll: false, limit: 2 }), credentials: personal(sandbox) });
		expect(items!.map((item) => item.json.comment)).toEqual(['One', 'Two']);
	});

	test('a record without comments: no items', async () => {
		const { items, error } = await runNode({ parameters: getMany({ entity: byId('5143') }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	test.each(['BITRIX_ERROR', 'ENTITY_NOT_FOUND'] as const)('a record the CRM lacks, answered %s: "The CRM has no lead 999"', async (timelineMissingRecord) => {
		sandbox.configure({ timelineMissingRecord });
		const { error } = await runNode({ parameters: getMany({ entityType: 'lead', entity: byId('999') }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'The CRM has no lead 999 [ENTITY_NOT_FOUND]', httpCode: '404' });
	});

	test('Limit 0 is refused by its label before any request', async () => {
		const { error } = await runNode({ parameters: getMany({ returnAll: false, limit: '={{ 0 }}' }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Limit must be a whole number above 0; got 0/);
		expect(sent()).toEqual([]);
	});
});

describe.each(['record', 'id'] as const)('Update Comment, answered with %s', (timelineWriteAnswer) => {
	beforeEach(() => sandbox.configure({ timelineWriteAnswer }));
	const update = (parameters: IDataObject = {}) => timeline('updateComment', { commentId: '9001', commentText: 'Client asked for a quarterly invoice', ...parameters });

	test('the new text is stored and output, proven by the answer or read back', async () => {
		const { items, error } = await runNode({ parameters: update(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: 9001, entityType: 'deal', entityId: 5142, comment: 'Client asked for a quarterly invoice', authorId: 1, createdAt: '2026-11-01T09:30:00.000Z' }, { item: 0 }],
		]);
		expect(comments()).toEqual([expect.objectContaining({ id: 9001, comment: 'Client asked for a quarterly invoice' })]);
		expect(sent()).toEqual(timelineWriteAnswer === 'record' ? ['PATCH /v1/timelines/9001 200'] : ['PATCH /v1/timelines/9001 200', 'GET /v1/timelines/9001 200']);
	});
});

describe('Update Comment', () => {
	const update = (parameters: IDataObject = {}) => timeline('updateComment', { commentId: '9001', commentText: 'New text', ...parameters });

	test('a missing comment: "Bitrix24 has no timeline comment 42"', async () => {
		const { error } = await runNode({ parameters: update({ commentId: '42' }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'Bitrix24 has no timeline comment 42 [ENTITY_NOT_FOUND]', httpCode: '404' });
	});

	test('a text stored other than sent fails with WRITE_NOT_APPLIED', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/timelines/9001' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), comment: 'Old text' } } : answer));
		try {
			const { error } = await runNode({ parameters: update(), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error!.message).toBe('VibeCode answered, but comment 9001 does not hold the text sent [WRITE_NOT_APPLIED]');
			expect(error!.description).toMatch(/Sent "New text"; stored "Old text"/);
		} finally {
			await proxy.stop();
		}
	});

	test.each([
		['an empty comment', { commentText: '={{ "" }}' }, /^Comment is empty; got ""/],
		['a comment ID that is text', { commentId: '={{ "abc" }}' }, /^Comment ID must be a positive whole number; got "abc"/],
		['a comment ID of 0', { commentId: '0' }, /^Comment ID must be a positive whole number; got "0"/],
	])('%s is refused by its label before any request', async (_label, parameters, message) => {
		const { error } = await runNode({ parameters: update(parameters), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
		expect(sent()).toEqual([]);
	});
});

describe('Delete Comment', () => {
	const remove = (commentId: unknown) => timeline('deleteComment', { commentId: commentId as string });

	test('the comment is deleted: { id, deleted: true }, paired', async () => {
		const { items, error } = await runNode({ parameters: remove('9001'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([[{ id: 9001, deleted: true }, { item: 0 }]]);
		expect(comments()).toEqual([]);
		expect(sent()).toEqual(['DELETE /v1/timelines/9001 204']);
	});

	test('a missing comment: "Bitrix24 has no timeline comment 42"', async () => {
		const { error } = await runNode({ parameters: remove('42'), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'Bitrix24 has no timeline comment 42 [ENTITY_NOT_FOUND]', httpCode: '404' });
	});

	test('a delete whose answer was lost is sent again, and the 404 that follows is the deletion', async () => {
		sandbox.addFault({ kind: 'reset', method: 'DELETE', path: '/v1/timelines/9001', afterProcessing: true });
		const { items, error } = await runNode({ parameters: remove('9001'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => item.json)).toEqual([{ id: 9001, deleted: true }]);
		expect(sent()).toEqual(['DELETE /v1/timelines/9001 reset', 'DELETE /v1/timelines/9001 404']);
	});

	test('Continue On Fail: a missing comment and a bad ID fail their own items; the other is deleted, each paired', async () => {
		const { items, error } = await runNode({ parameters: remove('={{ $json.id }}'), credentials: personal(sandbox), continueOnFail: true, input: [{ id: 42 }, { id: 'x' }, { id: 9001 }] });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.deleted ?? item.json.code, item.pairedItem])).toEqual([
			['ENTITY_NOT_FOUND', { item: 0 }],
			['INVALID_PARAMETER', { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(items![0].json).toMatchObject({ commentId: 42 });
	});
});
