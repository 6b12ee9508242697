/**
 * Other Entity through n8n-core's engine against the sandbox: the same record engine as the CRM resources, for a
 * path the portal lists (GET /v1/me → api.entityApi.entities). Tasks (a field list with UPPER_CASE twins, required
 * title and responsible person) through create, get, get many, update and delete with the mapper and the proof of
 * writes; departments (no field list, answers in UPPER_CASE) with Map Automatically; a bad path or bad input refused
 * by label before any request; a key without the task scope; Continue On Fail and pairing; one request per item.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { createSandbox } from '../../../sandbox/server';
import { loadMapperFields, loadNodeOptions, mapperSchema, runNode } from '../../../helpers/engine';
import { personal, recordParameters, startProxy, type RecordInput } from '../../../helpers/fixtures';

const sandbox = createSandbox();
const schemas: Record<string, ResourceMapperField[]> = {};

beforeAll(async () => {
	await sandbox.start();
	const credentials = personal(sandbox);
	for (const operation of ['create', 'update'] as const) {
		const { fields } = await loadMapperFields({ parameters: { resource: 'otherEntity', otherEntity: 'tasks', operation }, credentials });
		schemas[operation] = fields;
	}
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

type Input = Omit<RecordInput, 'resource' | 'schema'> & { path?: unknown };
/** Other Entity parameters as the editor saves them: the record engine's, with the Entity parameter. */
const other = ({ path = 'tasks', ...input }: Input): IDataObject => ({
	...recordParameters({ resource: 'otherEntity', schema: input.operation === 'update' ? schemas.update : schemas.create, ...input }),
	otherEntity: path as string,
});
const requests = () => sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

