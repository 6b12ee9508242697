/**
 * Create or Update (search by the match field, then PATCH the one match or POST a new record) run by n8n-core's
 * WorkflowExecute against the sandbox over real HTTP: every entity type with both key types, 0 / 1 / several
 * matches, two items with the same value in one run, phone and email lists not doubled, bad input, retries.
 */
import type { IDataObject } from 'n8n-workflow';

import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { runNode } from '../../../helpers/engine';
import { recordSuite } from '../../../helpers/recordSuite';
import { askSandbox, KEY_TYPES, personal, recordParameters, type RecordInput } from '../../../helpers/fixtures';

const suite = recordSuite('upsert');
const { sandbox, schemas } = suite;

const path = (resource: string) => `/v1/${entityType(resource)!.path}`;
const upsert = (resource: string, match: string, input: Omit<RecordInput, 'resource' | 'operation' | 'match'> = {}) =>
	recordParameters({ resource, operation: 'upsert', match: [match], schema: schemas[resource], ...input });
const stored = async (resource: string, id: unknown) => (await askSandbox(sandbox, 'GET', `${path(resource)}/${id}`)).data as IDataObject;
const found = async (resource: string, filter: IDataObject) => (await askSandbox(sandbox, 'POST', `${path(resource)}/search`, { filter, limit: 50 })).data as IDataObject[];
const writes = () => sandbox.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH').filter((r) => !r.path.endsWith('/search'));
const log = () => sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

