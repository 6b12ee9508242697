/**
 * The Bitrix24 Instant Trigger on smart-process items: Bitrix24 sends ONCRMDYNAMICITEM… for every smart process with
 * the type's ID (data[FIELDS][ENTITY_TYPE_ID]); the Smart Process Item events start the workflow only for the Smart
 * Process Types chosen, the record read from /v1/items/{entityTypeId}/{id}; smart invoices (type 31) stay Invoice's;
 * the editor's stage list covers the chosen smart processes.
 */
import type { IDataObject } from 'n8n-workflow';

import { eventPairs, formBody } from '../../sandbox/bitrixEvents';
import { loadInstantOptions } from '../../helpers/engine';
import { askSandbox, personal } from '../../helpers/fixtures';
import { callWebhook, type WebhookCall } from '../../helpers/webhook';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const TOKEN = 'bx24-app-token-7f3a9c';
let workflows = 0;
beforeEach(() => workflows++);
const call = (body: WebhookCall['body'], parameters: Record<string, unknown> = {}) =>
	callWebhook({
		parameters: { events: ['smartProcessItem.add', 'smartProcessItem.update', 'invoice.update'], smartProcessTypes: [1038], applicationToken: TOKEN, ...parameters },
		body,
		workflowId: `wf-sp-${workflows}`,
		credentials: personal(sandbox),
	});
const event = (entityTypeId: number, id: number, name = 'ONCRMDYNAMICITEMUPDATE') => formBody(eventPairs({ event: name, id, entityTypeId, token: TOKEN }));

test('an item of a chosen smart process starts the workflow; another smart process\'s is answered ignored', async () => {
	const chosen = await call(event(1038, 1));
	expect(chosen.answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
	expect(chosen.items).toEqual([expect.objectContaining({ event: 'ONCRMDYNAMICITEMUPDATE', entityType: 'dynamic_1038', action: 'update', id: 1 })]);

	const other = await call(event(1042, 1));
	expect(other.answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
	expect(other.items).toBeUndefined();

	// A smart invoice is Invoice's event, whatever smart processes are chosen.
	const invoice = await call(event(31, 501));
	expect(invoice.items).toEqual([expect.objectContaining({ entityType: 'invoice', id: 501 })]);
});

test('Read the Record reads the item from its smart process, and the stage filter applies', async () => {
	const read = await call(event(1038, 1), { readRecord: true });
	expect(read.items).toEqual([expect.objectContaining({ id: 1, title: 'Order A-1001', stageId: 'DT1038_7:NEW', bitrix24Event: expect.objectContaining({ entityType: 'dynamic_1038' }) })]);
	expect(sandbox.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v1/items/1038/1']);

	const skipped = await call(event(1038, 1), { readRecord: true, filters: { stageIds: ['DT1038_7:SUCCESS'] } });
	expect(skipped.answer).toMatchObject({ status: 200, body: { status: 'skipped' } });
	// The Pipeline filter compares the item's categoryId (7 here, as its stage says).
	expect((await call(event(1038, 1), { readRecord: true, filters: { categoryIds: [8] } })).answer).toMatchObject({ body: { status: 'skipped' } });
	expect((await call(event(1038, 1), { readRecord: true, filters: { categoryIds: [7] } })).items).toEqual([expect.objectContaining({ id: 1, categoryId: 7 })]);
});

test('no Smart Process Type chosen: item events start nothing', async () => {
	const outcome = await call(event(1038, 1), { smartProcessTypes: [] });
	expect(outcome.answer).toMatchObject({ body: { status: 'ignored' } });
});

test('the editor: the stage filter lists the chosen smart processes\' stages', async () => {
	const options = await loadInstantOptions('getInstantStages', {
		parameters: { events: ['smartProcessItem.update'], smartProcessTypes: [1042] },
		credentials: personal(sandbox),
	});
	expect(options.map(({ value }) => value)).toEqual(['DT1042_11:NEW', 'DT1042_11:SUCCESS', 'DT1042_11:FAIL']);
});

test("the editor: the pipeline filter lists the deals' and the chosen smart processes' pipelines, each named by its type's title", async () => {
	const load = (parameters: IDataObject) => loadInstantOptions('getInstantPipelines', { parameters, credentials: personal(sandbox) });
	const { data: processes } = await askSandbox(sandbox, 'GET', '/v1/smart-processes');
	const title = (processes as Array<{ entityTypeId: number; title: string }>).find((row) => row.entityTypeId === 1042)!.title;
	const { data: categories } = await askSandbox(sandbox, 'GET', '/v1/categories/1042');
	const rows = (Array.isArray(categories) ? categories : (categories as { categories: Array<{ id: number; name: string }> }).categories) as Array<{ id: number; name: string }>;
	const items = rows.map(({ id, name }) => ({ name: `${title}: ${name} (${id})`, value: Number(id) }));
	expect(items.length).toBeGreaterThan(0);
	expect(await load({ events: ['smartProcessItem.update'], smartProcessTypes: [1042] })).toEqual(items);
	const both = await load({ events: ['deal.update', 'smartProcessItem.add'], smartProcessTypes: [1042] });
	expect(both).toEqual(expect.arrayContaining([{ name: 'Deal: General (0)', value: 0 }, ...items]));
	// The stage filter names the smart process the same way.
	const stages = await loadInstantOptions('getInstantStages', { parameters: { events: ['smartProcessItem.update'], smartProcessTypes: [1042] }, credentials: personal(sandbox) });
	expect(stages.every(({ name }) => String(name).startsWith(`${title}: `))).toBe(true);
});