describe('the editor', () => {
	test('Entity lists the paths /v1/me gives for the key, but the six CRM records, each named from its path', async () => {
		const options = await loadNodeOptions('getOtherEntities', { parameters: { resource: 'otherEntity' }, credentials: personal(sandbox) });
		expect(options).toEqual([
			{ name: 'Department (departments)', value: 'departments' },
			{ name: 'Task (tasks)', value: 'tasks' },
			{ name: 'User (users)', value: 'users' },
		]);
		expect(requests()).toEqual(['GET /v1/me 200']);
	});

	test('a key whose /v1/me lists nothing beyond the CRM: the list says so and how to go on', async () => {
		const failing = loadNodeOptions('getOtherEntities', { parameters: { resource: 'otherEntity' }, credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
		await expect(failing).rejects.toMatchObject({ message: expect.stringContaining('VibeCode lists no entity for this key beyond the CRM records') });
	});

	test('the mapper shows the tasks /fields once per field (no UPPER_CASE twin), the required ones required, read-only ones left out', async () => {
		const ids = schemas.create.map(({ id }) => id);
		// The fields the tasks create, update and fields pages list (and ufCrmTask, a custom field Bitrix24 lists too).
		expect(ids).toEqual(['title', 'description', 'responsibleId', 'createdBy', 'priority', 'status', 'deadline', 'groupId', 'parentId', 'startDatePlan', 'endDatePlan', 'timeEstimate', 'accomplices', 'auditors', 'tags', 'ufCrmTask']);
		expect(schemas.create.filter(({ required }) => required).map(({ id, displayName }) => [id, displayName])).toEqual([
			['title', 'Name (title)'],
			['responsibleId', 'Responsible person (responsibleId)'],
		]);
		// An update needs none of them.
		expect(schemas.update.filter(({ required }) => required)).toEqual([]);
	});

	test('an entity without /fields: no field is made up, and the mapper says to use Map Automatically', async () => {
		const result = await loadMapperFields({ parameters: { resource: 'otherEntity', otherEntity: 'departments', operation: 'create' }, credentials: personal(sandbox) });
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/no field list for departments\. Choose Map Automatically: each input item's keys are sent/);
		// Get Many's field pickers are empty too: the field is then named by expression.
		expect(await loadNodeOptions('getRecordFieldNames', { parameters: { resource: 'otherEntity', otherEntity: 'departments' }, credentials: personal(sandbox) })).toEqual([]);
	});

	test('a bad entity path in the editor is refused by the Entity label, nothing sent', async () => {
		await expect(loadMapperFields({ parameters: { resource: 'otherEntity', otherEntity: '../deals', operation: 'create' }, credentials: personal(sandbox) })).rejects.toMatchObject({
			message: expect.stringContaining('Entity must be an entity path such as tasks'),
		});
		expect(sandbox.requests).toEqual([]);
	});
});

describe('tasks through the record engine', () => {
	test('create: the task as VibeCode answers it, paired with its item, one request per item (no batch call)', async () => {
		const { items, error } = await runNode({
			parameters: other({ operation: 'create', values: { title: '={{ $json.title }}', responsibleId: '={{ $json.who }}', priority: '2' } }),
			credentials: personal(sandbox),
			input: [
				{ title: 'Send the contract', who: 7 },
				{ title: 'Book the venue', who: '1' },
			],
		});
		expect(error).toBeUndefined();
		expect(items!.map(({ json, pairedItem }) => [json.title, json.responsibleId, json.priority, json.createdBy, pairedItem])).toEqual([
			['Send the contract', 7, 2, 1, { item: 0 }],
			['Book the venue', 1, 2, 1, { item: 1 }],
		]);
		// Batch Size is 50 by default: Other Entity still sends each item on its own.
		expect(requests()).toEqual(['GET /v1/tasks/fields 200', 'POST /v1/tasks 201', 'POST /v1/tasks 201']);
		expect(sandbox.othersOf('tasks').map(({ title }) => title)).toEqual(['Call Acme about the renewal', 'Send the contract', 'Book the venue']);
	});

	test('get, get many with a filter and a sort, update and delete', async () => {
		const got = await runNode({ parameters: other({ operation: 'get', entity: '701', options: { batchSize: 50 } }), credentials: personal(sandbox), input: [{}, {}] });
		expect(got.items!.map(({ json, pairedItem }) => [json.id, json.title, pairedItem])).toEqual([
			[701, 'Call Acme about the renewal', { item: 0 }],
			[701, 'Call Acme about the renewal', { item: 1 }],
		]);
		expect(requests()).toEqual(['GET /v1/tasks/701 200', 'GET /v1/tasks/701 200']);

		sandbox.reset();
		await runNode({ parameters: other({ operation: 'create', values: { title: 'Second', responsibleId: 7 } }), credentials: personal(sandbox) });
		const many = await runNode({
			parameters: other({ operation: 'getMany', returnAll: true, filters: [{ field: 'responsibleId', operator: 'equals', value: '7' }], sort: { field: 'id', direction: 'desc' } }),
			credentials: personal(sandbox),
		});
		expect(many.error).toBeUndefined();
		expect(many.items!.map(({ json }) => json.title)).toEqual(['Second']);

		const updated = await runNode({ parameters: other({ operation: 'update', entity: '701', values: { status: '5', description: 'Done by phone' } }), credentials: personal(sandbox) });
		expect(updated.error).toBeUndefined();
		expect(updated.items![0].json).toMatchObject({ id: 701, status: 5, description: 'Done by phone', title: 'Call Acme about the renewal' });

		sandbox.reset();
		const deleted = await runNode({ parameters: other({ operation: 'delete', entity: '701' }), credentials: personal(sandbox) });
		expect(deleted.items!.map(({ json }) => json)).toEqual([{ id: 701, deleted: true }]);
		expect(requests()).toEqual(['DELETE /v1/tasks/701 204']);
		expect(sandbox.othersOf('tasks')).toEqual([]);
	});

	test('a task that does not exist: Bitrix24 has no task N, by the record\'s own words', async () => {
		const { error } = await runNode({ parameters: other({ operation: 'get', entity: '999' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Bitrix24 has no task 999 [ENTITY_NOT_FOUND]');
	});

	test('proof: an answer without a value sent fails the item with WRITE_NOT_APPLIED naming the field by its label', async () => {
		sandbox.configure({ dropOnWrite: ['description'] });
		const { error } = await runNode({ parameters: other({ operation: 'create', values: { title: 'Proof', responsibleId: 1, description: 'Kept?' } }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Task \d+ was created, but Description \(description\) does not hold the value sent \[WRITE_NOT_APPLIED\]$/);
		expect(error!.description).toContain('Description (description): sent "Kept?", stored nothing (VibeCode answered without the field).');
	});

	test('proof: an answer carrying none of the fields sent (only the ID) is read back before it is judged', async () => {
		// A proxy answers each create with the new task's ID alone.
		const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/tasks' && answer.success ? { ...answer, data: { id: (answer.data as IDataObject).id } } : answer));
		try {
			const { items, error } = await runNode({ parameters: other({ operation: 'create', values: { title: 'Read me back', responsibleId: 7 } }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(items![0].json).toMatchObject({ id: expect.any(Number), title: 'Read me back', responsibleId: 7 });
			expect(proxy.sent.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v1/tasks/fields', 'POST /v1/tasks', `GET /v1/tasks/${String(items![0].json.id)}`]);
		} finally {
			await proxy.stop();
		}
	});

	test('proof: the answer\'s UPPER_CASE fields hold the values sent (departments answer NAME for name)', async () => {
		const { items, error } = await runNode({
			parameters: other({ operation: 'create', path: 'departments', values: 'auto' }),
			credentials: personal(sandbox),
			input: [{ name: 'Support', parent: 1 }],
		});
		expect(error).toBeUndefined();
		// Departments answer in Bitrix24's case: the proof reads NAME for name, PARENT for parent.
		expect(items![0].json).toEqual({ ID: expect.stringMatching(/^\d+$/), NAME: 'Support', PARENT: 1 });
		// No read-back: the answer carries the fields sent, by their UPPER_CASE names.
		expect(requests()).toEqual(['GET /v1/departments/fields 404', 'POST /v1/departments 201']);
	});

	test('the key may not use tasks: SCOPE_DENIED in words that name tasks, not the CRM', async () => {
		const { error } = await runNode({ parameters: other({ operation: 'get', entity: '701' }), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
		expect(error!.message).toBe('The key lacks the scope task records need [SCOPE_DENIED]');
		expect(error!.description).toContain("for tasks, both 'task' and 'tasks'");
		expect(error!.description).toContain("VibeCode said: This endpoint requires 'task' scope.");
	});
});

describe('Map Automatically for an entity without /fields', () => {
	test("each input item's keys are sent as the body; a key the entity drops fails its item by name, with Continue On Fail", async () => {
		const { items, error } = await runNode({
			parameters: other({ operation: 'create', path: 'departments', values: 'auto' }),
			credentials: personal(sandbox),
			input: [{ name: 'Support', sort: 300 }, { name: 'Legal', note: 'not a department field' }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items![0]).toMatchObject({ json: { NAME: 'Support', SORT: 300 }, pairedItem: { item: 0 } });
		expect(items![1].pairedItem).toEqual({ item: 1 });
		expect(items![1].json.error).toMatch(/^Department \d+ was created, but note does not hold the value sent \[WRITE_NOT_APPLIED\]$/);
		expect(sandbox.othersOf('departments').map(({ name }) => name)).toEqual(['Sandbox Inc.', 'Sales', 'Support', 'Legal']);
	});

	test('Get Many filters on a field named by expression, and VibeCode refuses one it does not have', async () => {
		const found = await runNode({ parameters: other({ operation: 'getMany', path: 'departments', filters: [{ field: 'parent', value: '1' }] }), credentials: personal(sandbox) });
		expect(found.items!.map(({ json }) => json.NAME)).toEqual(['Sales']);
		const refused = await runNode({ parameters: other({ operation: 'getMany', path: 'departments', filters: [{ field: 'colour', value: 'red' }] }), credentials: personal(sandbox) });
		expect(refused.error!.context?.vibeCode ?? refused.error!.message).toMatch(/INVALID_FILTER_FIELD/);
	});
});

describe('refused before any request', () => {
	test.each([
		['a path with a slash', '../deals'],
		['upper-case letters', 'Tasks'],
		['an empty expression', '={{ "" }}'],
	])('a bad entity path (%s), by the Entity label', async (_label, path) => {
		const { error } = await runNode({ parameters: other({ operation: 'get', entity: '701', path }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Entity (must be an entity path such as tasks or calendar-events|is empty); got/);
		expect(sandbox.requests).toEqual([]);
	});

	test('bad input of one item, by the label; the others are written, each paired (Continue On Fail)', async () => {
		const { items } = await runNode({
			parameters: other({ operation: 'create', values: { title: '={{ $json.title }}', responsibleId: '={{ $json.who }}' } }),
			credentials: personal(sandbox),
			input: [
				{ title: 'Good', who: 7 },
				{ title: 'No one responsible', who: 'Olga' },
				{ title: '', who: 7 },
			],
			continueOnFail: true,
		});
		expect(items!.map(({ json, pairedItem }) => [json.title ?? json.error, pairedItem])).toEqual([
			['Good', { item: 0 }],
			['Responsible person (responsibleId) must be a whole number; got "Olga"', { item: 1 }],
			['Name (title) is required for a new task', { item: 2 }],
		]);
		expect(requests()).toEqual(['GET /v1/tasks/fields 200', 'POST /v1/tasks 201']);
	});

	test('without Continue On Fail, bad input stops the run before anything is written', async () => {
		const { error } = await runNode({
			parameters: other({ operation: 'create', values: { title: '={{ $json.title }}', responsibleId: 7 } }),
			credentials: personal(sandbox),
			input: [{ title: 'Fine' }, { title: '' }],
		});
		expect(error!.message).toBe('Name (title) is required for a new task');
		expect(requests()).toEqual(['GET /v1/tasks/fields 200']);
	});

	test('Record By URL is refused for another entity: the ID is asked for', async () => {
		const { error } = await runNode({
			parameters: other({ operation: 'get', entity: { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/deal/details/5141/' } }),
			credentials: personal(sandbox),
		});
		expect(error!.message).toBe("Record By URL takes a link to a CRM record; give the task's ID instead");
		expect(sandbox.requests).toEqual([]);
	});

	test('an update of a task with a create-only field: VibeCode refuses it, by its own words', async () => {
		const { error } = await runNode({ parameters: other({ operation: 'update', entity: '701', values: { createdBy: 7 } }), credentials: personal(sandbox) });
		expect(error!.description).toContain('createdBy can be set only when the record is created');
	});
});

test('the CRM resources are unchanged: a deal mapper has no Other Entity field in it', async () => {
	const fields = await mapperSchema(personal(sandbox), 'deal', 'create');
	expect(fields.map(({ id }) => id)).not.toContain('stageId');
	expect(fields.map(({ id }) => id)).toContain('title');
});
