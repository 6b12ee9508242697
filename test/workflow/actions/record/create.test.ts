/**
 * Create (POST /v1/{entity}) run by n8n-core's WorkflowExecute against the sandbox over real HTTP: every entity
 * type with both key types, the field mapper in both modes and every field type, the pipeline / stage / responsible
 * dropdowns, bad input before anything is sent, Continue On Fail, and a create that is never sent twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { runNode } from '../../../helpers/engine';
import { recordSuite } from '../../../helpers/recordSuite';
import { askSandbox, KEY_TYPES, personal, recordParameters, type RecordInput } from '../../../helpers/fixtures';

const suite = recordSuite('create');
const { sandbox, schemas } = suite;

const path = (resource: string) => `/v1/${entityType(resource)!.path}`;
const create = (resource: string, input: Omit<RecordInput, 'resource' | 'operation'> = {}) =>
	recordParameters({ resource, operation: 'create', schema: schemas[resource], ...input });
/** Requests that change something: every one but reads (GET) and searches. */
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/search'));
/** The fields of each record the node sent to be created (through the recording proxy), one by one or in a batch. */
const createdFields = () =>
	suite.proxy.sent
		.filter((r) => r.method === 'POST' && !r.path.endsWith('/search'))
		.flatMap((r) => (r.path.endsWith('/batch') ? ((r.body as IDataObject).items as IDataObject[]) : [r.body as IDataObject]));
const viaProxy = () => ({ ...personal(sandbox), baseUrl: suite.proxy.url });
const countOf = async (resource: string, filter: IDataObject) => (await askSandbox(sandbox, 'POST', `${path(resource)}/search`, { filter, limit: 50 })).total;

