/**
 * Timeline → Get Many Log Entries and Delete Log Entry through n8n-core's engine against the sandbox: GET
 * /v1/timeline-logs by entityTypeId and entityId, newest first, page after page of ten; DELETE /v1/timeline-logs/{id}
 * with the OAuth application that logged the entry; a personal key refused before anything is sent (VibeCode always
 * answers it 403 CROSS_APP_DELETE_FORBIDDEN); another application's entry; a missing entry; Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { oauthApp, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const logs = () => sandbox.store<{ logs: Array<{ id: number; title: string }> }>('timeline').logs;
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path} ${r.status}`);
const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });

/** Logs entries on a record through the sandbox, as another client would; with the application key when asked. */
async function logEntries(entityTypeId: number, entityId: number, count: number, app = false): Promise<number[]> {
	const headers: Record<string, string> = app
		? { 'X-Api-Key': sandbox.keys.app, Authorization: `Bearer ${sandbox.keys.session}`, 'Content-Type': 'application/json' }
		: { 'X-Api-Key': sandbox.keys.personal, 'Content-Type': 'application/json' };
	const ids: number[] = [];
	for (let n = 1; n <= count; n++) {
		const response = await fetch(`${sandbox.url}/v1/timeline-logs`, { method: 'POST', headers, body: JSON.stringify({ entityTypeId, entityId, title: `Event ${n}`, text: `Step ${n}` }) });
		ids.push(((await response.json()) as { data: { id: number } }).data.id);
	}
	sandbox.requests.length = 0;
	return ids;
}

describe('Get Many Log Entries', () => {
	const getMany = (parameters: IDataObject = {}) => ({ resource: 'timeline', operation: 'getManyLogEntries', entityType: 'deal', entity: byId('5141'), returnAll: true, ...parameters });

	test('every entry of the record, newest first, page after page of ten, each with its record, paired', async () => {
		const ids = await logEntries(2, 5141, 12);
		await logEntries(2, 5142, 1);
		const { items, error } = await runNode({ parameters: getMany(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => item.json.id)).toEqual([...ids].reverse());
		expect(items![0].json).toEqual({ id: ids[11], created: expect.any(String), authorId: 1, title: 'Event 12', text: 'Step 12', iconCode: '', entityTypeId: 2, entityId: 5141 });
		expect(items!.map((item) => item.pairedItem)).toEqual(ids.map(() => ({ item: 0 })));
		expect(sent()).toEqual(['GET /v1/timeline-logs 200', 'GET /v1/timeline-logs 200']);
	});

	test('Limit: the newest entries only, one page read', async () => {
		const ids = await logEntries(1, 101, 12);
		const { items } = await runNode({ parameters: getMany({ entityType: 'lead', entity: byId('101'), returnAll: false, limit: 3 }), credentials: personal(sandbox) });
		expect(items!.map((item) => item.json.id)).toEqual(ids.slice(-3).reverse());
		expect(sent()).toEqual(['GET /v1/timeline-logs 200']);
	});

	test('a smart process item: asked by entityTypeId 1038', async () => {
		const [id] = await logEntries(1038, 1, 1);
		const { items } = await runNode({ parameters: getMany({ entityType: 'smartProcessItem', smartProcessType: 1038, entity: byId('1') }), credentials: personal(sandbox) });
		expect(items!.map((item) => [item.json.id, item.json.entityTypeId, item.json.entityId])).toEqual([[id, 1038, 1]]);
	});

	test.each(['BITRIX_ERROR', 'ENTITY_NOT_FOUND'] as const)('a record the CRM lacks, answered %s: "The CRM has no contact 299"', async (timelineMissingRecord) => {
		sandbox.configure({ timelineMissingRecord });
		const { error } = await runNode({ parameters: getMany({ entityType: 'contact', entity: byId('299') }), credentials: personal(sandbox) });
		expect(error!.message).toBe('The CRM has no contact 299 [ENTITY_NOT_FOUND]');
	});

	test('a record ID that is not a number is refused by its label before any request', async () => {
		const { error } = await runNode({ parameters: getMany({ entity: byId('={{ "5141a" }}') }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Record ID must be a positive whole number; got "5141a"/);
		expect(sent()).toEqual([]);
	});
});

describe('Delete Log Entry', () => {
	const remove = (logEntryId: unknown) => ({ resource: 'timeline', operation: 'deleteLogEntry', logEntryId: logEntryId as string });

	test('the OAuth application that logged the entry deletes it: { id, deleted: true }', async () => {
		const [id] = await logEntries(2, 5141, 1, true);
		const { items, error } = await runNode({ parameters: remove(String(id)), credentials: oauthApp(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([[{ id, deleted: true }, { item: 0 }]]);
		expect(logs()).toEqual([]);
		expect(sent()).toEqual([`DELETE /v1/timeline-logs/${id} 204`]);
	});

	test('a personal key is refused before anything is sent, with the code VibeCode would answer', async () => {
		const [id] = await logEntries(2, 5141, 1);
		const { error } = await runNode({ parameters: remove(String(id)), credentials: personal(sandbox) });
		expect(error).toMatchObject({
			message: 'Only the OAuth application that logged a timeline entry may delete it: a personal key can never delete one',
			context: expect.objectContaining({ vibeCode: 'CROSS_APP_DELETE_FORBIDDEN' }),
		});
		expect(error!.description).toMatch(/Nothing was sent for this item/);
		expect(sent()).toEqual([]);
		expect(logs()).toHaveLength(1);
	});

	test('VibeCode agrees: a personal key\'s delete is answered 403 CROSS_APP_DELETE_FORBIDDEN, even on its own fresh entry', async () => {
		const [id] = await logEntries(2, 5141, 1);
		const response = await fetch(`${sandbox.url}/v1/timeline-logs/${id}`, { method: 'DELETE', headers: { 'X-Api-Key': sandbox.keys.personal } });
		expect(response.status).toBe(403);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe('CROSS_APP_DELETE_FORBIDDEN');
	});

	test("another application's entry: 403 CROSS_APP_DELETE_FORBIDDEN in the table's words", async () => {
		const [id] = await logEntries(2, 5141, 1, true);
		const { error } = await runNode({ parameters: remove(String(id)), credentials: { ...oauthApp(sandbox, sandbox.keys.emptySession), apiKey: sandbox.keys.emptyApp } });
		expect(error).toMatchObject({ message: 'Only the OAuth application that logged a timeline entry may delete it [CROSS_APP_DELETE_FORBIDDEN]', httpCode: '403' });
		expect(logs()).toHaveLength(1);
	});

	test('a missing entry: "Bitrix24 has no timeline log entry 42"', async () => {
		const { error } = await runNode({ parameters: remove('42'), credentials: oauthApp(sandbox) });
		expect(error).toMatchObject({ message: 'Bitrix24 has no timeline log entry 42 [ENTITY_NOT_FOUND]', httpCode: '404' });
	});

	test('Continue On Fail: a missing entry and a bad ID fail their own items; the other is deleted, each paired', async () => {
		const [id] = await logEntries(2, 5141, 1, true);
		const { items, error } = await runNode({ parameters: remove('={{ $json.id }}'), credentials: oauthApp(sandbox), continueOnFail: true, input: [{ id: 42 }, { id: 'x' }, { id }] });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.deleted ?? item.json.code, item.pairedItem])).toEqual([
			['ENTITY_NOT_FOUND', { item: 0 }],
			['INVALID_PARAMETER', { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(items![0].json).toMatchObject({ logEntryId: 42 });
	});
});