/** Per type: the match field, an item that matches a seeded record (and its ID), and an item that matches none. */
const CASES: Record<string, { match: string; existing: IDataObject; id: number; fresh: IDataObject }> = {
	company: { match: 'title', existing: { title: 'Acme LLC', comments: 'Key account' }, id: 301, fresh: { title: 'Initech', comments: 'New' } },
	contact: { match: 'email', existing: { email: 'ivan.petrov@acme.example', name: 'Ivan', post: 'Chief buyer' }, id: 201, fresh: { email: 'peter@initech.example', name: 'Peter' } },
	deal: { match: 'UF_CRM_ORDER_NUMBER', existing: { UF_CRM_ORDER_NUMBER: 'ORD-1001', title: 'Website redesign', amount: 12500 }, id: 5141, fresh: { UF_CRM_ORDER_NUMBER: 'ORD-3001', title: 'Printer repair' } },
	invoice: { match: 'title', existing: { title: 'Invoice 501 for Globex', opportunity: 2400 }, id: 501, fresh: { title: 'Invoice for Initech', opportunity: 99 } },
	lead: { match: 'email', existing: { email: 'anna.smirnova@mail.example', comments: 'Asked again' }, id: 101, fresh: { email: 'new@mail.example', name: 'New' } },
	quote: { match: 'title', existing: { title: 'Quote for Acme: redesign', amount: 12500 }, id: 401, fresh: { title: 'Quote for Initech', amount: 10 } },
};

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(CASES))('%s: one match is updated, and says so', async (resource, { match, existing, id }) => {
		const { items, error } = await runNode({ parameters: upsert(resource, match, { values: existing }), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items![0].pairedItem).toEqual({ item: 0 });
		const { action, ...record } = items![0].json;
		expect(action).toBe('updated');
		expect(record.id).toBe(id);
		expect(log().slice(1)).toEqual([`POST ${path(resource)}/search 200`, `PATCH ${path(resource)}/${id} 200`]);
		expect(record).toEqual(await stored(resource, id));
	});

	test.each(Object.entries(CASES))('%s: no match, so a record is created, and says so', async (resource, { match, fresh }) => {
		const { items, error } = await runNode({ parameters: upsert(resource, match, { values: fresh }), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		const { action, ...record } = items![0].json;
		expect(action).toBe('created');
		expect(log().slice(1)).toEqual([`POST ${path(resource)}/search 200`, `POST ${path(resource)} 201`]);
		expect(record).toEqual(await stored(resource, record.id));
	});
});

test('the search asks for the match value, two records at most, with the ID and the lists it compares', async () => {
	await runNode({ parameters: upsert('lead', 'email', { values: { email: 'Anna.Smirnova@mail.example', name: 'Anna' } }), credentials: { ...personal(sandbox), baseUrl: suite.proxy.url } });
	const search = suite.proxy.sent.find((r) => r.path.endsWith('/search'))!.body;
	expect(search).toEqual({ filter: { email: 'Anna.Smirnova@mail.example' }, sort: { id: 'asc' }, select: ['id', 'email'], limit: 2, offset: 0, autoWindow: false });
	// Emails compare case-insensitively: Anna's lead is the match.
	expect(suite.proxy.sent.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/v1/leads/101']);
});

test('several matches: an error item with SEVERAL_MATCHES, nothing written', async () => {
	sandbox.createRecord('lead', { title: 'Duplicate', email: 'anna.smirnova@mail.example' });
	sandbox.createRecord('lead', { title: 'Another duplicate', email: 'ANNA.SMIRNOVA@mail.example' });
	const { items, error } = await runNode({
		parameters: upsert('lead', 'email', { values: 'auto' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ email: 'anna.smirnova@mail.example', comments: 'x' }, { email: 'oleg.volkov@mail.example', comments: 'y' }],
	});
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({
		error: '3 leads have Email (email) = "anna.smirnova@mail.example", so the node cannot tell which one to update',
		code: 'SEVERAL_MATCHES',
		itemIndex: 0,
	});
	// The batch's one search found all three.
	expect(items![0].json.description).toMatch(/^Records 101, 10000, 10001 match\. Match on a field whose value is unique/);
	// A search was sent, so not "Nothing was sent": nothing was written.
	expect(items![0].json.description).toMatch(/Nothing was written for this item \(only a search or read was sent\)\.$/);
	expect(items![1].json).toMatchObject({ id: 102, comments: 'y', action: 'updated' });
	expect(writes().map((r) => r.path)).toEqual(['/v1/leads/batch']);
});

test('several matches without Continue On Fail: the run stops with SEVERAL_MATCHES in error.context.vibeCode', async () => {
	sandbox.createRecord('deal', { title: 'Copy', UF_CRM_ORDER_NUMBER: 'ORD-1002' });
	const { items, error } = await runNode({ parameters: upsert('deal', 'UF_CRM_ORDER_NUMBER', { values: { UF_CRM_ORDER_NUMBER: 'ORD-1002', title: 'T' } }), credentials: personal(sandbox) });
	expect(items).toBeUndefined();
	expect(error!.context!.vibeCode).toBe('SEVERAL_MATCHES');
	expect(error!.message).toBe('2 deals have Order number (UF_CRM_ORDER_NUMBER) = "ORD-1002", so the node cannot tell which one to update');
	expect(error!.context!.itemIndex).toBe(0);
	expect(writes()).toEqual([]);
});

test('two items with the same email in one run: one create, then one update, never two creates', async () => {
	const { items } = await runNode({
		parameters: upsert('lead', 'email', { values: 'auto', options: { maxParallel: 2 } }),
		credentials: personal(sandbox),
		input: [
			{ email: 'twice@mail.example', name: 'First', phone: '+1 555 0101' },
			{ email: 'TWICE@mail.example', name: 'Second', phone: '+1 555 0102' },
			{ email: 'other@mail.example', name: 'Other' },
		],
	});
	expect(items!.map(({ json }) => [json.action, json.name])).toEqual([
		['created', 'First'],
		['updated', 'Second'],
		['created', 'Other'],
	]);
	expect(items![1].json.id).toBe(items![0].json.id);
	// Round one creates First and Other in one batch; round two updates the record First created.
	expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/leads/batch', 'POST /v1/leads/batch']);
	const leads = await found('lead', { email: 'twice@mail.example' });
	expect(leads).toHaveLength(1);
	expect((leads[0].email as IDataObject[]).map((entry) => entry.value)).toEqual(['twice@mail.example']);
	expect((leads[0].phone as IDataObject[]).map((entry) => entry.value)).toEqual(['+1 555 0101', '+1 555 0102']);
});

test('an update does not list the matched email or a known phone twice; a new phone is added', async () => {
	const { items } = await runNode({
		parameters: upsert('lead', 'email', { values: { email: 'anna.smirnova@mail.example', phone: '+15550100101, +1 555 0199' } }),
		credentials: { ...personal(sandbox), baseUrl: suite.proxy.url },
	});
	expect(suite.proxy.sent.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([{ phone: [{ value: '+1 555 0199', typeId: 'WORK' }] }]);
	expect((items![0].json.email as IDataObject[]).map((entry) => entry.value)).toEqual(['anna.smirnova@mail.example']);
	expect((items![0].json.phone as IDataObject[]).map((entry) => entry.value)).toEqual(['+15550100101', '+1 555 0199']);
});

test('an item that repeats what the record has: no change is sent; the record comes back as it is', async () => {
	const { items } = await runNode({ parameters: upsert('lead', 'email', { values: { email: 'Oleg.Volkov@mail.example' } }), credentials: personal(sandbox) });
	expect(items![0].json).toMatchObject({ id: 102, action: 'updated' });
	expect(log().slice(1)).toEqual(['POST /v1/leads/search 200', 'GET /v1/leads/102 200']);
});

test('match on a custom field: the order number finds the deal; pipeline and stage are set by the dropdowns', async () => {
	const { items } = await runNode({
		parameters: upsert('deal', 'UF_CRM_ORDER_NUMBER', { values: { UF_CRM_ORDER_NUMBER: '={{ $json.order }}', title: 'Annual support contract', amount: '={{ $json.paid }}' }, stage: 'WON' }),
		credentials: personal(sandbox),
		input: [{ order: 'ORD-1002', paid: 4800 }],
	});
	expect(items![0].json).toMatchObject({ id: 5142, amount: 4800, stageId: 'WON', action: 'updated' });
});

describe('bad input fails its item before anything is sent', () => {
	test('no field to match on', async () => {
		const { error } = await runNode({ parameters: recordParameters({ resource: 'lead', operation: 'upsert', schema: schemas.lead, values: { email: 'a@mail.example' } }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Create or Update needs a field to match on');
		expect(sandbox.requests).toEqual([]);
	});

	test('no value for the match field', async () => {
		const { error } = await runNode({ parameters: upsert('lead', 'email', { values: 'auto' }), credentials: personal(sandbox), input: [{ email: 'a@mail.example' }, { name: 'No email' }] });
		expect(error!.message).toBe('Create or Update matches on email, but the item has no value for it');
		expect(error!.context!.itemIndex).toBe(1);
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/v1/leads/fields']);
	});

	test.each([
		['a required field missing', 'contact', 'email', [{ email: 'x@mail.example' }], 'First name (name) is required for a new contact'],
		['a bad email', 'lead', 'email', [{ email: 'not-an-email' }], 'Email (email) is not an email address; got "not-an-email"'],
		['a number field given text', 'deal', 'UF_CRM_ORDER_NUMBER', [{ UF_CRM_ORDER_NUMBER: 'ORD-1', title: 'T', amount: 'free' }], 'Amount (amount) must be a number; got "free"'],
		['an unknown enumeration choice', 'deal', 'UF_CRM_ORDER_NUMBER', [{ UF_CRM_ORDER_NUMBER: 'ORD-1', title: 'T', UF_CRM_DELIVERY_TYPE: 'Drone' }], 'Delivery type (UF_CRM_DELIVERY_TYPE) has no choice "Drone"'],
	])('%s', async (_label, resource, match, input, message) => {
		const { error } = await runNode({ parameters: upsert(resource, match, { values: 'auto' }), credentials: personal(sandbox), input });
		expect(error!.message).toBe(message);
		expect(error!.context!.itemIndex).toBe(0);
		expect(sandbox.requests.map((r) => r.path)).toEqual([`${path(resource)}/fields`]);
	});

	test('an unknown stage', async () => {
		const { error } = await runNode({ parameters: upsert('lead', 'email', { values: { email: 'a@mail.example' }, stage: 'WON' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Status "WON" is not a lead status on this portal');
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/v1/leads/fields', '/v1/statuses']);
	});

	test('continue on fail: one error item per bad input, the rest go on', async () => {
		const { items } = await runNode({
			parameters: upsert('contact', 'email', { values: 'auto' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ email: 'bad', name: 'A' }, { email: 'ivan.petrov@acme.example', name: 'Ivan', post: 'Buyer 2' }, { email: 'new@x.example' }, { email: 'new@y.example', name: 'B' }],
		});
		expect(items!.map((item) => item.json.error ?? item.json.action)).toEqual([
			'Email (email) is not an email address; got "bad"',
			'updated',
			'First name (name) is required for a new contact',
			'created',
		]);
		expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});
});

describe('retries', () => {
	test('the create\'s answer is lost: not sent again, whatever the options say', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/leads', afterProcessing: true });
		const { error } = await runNode({ parameters: upsert('lead', 'email', { values: { email: 'lost@mail.example' }, options: { retryUnknownOutcome: true } }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('CONNECTION_RESET');
		expect(error!.description).toMatch(/may already have been created/);
		expect(writes().map((r) => r.status)).toEqual(['reset']);
		expect(await found('lead', { email: 'lost@mail.example' })).toHaveLength(1);
	});

	test('the search and the update are sent again after a lost answer', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/leads/search' });
		sandbox.addFault({ kind: 'reset', method: 'PATCH', path: '/v1/leads/102', afterProcessing: true });
		const { items, error } = await runNode({ parameters: upsert('lead', 'email', { values: { email: 'oleg.volkov@mail.example', comments: 'Again' } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ id: 102, comments: 'Again', action: 'updated' });
		expect(log().slice(1)).toEqual(['POST /v1/leads/search reset', 'POST /v1/leads/search 200', 'PATCH /v1/leads/102 reset', 'PATCH /v1/leads/102 200']);
	});

	test('a 429 on the create is waited out; one record', async () => {
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/companies', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items } = await runNode({ parameters: upsert('company', 'title', { values: { title: 'Initech' } }), credentials: personal(sandbox) });
		expect(items![0].json.action).toBe('created');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(writes().map((r) => r.status)).toEqual([429, 201]);
		expect(await found('company', { title: 'Initech' })).toHaveLength(1);
	});
});

test('a matched deal given a stage of another pipeline (no Pipeline set) is refused after the search: nothing written', async () => {
	const { error } = await runNode({
		parameters: upsert('deal', 'UF_CRM_ORDER_NUMBER', { values: { UF_CRM_ORDER_NUMBER: 'ORD-1002', title: 'Annual support contract' }, stage: 'C1:WON' }),
		credentials: personal(sandbox),
	});
	expect(error!.message).toBe('Stage "C1:WON" is in pipeline "Wholesale (1)", but deal 5142 is in pipeline "General (0)"');
	expect(error!.description).toMatch(/Nothing was written for this item/);
	// The search asked for the deal's pipeline, so the deal was not read again.
	expect(sandbox.requests.filter((r) => r.path.startsWith('/v1/deals/5142'))).toEqual([]);
	expect(writes()).toEqual([]);
});
