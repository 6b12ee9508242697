/**
 * Smart Process Item through n8n-core's engine against the sandbox: the record engine for the items of the smart
 * process chosen under Smart Process Type (`/v1/items/{entityTypeId}`), named by its title on the portal; its
 * pipelines (`/v1/categories/{entityTypeId}`, the default one not 0) and stages (`DYNAMIC_{id}_STAGE_{pipeline}`) as
 * dropdowns and checked before any write; each item sent on its own; Create or Update by a field of the type.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { createSandbox } from '../../../sandbox/server';
import { loadMapperFields, loadNodeOptions, runNode } from '../../../helpers/engine';
import { personal, recordParameters, type RecordInput } from '../../../helpers/fixtures';

const sandbox = createSandbox();
const schemas: Record<string, ResourceMapperField[]> = {};
const ORDERS = 1038;

beforeAll(async () => {
	await sandbox.start();
	for (const operation of ['create', 'update', 'upsert'] as const) {
		const { fields } = await loadMapperFields({ parameters: { resource: 'smartProcessItem', smartProcessType: ORDERS, operation }, credentials: personal(sandbox) });
		schemas[operation] = fields;
	}
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

type Input = Omit<RecordInput, 'resource' | 'schema'> & { type?: unknown };
/** Smart Process Item parameters as the editor saves them: the record engine's, with the Smart Process Type. */
const item = ({ type = ORDERS, ...input }: Input): IDataObject => ({
	...recordParameters({ resource: 'smartProcessItem', schema: schemas[input.operation] ?? schemas.create, ...input }),
	smartProcessType: type as number,
});
const requests = () => sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
const orders = () => sandbox.recordsOf('dynamic_1038');

describe('the editor', () => {
	test('Smart Process Type lists the portal\'s smart processes by title, valued by their entityTypeId', async () => {
		const options = await loadNodeOptions('getSmartProcessTypes', { parameters: { resource: 'smartProcessItem' }, credentials: personal(sandbox) });
		expect(options).toEqual([
			{ name: 'Orders (1038)', value: 1038 },
			{ name: 'Service requests (1042)', value: 1042 },
		]);
		expect(requests()).toEqual(['GET /v1/smart-processes 200']);
	});

	test('Pipeline lists the chosen type\'s pipelines; Stage its stages, of the chosen pipeline or of every pipeline named by it', async () => {
		const parameters = { resource: 'smartProcessItem', smartProcessType: ORDERS, operation: 'create' };
		expect(await loadNodeOptions('getPipelinesOptional', { parameters, credentials: personal(sandbox) })).toEqual([
			{ name: '(Not Set)', value: '' },
			{ name: 'Retail', value: 7 },
			{ name: 'Wholesale', value: 9 },
		]);
		const all = await loadNodeOptions('getStagesOptional', { parameters, credentials: personal(sandbox) });
		expect(all.map(({ name }) => name)).toEqual([
			'(Not Set)',
			'Retail: New order (DT1038_7:NEW)',
			'Retail: Packing (DT1038_7:PREPARATION)',
			'Retail: Shipped (DT1038_7:CLIENT)',
			'Retail: Delivered (DT1038_7:SUCCESS)',
			'Retail: Cancelled (DT1038_7:FAIL)',
			'Wholesale: New (DT1038_9:NEW)',
			'Wholesale: Fulfilled (DT1038_9:SUCCESS)',
			'Wholesale: Cancelled (DT1038_9:FAIL)',
		]);
		const wholesale = await loadNodeOptions('getStagesOptional', { parameters: { ...parameters, pipeline: 9 }, credentials: personal(sandbox) });
		expect(wholesale.map(({ value }) => value)).toEqual(['', 'DT1038_9:NEW', 'DT1038_9:SUCCESS', 'DT1038_9:FAIL']);
	});

	test('the mapper shows the type\'s own fields (its user field too), the dropdowns\' fields left out', async () => {
		const ids = schemas.create.map(({ id }) => id);
		expect(ids).toEqual(expect.arrayContaining(['title', 'opportunity', 'contactId', 'parentId2', 'ufCrm3OrderNumber']));
		expect(ids).not.toEqual(expect.arrayContaining(['stageId']));
		expect(ids).not.toContain('categoryId');
		expect(ids).not.toContain('assignedById');
		expect(schemas.create.find(({ id }) => id === 'ufCrm3OrderNumber')!.displayName).toBe('Order number (ufCrm3OrderNumber)');
	});

	test('without a Smart Process Type the lists say to choose one, nothing sent', async () => {
		await expect(loadMapperFields({ parameters: { resource: 'smartProcessItem', operation: 'create' }, credentials: personal(sandbox) })).rejects.toMatchObject({
			message: expect.stringContaining('Choose the Smart Process Type first'),
		});
		expect(sandbox.requests).toEqual([]);
	});
});