const NEW_RECORDS: Record<string, IDataObject> = {
	company: { title: 'Initech', UF_CRM_TAX_ID: 'TX-1' },
	contact: { name: 'Peter', lastName: 'Gibbons' },
	deal: { title: 'Printer repair', amount: 500 },
	invoice: { title: 'Invoice for Initech' },
	lead: { title: 'Web form: demo' },
	quote: { title: 'Quote for Initech' },
};

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(NEW_RECORDS))('creates: %s, the record as VibeCode returns it, paired with its item', async (resource, values) => {
		const { items, error } = await runNode({ parameters: create(resource, { values }), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items![0].pairedItem).toEqual({ item: 0 });
		const record = items![0].json;
		expect(record).toMatchObject({ id: expect.any(Number), ...values, createdBy: 1 });
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${path(resource)}/fields 200`, `POST ${path(resource)} 201`]);
		expect((await askSandbox(sandbox, 'GET', `${path(resource)}/${record.id}`)).data).toEqual(record);
	});
});

test('one output item per input item, in order, each paired with its input; the fields are read once', async () => {
	const { items } = await runNode({
		parameters: create('deal', { values: { title: '={{ $json.name }}', amount: '={{ $json.total }}' } }),
		credentials: personal(sandbox),
		input: [
			{ name: 'First', total: 1 },
			{ name: 'Second', total: '2.5' },
			{ name: 'Third', total: 3 },
		],
	});
	expect(items!.map(({ json, pairedItem }) => [json.title, json.amount, pairedItem])).toEqual([
		['First', 1, { item: 0 }],
		['Second', 2.5, { item: 1 }],
		['Third', 3, { item: 2 }],
	]);
	expect(new Set(items!.map(({ json }) => json.id)).size).toBe(3);
	expect(sandbox.requests.filter((r) => r.path.endsWith('/fields'))).toHaveLength(1);
});

describe('field mapping: every field type as the node sends it', () => {
	test('Map Each Field Below: text, numbers, whole numbers, record IDs, boolean, date, enumeration ID, lists, custom fields', async () => {
		const { items, error } = await runNode({
			parameters: create('deal', {
				values: {
					title: 'Typed deal',
					amount: '={{ "1250.50" }}',
					probability: 40,
					companyId: '={{ 301 }}',
					opened: true,
					closedAt: '2026-12-31',
					comments: '={{ 42 }}',
					observers: '1, 7',
					UF_CRM_ORDER_NUMBER: 'ORD-2001',
					UF_CRM_DELIVERY_TYPE: '42',
					sourceDescription: '',
				},
			}),
			credentials: viaProxy(),
		});
		expect(error).toBeUndefined();
		expect(createdFields()).toEqual([
			{
				title: 'Typed deal',
				amount: 1250.5,
				probability: 40,
				companyId: 301,
				opened: true,
				closedAt: '2026-12-31',
				comments: '42',
				observers: [1, 7],
				UF_CRM_ORDER_NUMBER: 'ORD-2001',
				UF_CRM_DELIVERY_TYPE: '42',
			},
		]);
		expect(items![0].json).toMatchObject({ amount: 1250.5, UF_CRM_DELIVERY_TYPE: '42', UF_CRM_ORDER_NUMBER: 'ORD-2001', observers: [1, 7] });
	});

	test('phone and email as text or a list separated by commas become [{ value, typeId: WORK }]; a char field gets Y/N', async () => {
		const { items, error } = await runNode({
			parameters: create('lead', {
				values: { title: 'Call back', name: 'Anna', phone: '+1 555 0100', email: 'anna@mail.example, anna@home.example', opened: true, amount: 99, UF_CRM_CAMPAIGN: 'Spring' },
			}),
			credentials: viaProxy(),
		});
		expect(error).toBeUndefined();
		expect(createdFields()).toEqual([
			{
				title: 'Call back',
				name: 'Anna',
				phone: [{ value: '+1 555 0100', typeId: 'WORK' }],
				email: [
					{ value: 'anna@mail.example', typeId: 'WORK' },
					{ value: 'anna@home.example', typeId: 'WORK' },
				],
				opened: 'Y',
				amount: 99,
				UF_CRM_CAMPAIGN: 'Spring',
			},
		]);
		// VibeCode keeps each entry with an ID of its own.
		expect(items![0].json.email).toEqual([
			{ id: expect.any(Number), value: 'anna@mail.example', typeId: 'WORK' },
			{ id: expect.any(Number), value: 'anna@home.example', typeId: 'WORK' },
		]);
	});

	test('a list from an expression, and a date field of a contact', async () => {
		const { error } = await runNode({
			parameters: create('contact', { values: { name: 'Ivan', phone: '={{ $json.phones }}', birthdate: '1990-05-17', export: false } }),
			credentials: viaProxy(),
			input: [{ phones: ['+1 555 0101', { value: '+1 555 0102', typeId: 'MOBILE' }] }],
		});
		expect(error).toBeUndefined();
		expect(createdFields()).toEqual([
			{
				name: 'Ivan',
				phone: [
					{ value: '+1 555 0101', typeId: 'WORK' },
					{ value: '+1 555 0102', typeId: 'MOBILE' },
				],
				birthdate: '1990-05-17',
				export: 'N',
			},
		]);
	});

	test('Map Automatically: the input item\'s keys that are fields; labels of enumerations; unknown, read-only and dropdown keys ignored', async () => {
		const { items, error } = await runNode({
			parameters: create('deal', { values: 'auto' }),
			credentials: viaProxy(),
			input: [
				{ title: 'Auto one', amount: '99.5', opened: 'Y', UF_CRM_DELIVERY_TYPE: 'Pickup', customer: 'ignored', id: 5, createdAt: '2020-01-01', stageId: 'WON' },
				{ title: 'Auto two', UF_CRM_DELIVERY_TYPE: 43, closedAt: '2026-12-31T17:00:00+03:00', observers: [7] },
			],
		});
		expect(error).toBeUndefined();
		expect(createdFields()).toEqual([
			{ title: 'Auto one', amount: 99.5, opened: true, UF_CRM_DELIVERY_TYPE: '42' },
			{ title: 'Auto two', UF_CRM_DELIVERY_TYPE: '43', closedAt: '2026-12-31', observers: [7] },
		]);
		// The stage key of the input is not the Stage dropdown: the deal starts at the pipeline's first stage.
		expect(items![0].json.stageId).toBe('NEW');
	});

	test('Map Automatically: phone and email of a lead from the form\'s text, a list and a comma list', async () => {
		await runNode({
			parameters: create('lead', { values: 'auto' }),
			credentials: viaProxy(),
			input: [{ name: 'Oleg', email: 'oleg@mail.example', phone: ['+1 555 0103', '+1 555 0104'], opened: 'N' }, { title: 'Two mails', email: 'a@mail.example;b@mail.example' }],
		});
		expect(createdFields()).toEqual([
			{ name: 'Oleg', email: [{ value: 'oleg@mail.example', typeId: 'WORK' }], phone: [{ value: '+1 555 0103', typeId: 'WORK' }, { value: '+1 555 0104', typeId: 'WORK' }], opened: 'N' },
			{ title: 'Two mails', email: [{ value: 'a@mail.example', typeId: 'WORK' }, { value: 'b@mail.example', typeId: 'WORK' }] },
		]);
	});
});

describe('pipeline, stage or status, responsible person', () => {
	test.each([
		['deal', { pipeline: 1, stage: 'C1:NEGOTIATION', responsible: 7 }, { categoryId: 1, stageId: 'C1:NEGOTIATION', assignedById: 7 }],
		['deal', { pipeline: 0, stage: 'WON' }, { categoryId: 0, stageId: 'WON' }],
		['deal', { stage: 'WON' }, { stageId: 'WON' }],
		// A stage of pipeline 1 without the pipeline: the deal goes to pipeline 1.
		['deal', { stage: 'C1:NEW' }, { categoryId: 1, stageId: 'C1:NEW' }],
		['deal', { stage: '={{ "C1:WON" }}', responsible: '={{ "7" }}' }, { categoryId: 1, stageId: 'C1:WON', assignedById: 7 }],
		['lead', { stage: 'IN_PROCESS', responsible: 7 }, { statusId: 'IN_PROCESS', assignedById: 7 }],
		['quote', { stage: 'SENT' }, { stageId: 'SENT' }],
		['invoice', { stage: 'DT31_2:P' }, { stageId: 'DT31_2:P' }],
		['contact', { responsible: 7, stage: 'WON' }, { assignedById: 7 }],
	] as const)('%s %j', async (resource, dropdowns, sent) => {
		const values = resource === 'contact' ? { name: 'N' } : { title: 'T' };
		const { items, error } = await runNode({ parameters: create(resource, { values, ...dropdowns }), credentials: viaProxy() });
		expect(error).toBeUndefined();
		expect(createdFields()[0]).toEqual({ ...values, ...sent });
		expect(items![0].json).toMatchObject(sent);
		// The stages are read once, only when a stage is set.
		expect(sandbox.requests.filter((r) => r.path === '/v1/statuses')).toHaveLength('stage' in dropdowns && resource !== 'contact' ? 1 : 0);
	});

	test.each([
		[
			'deal',
			{ pipeline: 0, stage: 'C1:NEW' },
			'Stage "C1:NEW" is not a deal stage of pipeline "General (0)" on this portal',
			/use one of: "New \(NEW\)", "Preparing documents \(PREPARATION\)", "In progress \(EXECUTING\)", "Deal won \(WON\)", "Deal lost \(LOSE\)"\. To move a deal to another pipeline, set Pipeline/,
		],
		// A stage without a pipeline prefix is looked up in pipeline 0's list only.
		['deal', { stage: 'SHIPPED' }, 'Stage "SHIPPED" is not a deal stage of pipeline "General (0)" on this portal', /use one of: "New \(NEW\)", .*"Deal lost \(LOSE\)"\. To/],
		['deal', { stage: 'C7:NEW' }, 'Stage "C7:NEW" is not a deal stage of pipeline 7 on this portal', /^Choose the stage from the list\. To move/],
		['lead', { stage: 'WON' }, 'Status "WON" is not a lead status on this portal', /use one of: "Unassigned \(NEW\)", "In progress \(IN_PROCESS\)", "Good lead \(CONVERTED\)", "Junk lead \(JUNK\)"\./],
		['quote', { stage: 'NEW' }, 'Stage "NEW" is not a quote stage on this portal', /"New \(DRAFT\)", "Sent to client \(SENT\)"/],
		['invoice', { stage: 'WON' }, 'Stage "WON" is not an invoice stage on this portal', /"New \(DT31_2:N\)"/],
	] as const)('an unknown stage is refused before anything is written: %s %j', async (resource, dropdowns, message, hint) => {
		const { items, error } = await runNode({
			parameters: create(resource, { values: { title: 'T' }, ...dropdowns }),
			credentials: personal(sandbox),
			input: [{}, {}],
		});
		expect(items).toBeUndefined();
		expect(error!.message).toBe(message);
		expect(error!.description).toMatch(hint);
		expect(error!.context!.itemIndex).toBe(0);
		expect(writes()).toEqual([]);
	});

	test('a pipeline the portal does not have is refused before anything is written, naming the pipelines there are', async () => {
		const { error } = await runNode({ parameters: create('deal', { values: { title: 'T' }, pipeline: 5 }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('INVALID_PARAMETER');
		expect(error!.message).toBe('Pipeline 5 does not exist on this portal');
		expect(error!.description).toMatch(/^Choose one of: "General \(0\)", "Wholesale \(1\)"\. Nothing was sent for this item\.$/);
		expect(writes()).toEqual([]);
	});

	test.each([
		['responsible', 'Olga', 'Responsible Person must be a whole number above 0; got "Olga"'],
		['responsible', '0', 'Responsible Person must be a whole number above 0; got "0"'],
		['pipeline', 'Wholesale', 'Pipeline must be a whole number; got "Wholesale"'],
	])('%s %j from an expression is refused before any request', async (name, value, message) => {
		const { error } = await runNode({
			parameters: create('deal', { values: { title: 'T' }, [name]: '={{ $json.value }}' }),
			credentials: personal(sandbox),
			input: [{ value: 7 }, { value }],
		});
		expect(error!.message).toBe(message);
		expect(error!.context!.itemIndex).toBe(1);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('bad input fails its item before anything is sent, naming the field and the item', () => {
	test.each([
		['a required field missing (mapped automatically)', 'deal', { values: 'auto' }, [{ amount: 5 }], 'Deal name (title) is required for a new deal'],
		['a required field empty', 'contact', { values: { name: '={{ $json.name }}' } }, [{ name: 'Ivan' }, { name: '  ' }], 'First name (name) is required for a new contact'],
		['a required field missing in the second item', 'company', { values: 'auto' }, [{ title: 'Acme' }, { name: 'Acme' }], 'Company name (title) is required for a new company'],
		['text in a number field (mapped automatically)', 'deal', { values: 'auto' }, [{ title: 'T', amount: 'a lot' }], 'Amount (amount) must be a number; got "a lot"'],
		// The mapper shows number fields as text boxes (n8n's number box fills in 0), so the node checks them itself.
		['text in a number field (mapped below)', 'deal', { values: { title: 'T', amount: '={{ $json.value }}' } }, [{ value: 7 }, { value: 'a lot' }], 'Amount (amount) must be a number; got "a lot"'],
		['a decimal in a whole-number field', 'deal', { values: 'auto' }, [{ title: 'T', probability: 4.5 }], 'Probability, % (probability) must be a whole number; got 4.5'],
		['an unknown enumeration choice (mapped automatically)', 'deal', { values: 'auto' }, [{ title: 'T', UF_CRM_DELIVERY_TYPE: 'Drone' }], 'Delivery type (UF_CRM_DELIVERY_TYPE) has no choice "Drone"'],
		['a bad email', 'lead', { values: { email: '={{ $json.email }}' } }, [{ email: 'anna@mail.example' }, { email: 'anna.mail.example' }], 'Email (email) is not an email address; got "anna.mail.example"'],
		['a bad email in a list', 'contact', { values: 'auto' }, [{ name: 'I', email: ['ivan@acme.example', 'ivan at home'] }], 'Email (email) is not an email address; got "ivan at home"'],
		['not a date', 'contact', { values: 'auto' }, [{ name: 'I', birthdate: 'last spring' }], 'Date of birth (birthdate) must be a date; got "last spring"'],
		['a read-only field mapped below', 'deal', { values: { title: 'T', createdAt: '2026-01-01' } }, [{}], 'Created on (createdAt) is read-only'],
		['a field the portal does not have', 'deal', { values: { title: 'T', UF_CRM_GONE: 'x' } }, [{}], 'The deal has no field "UF_CRM_GONE"'],
	] as const)('%s', async (_label, resource, input, items, message) => {
		const result = await runNode({ parameters: create(resource, input as Omit<RecordInput, 'resource' | 'operation'>), credentials: personal(sandbox), input: [...items] as IDataObject[] });
		expect(result.items).toBeUndefined();
		expect(result.error!.message).toBe(message);
		expect(result.error!.context!.itemIndex).toBe(items.length - 1);
		expect(result.error!.context!.vibeCode).toBe('INVALID_PARAMETER');
		expect(result.error!.description).toMatch(/Nothing was sent for this item\.$/);
		// The portal's field list is read; nothing is written, not even the good items.
		expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${path(resource)}/fields`]);
	});

	// n8n itself checks a value mapped below against the field's type before the node reads it (a literal bad
	// value, or a required field left out, already stops the workflow in the editor); from an expression it fails
	// the item at run time, naming the field by its API name ("Invalid input for 'amount' [item 1]"). The node says
	// it with the mapper's label and what to do. An enumeration mapped below therefore takes the choice's ID.
	test.each([
		['an enumeration choice by label', { UF_CRM_DELIVERY_TYPE: '={{ $json.value }}' }, '41', 'Courier', "Delivery type (UF_CRM_DELIVERY_TYPE) expects one of the following values: [41, 42, 43] but we got 'Courier'", 'Delivery type (UF_CRM_DELIVERY_TYPE)'],
		['an unknown enumeration choice', { UF_CRM_DELIVERY_TYPE: '={{ $json.value }}' }, '42', 'Drone', "Delivery type (UF_CRM_DELIVERY_TYPE) expects one of the following values: [41, 42, 43] but we got 'Drone'", 'Delivery type (UF_CRM_DELIVERY_TYPE)'],
		['no boolean', { opened: '={{ $json.value }}' }, true, 'maybe', "Available to everyone (opened) expects a boolean but we got 'maybe'", 'Available to everyone (opened)'],
		['a required field without a value', { title: '={{ $json.value }}' }, 'Fine', null, 'Deal name (title) is required, but its value is empty', 'Deal name (title)'],
	])('Map Each Field Below, from an expression: %s', async (_label, values, good, value, message, name) => {
		const { items, error } = await runNode({
			parameters: create('deal', { values: { title: 'T', ...values } }),
			credentials: personal(sandbox),
			input: [{ value: good }, { value }],
		});
		expect(items).toBeUndefined();
		expect(error!.message).toBe(message);
		expect(error!.description).toMatch(new RegExp(`^(Give|Check the value or expression of) ${name.replace(/[()]/g, '\\$&')}.* in Values to Send.* Nothing was sent for this item\\.$`));
		expect(error!.context!.vibeCode).toBe('INVALID_PARAMETER');
		expect(error!.context!.itemIndex).toBe(1);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('continue on fail', () => {
	test('one error item per bad input, in place; the good ones are created once each', async () => {
		const { items, error } = await runNode({
			parameters: create('deal', { values: 'auto' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ title: 'A' }, { amount: 5 }, { title: 'C', amount: 'abc' }, { title: 'D', UF_CRM_DELIVERY_TYPE: 'Drone' }, { title: 'E' }],
		});
		expect(error).toBeUndefined();
		expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items![0].json).toMatchObject({ id: expect.any(Number), title: 'A' });
		expect(items![4].json).toMatchObject({ id: expect.any(Number), title: 'E' });
		expect(items!.slice(1, 4).map((item) => item.json)).toEqual([
			expect.objectContaining({ error: 'Deal name (title) is required for a new deal', code: 'INVALID_PARAMETER', httpCode: null, itemIndex: 1 }),
			expect.objectContaining({ error: 'Amount (amount) must be a number; got "abc"', code: 'INVALID_PARAMETER', httpCode: null, itemIndex: 2 }),
			expect.objectContaining({ error: 'Delivery type (UF_CRM_DELIVERY_TYPE) has no choice "Drone"', code: 'INVALID_PARAMETER', itemIndex: 3 }),
		]);
		// The two good items, in one batch: the bad ones were refused before it.
		expect(writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /v1/deals/batch 200']);
		expect(await countOf('deal', { title: 'A' })).toBe(1);
		expect(await countOf('deal', { title: 'E' })).toBe(1);
	});

	test('bad emails, unknown stages and n8n\'s own type checks each fail only their item', async () => {
		const { items } = await runNode({
			parameters: create('lead', { values: { email: '={{ $json.email }}', amount: '={{ $json.amount }}' }, stage: '={{ $json.stage }}' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [
				{ email: 'nope', amount: 1, stage: 'NEW' },
				{ email: 'ok@mail.example', amount: 1, stage: 'NEW' },
				{ email: 'ok2@mail.example', amount: 'x', stage: 'NEW' },
				{ email: 'ok3@mail.example', amount: 1, stage: 'WON' },
			],
		});
		expect(items!.map((item) => [item.json.itemIndex ?? 'ok', item.json.error ?? item.json.statusId])).toEqual([
			[0, 'Email (email) is not an email address; got "nope"'],
			['ok', 'NEW'],
			[2, 'Amount (amount) must be a number; got "x"'],
			[3, 'Status "WON" is not a lead status on this portal'],
		]);
		expect(writes()).toHaveLength(1);
	});

	test('with "Continue (using error output)" the bad items go down the error branch, the created ones down the main one', async () => {
		const { outputs, error } = await runNode({
			parameters: create('deal', { values: 'auto' }),
			credentials: personal(sandbox),
			node: { onError: 'continueErrorOutput' },
			input: [{ title: 'A' }, { amount: 5 }, { title: 'C' }],
		});
		expect(error).toBeUndefined();
		const [created, failed] = outputs!;
		expect(created!.map((item) => [item.json.title, item.pairedItem])).toEqual([
			['A', { item: 0 }],
			['C', { item: 2 }],
		]);
		expect(failed!.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ error: expect.objectContaining({ message: 'Deal name (title) is required for a new deal', code: 'INVALID_PARAMETER', itemIndex: 1 }) }, { item: 1 }],
		]);
	});

	test('a refusal by VibeCode fails only its item', async () => {
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/deals', status: 422, code: 'BITRIX_ERROR', message: 'Duplicate deal' });
		// One request per item (Batch Size 1); the same in a batch is in bulk.test.ts.
		const { items } = await runNode({ parameters: create('deal', { values: 'auto', options: { batchSize: 1 } }), credentials: personal(sandbox), continueOnFail: true, input: [{ title: 'A' }, { title: 'B' }] });
		expect(items!.map((item) => item.json.code ?? item.json.title)).toEqual(['BITRIX_ERROR', 'B']);
		expect(items![0].json).toMatchObject({ error: 'Bitrix24 rejected the request [BITRIX_ERROR]', httpCode: '422', itemIndex: 0 });
	});
});

describe('a create is never sent twice', () => {
	// Record operations do not offer Retry Unknown Outcomes: n8n drops it from their Options even when a workflow's
	// JSON carries it, as here. That createRecord refuses it anyway is checked in test/unit/helpers/records.test.ts.
	test('the answer is lost after VibeCode created it: not sent again, whatever the options say', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/leads', afterProcessing: true });
		const { items, error } = await runNode({
			parameters: create('lead', { values: { title: 'Lost answer' }, options: { retryUnknownOutcome: true, maxRetries: 4 } }),
			credentials: personal(sandbox),
		});
		expect(items).toBeUndefined();
		expect(error!.context!.vibeCode).toBe('CONNECTION_RESET');
		expect(error!.context!.itemIndex).toBe(0);
		expect(error!.description).toMatch(/^The record may already have been created, so the node did not send it again\./);
		expect(writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /v1/leads reset']);
		expect(await countOf('lead', { title: 'Lost answer' })).toBe(1);
	});

	test('an answer slower than the timeout: not sent again', async () => {
		sandbox.addFault({ kind: 'hang', method: 'POST', path: '/v1/deals', delayMs: 2500, afterProcessing: true });
		const { error } = await runNode({ parameters: create('deal', { values: { title: 'Slow' }, options: { timeout: 1, retryUnknownOutcome: true } }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('TIMEOUT');
		expect(error!.description).toMatch(/may already have been created/);
		expect(writes()).toHaveLength(1);
		expect(await countOf('deal', { title: 'Slow' })).toBe(1);
	});

	test('with Continue On Fail: an error item, the next item created', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/deals', afterProcessing: true });
		const { items } = await runNode({
			// One request per item (Batch Size 1); a batch that loses its answer is in bulk.test.ts.
			parameters: create('deal', { values: 'auto', options: { maxParallel: 1, batchSize: 1 } }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ title: 'First' }, { title: 'Second' }],
		});
		expect(items!.map((item) => item.json.code ?? item.json.title)).toEqual(['CONNECTION_RESET', 'Second']);
		expect(writes()).toHaveLength(2);
	});

	test('a request VibeCode turned away unrun (429, 502, 504) is sent again, and creates one record', async () => {
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/deals', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/deals', status: 502, code: 'BITRIX_UNAVAILABLE', retryAfter: 0 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: create('deal', { values: { title: 'Patient' } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(writes().map((r) => r.status)).toEqual([429, 502, 201]);
		expect(await countOf('deal', { title: 'Patient' })).toBe(1);
	});
});

test('a read-only key: the create is refused by VibeCode, with what to do', async () => {
	const { error } = await runNode({ parameters: create('deal', { values: { title: 'T' } }), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
	expect(error!.context!.vibeCode).toBe('WRITE_BLOCKED_READONLY_KEY');
	expect(error!.httpCode).toBe('403');
});
