/**
 * Task → Create, Get, Get Many, Update, Delete through n8n-core's engine against the sandbox: the record engine for
 * a RECORD_TYPES entry (helpers/entities.ts). The mapper from /v1/tasks/fields without the responsible person (a
 * dropdown of its own, sent as responsibleId), CRM Records sent as Bitrix24's short codes (ufCrmTask), writes proven,
 * bad input refused by label before any request, one request per item, Continue On Fail and pairing.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { createSandbox } from '../../../sandbox/server';
import { loadMapperFields, loadNodeOptions, runNode } from '../../../helpers/engine';
import { personal, recordParameters, type RecordInput } from '../../../helpers/fixtures';

const sandbox = createSandbox();
const schemas: Record<string, ResourceMapperField[]> = {};

beforeAll(async () => {
	await sandbox.start();
	for (const operation of ['create', 'update'] as const) {
		schemas[operation] = (await loadMapperFields({ parameters: { resource: 'task', operation }, credentials: personal(sandbox) })).fields;
	}
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

type Input = Omit<RecordInput, 'resource' | 'schema'> & { crmRecords?: Array<{ entityType: string; id: unknown }> };
const task = ({ crmRecords, ...input }: Input): IDataObject => ({
	...recordParameters({ resource: 'task', schema: schemas[input.operation] ?? schemas.create, ...input }),
	...(crmRecords ? { crmRecords: { records: crmRecords as unknown as IDataObject[] } } : {}),
});
const requests = () => sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
const tasks = () => sandbox.othersOf('tasks');

test('the mapper: the task fields once each, the responsible person left to its dropdown, the title required', async () => {
	const ids = schemas.create.map(({ id }) => id);
	expect(ids).toEqual(expect.arrayContaining(['title', 'description', 'deadline', 'priority', 'accomplices', 'auditors', 'groupId']));
	expect(ids).not.toContain('responsibleId');
	expect(ids).not.toContain('RESPONSIBLE_ID');
	expect(schemas.create.filter(({ required }) => required).map(({ id }) => id)).toEqual(['title']);
	// The Responsible Person dropdown lists the portal's users.
	const users = await loadNodeOptions('getUsersOptional', { parameters: { resource: 'task', operation: 'create' }, credentials: personal(sandbox) });
	expect(users.map(({ value }) => value)).toEqual(['', 1, 7]);
});

test('create: responsible from the dropdown, the deal and lead it belongs to, proven; one request per item', async () => {
	const { items, error } = await runNode({
		parameters: task({
			operation: 'create',
			values: { title: '={{ $json.title }}', deadline: '2026-12-10T18:00:00+03:00', accomplices: '1, 7' },
			responsible: '={{ $json.manager }}',
			crmRecords: [
				{ entityType: 'deal', id: '={{ $json.deal }}' },
				{ entityType: 'lead', id: '101' },
			],
		}),
		credentials: personal(sandbox),
		input: [
			{ title: 'Call about the payment', manager: 7, deal: 5141 },
			{ title: 'Send the invoice', manager: 1, deal: 5142 },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map(({ json, pairedItem }) => [json.title, json.responsibleId, json.ufCrmTask, json.accomplices, pairedItem])).toEqual([
		['Call about the payment', 7, ['D_5141', 'L_101'], [1, 7], { item: 0 }],
		['Send the invoice', 1, ['D_5142', 'L_101'], [1, 7], { item: 1 }],
	]);
	expect(requests().filter((r) => r.startsWith('POST'))).toEqual(['POST /v1/tasks 201', 'POST /v1/tasks 201']);
	expect(tasks().slice(-2).map(({ responsibleId, ufCrmTask }) => [responsibleId, ufCrmTask])).toEqual([
		[7, ['D_5141', 'L_101']],
		[1, ['D_5142', 'L_101']],
	]);
});

test('get, get many by responsible, update (the CRM Records replace the task\'s), delete', async () => {
	const got = await runNode({ parameters: task({ operation: 'get', entity: '701' }), credentials: personal(sandbox) });
	expect(got.items![0].json).toMatchObject({ id: 701, title: 'Call Acme about the renewal' });

	const many = await runNode({ parameters: task({ operation: 'getMany', returnAll: true, filters: [{ field: 'responsibleId', value: '1' }] }), credentials: personal(sandbox) });
	expect(many.error).toBeUndefined();
	expect(many.items!.map(({ json }) => json.id)).toContain(701);

	const updated = await runNode({ parameters: task({ operation: 'update', entity: '701', values: {}, responsible: 7, crmRecords: [{ entityType: 'company', id: 301 }] }), credentials: personal(sandbox) });
	expect(updated.error).toBeUndefined();
	expect(updated.items![0].json).toMatchObject({ id: 701, responsibleId: 7, ufCrmTask: ['CO_301'] });

	const deleted = await runNode({ parameters: task({ operation: 'delete', entity: '701' }), credentials: personal(sandbox) });
	expect(deleted.items!.map(({ json }) => json)).toEqual([{ id: 701, deleted: true }]);
	expect(tasks().map(({ id }) => id)).not.toContain(701);
});

test('bad input refused by label before any write: a CRM record ID, a responsible person not on the portal', async () => {
	const badLink = await runNode({ parameters: task({ operation: 'create', values: { title: 'X' }, responsible: 1, crmRecords: [{ entityType: 'deal', id: 'abc' }] }), credentials: personal(sandbox) });
	expect(badLink.error!.message).toBe('CRM Records: Record ID of deal 1 must be a positive whole number; got "abc"');
	expect(sandbox.requests).toEqual([]);

	const nobody = await runNode({ parameters: task({ operation: 'create', values: { title: 'X' } }), credentials: personal(sandbox) });
	expect(nobody.error!.message).toBe('Responsible Person is required for a new task');
	expect(sandbox.requests.filter(({ method }) => method !== 'GET')).toEqual([]);

	const stranger = await runNode({ parameters: task({ operation: 'create', values: { title: 'X' }, responsible: 4242 }), credentials: personal(sandbox) });
	expect(stranger.error!.message).toBe('Responsible Person 4242 is not a user of this portal');
	expect(sandbox.requests.filter(({ method }) => method !== 'GET')).toEqual([]);
});

test('a task that does not exist, Continue On Fail: that item fails alone, in the task\'s words, each paired', async () => {
	const { items } = await runNode({ parameters: task({ operation: 'get', entity: '={{ $json.id }}' }), credentials: personal(sandbox), input: [{ id: 701 }, { id: 999 }], continueOnFail: true });
	expect(items!.map(({ json, pairedItem }) => [json.id ?? json.error, pairedItem])).toEqual([
		[701, { item: 0 }],
		['Bitrix24 has no task 999 [ENTITY_NOT_FOUND]', { item: 1 }],
	]);
});