describe('items through the record engine', () => {
	test('create in a stage of another pipeline: the item goes there, proven, one request per item', async () => {
		const { items, error } = await runNode({
			parameters: item({ operation: 'create', values: { title: '={{ $json.order }}', opportunity: '={{ $json.total }}', ufCrm3OrderNumber: '={{ $json.order }}' }, stage: 'DT1038_9:NEW', responsible: 7 }),
			credentials: personal(sandbox),
			input: [
				{ order: 'B-2001', total: 1200 },
				{ order: 'B-2002', total: '99.5' },
			],
		});
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json.title, json.opportunity, json.categoryId, json.stageId, json.assignedById, pairedItem])).toEqual([
			['B-2001', 1200, 9, 'DT1038_9:NEW', 7, { item: 0 }],
			['B-2002', 99.5, 9, 'DT1038_9:NEW', 7, { item: 1 }],
		]);
		// Batch Size is 50 by default: the items pages show no batch call, so each item goes on its own.
		expect(requests()).toEqual([
			'GET /v1/smart-processes 200',
			'GET /v1/items/1038/fields 200',
			'GET /v1/categories/1038 200',
			'GET /v1/users 200',
			'GET /v1/statuses 200',
			'POST /v1/items/1038 201',
			'POST /v1/items/1038 201',
		]);
		expect(orders().map(({ title }) => title)).toEqual(['Order A-1001', 'B-2001', 'B-2002']);
	});

	test('create without a stage: the default pipeline (not 0) and its first stage, as Bitrix24 does', async () => {
		const { items, error } = await runNode({ parameters: item({ operation: 'create', values: { title: 'Plain' } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ title: 'Plain', categoryId: 7, stageId: 'DT1038_7:NEW' });
	});

	test('get, get many by a field of the type, update to a stage (of its pipeline), delete', async () => {
		const got = await runNode({ parameters: item({ operation: 'get', entity: '1' }), credentials: personal(sandbox) });
		expect(got.items![0].json).toMatchObject({ id: 1, title: 'Order A-1001', stageId: 'DT1038_7:NEW', parentId2: 5142 });

		const many = await runNode({
			parameters: item({ operation: 'getMany', returnAll: true, filters: [{ field: 'ufCrm3OrderNumber', value: 'A-1001' }] }),
			credentials: personal(sandbox),
		});
		expect(many.error).toBeUndefined();
		expect(many.items!.map(({ json }) => json.id)).toEqual([1]);

		const moved = await runNode({ parameters: item({ operation: 'update', entity: '1', values: {}, stage: 'DT1038_7:SUCCESS' }), credentials: personal(sandbox) });
		expect(moved.error).toBeUndefined();
		expect(moved.items![0].json).toMatchObject({ id: 1, stageId: 'DT1038_7:SUCCESS', categoryId: 7 });

		const deleted = await runNode({ parameters: item({ operation: 'delete', entity: '1' }), credentials: personal(sandbox) });
		expect(deleted.items!.map(({ json }) => json)).toEqual([{ id: 1, deleted: true }]);
		expect(orders()).toEqual([]);
	});

	test('create or update by the order number: the second run updates the item the first created, nothing twice', async () => {
		const run = async (total: number) =>
			await runNode({
				parameters: item({ operation: 'upsert', values: { ufCrm3OrderNumber: '={{ $json.order }}', title: 'Order C-3001', opportunity: '={{ $json.total }}' }, match: ['ufCrm3OrderNumber'] }),
				credentials: personal(sandbox),
				input: [{ order: 'C-3001', total }, { order: 'C-3001', total: total + 1 }],
			});
		const first = await run(500);
		expect(first.error).toBeUndefined();
		expect(first.items!.map(({ json }) => [json.action, json.opportunity])).toEqual([
			['created', 500],
			['updated', 501],
		]);
		const second = await run(700);
		expect(second.items!.map(({ json }) => json.action)).toEqual(['updated', 'updated']);
		expect(orders().filter(({ ufCrm3OrderNumber }) => ufCrm3OrderNumber === 'C-3001').map(({ opportunity }) => opportunity)).toEqual([701]);
	});

	test('messages name the item by the smart process\'s title', async () => {
		const { error } = await runNode({ parameters: item({ operation: 'get', entity: '999' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('The CRM has no orders 999 [ENTITY_NOT_FOUND]');
	});

	test('a stage of another smart process is refused by label before any write, with the type\'s stages offered', async () => {
		const { error } = await runNode({ parameters: item({ operation: 'create', values: { title: 'X' }, stage: 'DT1042_11:NEW' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Stage "DT1042_11:NEW" is not an orders stage of pipeline "Retail (7)" on this portal');
		expect(error!.description).toContain('"New order (DT1038_7:NEW)"');
		expect(sandbox.requests.filter(({ method }) => method !== 'GET')).toEqual([]);
	});

	test('a pipeline the type lacks is refused by label, naming its pipelines', async () => {
		const { error } = await runNode({ parameters: item({ operation: 'create', values: { title: 'X' }, pipeline: 0 }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Pipeline 0 does not exist on this portal');
		expect(error!.description).toMatch(/^Choose one of: "Retail \(7\)", "Wholesale \(9\)"\./);
		expect(sandbox.requests.filter(({ method }) => method !== 'GET')).toEqual([]);
	});

	test('a Smart Process Type the portal does not have: refused by label, naming the ones it has; bad input refused before any request', async () => {
		const missing = await runNode({ parameters: item({ operation: 'get', entity: '1', type: 1040 }), credentials: personal(sandbox) });
		expect(missing.error!.message).toBe('The portal has no smart process with type ID 1040');
		expect(missing.error!.description).toMatch(/^Choose one of: Orders \(1038\), Service requests \(1042\)\./);
		expect(requests()).toEqual(['GET /v1/smart-processes 200']);

		sandbox.reset();
		const bad = await runNode({ parameters: item({ operation: 'get', entity: '1', type: 'orders' }), credentials: personal(sandbox) });
		expect(bad.error!.message).toBe('Smart Process Type must be a smart process\'s type ID (a whole number); got "orders"');
		expect(sandbox.requests).toEqual([]);
	});

	test('Continue On Fail: the missing item fails alone, the others are read, each paired', async () => {
		const { items } = await runNode({
			parameters: item({ operation: 'get', entity: '={{ $json.id }}' }),
			credentials: personal(sandbox),
			input: [{ id: 1 }, { id: 999 }, { id: 1 }],
			continueOnFail: true,
		});
		expect(items!.map(({ json, pairedItem }) => [json.id ?? json.error, pairedItem])).toEqual([
			[1, { item: 0 }],
			['The CRM has no orders 999 [ENTITY_NOT_FOUND]', { item: 1 }],
			[1, { item: 2 }],
		]);
	});
});
