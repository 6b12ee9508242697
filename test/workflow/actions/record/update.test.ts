/**
 * Update (PATCH /v1/{entity}/{id}) run by n8n-core's WorkflowExecute against the sandbox over real HTTP: every
 * entity type with both key types, only the given fields changing, stage moves, bad input before anything is
 * written, a record that does not exist, Continue On Fail, and retries (an update may be sent again).
 */
import type { IDataObject } from 'n8n-workflow';

import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { runNode } from '../../../helpers/engine';
import { recordSuite } from '../../../helpers/recordSuite';
import { askSandbox, KEY_TYPES, personal, RECORD_IDS, recordParameters, type RecordInput } from '../../../helpers/fixtures';

const suite = recordSuite('update');
const { sandbox, schemas } = suite;

const path = (resource: string) => `/v1/${entityType(resource)!.path}`;
const update = (resource: string, entity: unknown, input: Omit<RecordInput, 'resource' | 'operation' | 'entity'> = {}) =>
	recordParameters({ resource, operation: 'update', entity, schema: schemas[resource], ...input });
const stored = async (resource: string, id: number) => (await askSandbox(sandbox, 'GET', `${path(resource)}/${id}`)).data as IDataObject;
const patches = () => sandbox.requests.filter((r) => r.method === 'PATCH');
/** The fields of each change the node sent (through the recording proxy), one by one or in a batch (as `{ id, …fields }`). */
const sentFields = () =>
	suite.proxy.sent
		.filter((r) => r.method === 'PATCH' || r.path.endsWith('/batch'))
		.flatMap((r) => (r.method === 'PATCH' ? [r.body] : ((r.body as IDataObject).items as IDataObject[]).map(({ id: _id, ...fields }) => fields)));
const viaProxy = () => ({ ...personal(sandbox), baseUrl: suite.proxy.url });

const CHANGES: Record<string, IDataObject> = {
	company: { title: 'Acme Holdings', UF_CRM_TAX_ID: 'TX-9' },
	contact: { post: 'Head of purchasing' },
	deal: { amount: 13000, UF_CRM_ORDER_NUMBER: 'ORD-1001-B' },
	invoice: { opportunity: 2500 },
	lead: { UF_CRM_CAMPAIGN: 'Summer' },
	quote: { comments: 'Sent by mail' },
};

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(CHANGES))('updates: %s, the record after the change, paired with its item', async (resource, changes) => {
		const id = RECORD_IDS[resource];
		const before = await stored(resource, id);
		sandbox.requests.length = 0;
		const { items, error } = await runNode({ parameters: update(resource, id, { values: changes }), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${path(resource)}/fields 200`, `PATCH ${path(resource)}/${id} 200`]);
		expect(items).toEqual([{ json: await stored(resource, id), pairedItem: { item: 0 } }]);
		// Only the given fields change (and the update time and author).
		const { updatedAt: _a, updatedTime: _t, updatedBy: _b, ...rest } = items![0].json;
		const { updatedAt: _c, updatedTime: _d, updatedBy: _e, ...restBefore } = before;
		expect(rest).toEqual({ ...restBefore, ...changes });
	});
});

test('the mapper requires nothing for an update: a deal changes without its title', async () => {
	expect(schemas.deal.find((field) => field.id === 'title')).toMatchObject({ required: false });
	const { items, error } = await runNode({ parameters: update('deal', 5141, { values: { comments: 'Call first' } }), credentials: viaProxy() });
	expect(error).toBeUndefined();
	expect(sentFields()).toEqual([{ comments: 'Call first' }]);
	expect(items![0].json).toMatchObject({ title: 'Website redesign', comments: 'Call first' });
});

test('one item per input item with its own record and values; mapped automatically, other keys ignored', async () => {
	const { items } = await runNode({
		parameters: update('lead', '={{ $json.leadId }}', { values: 'auto' }),
		credentials: viaProxy(),
		input: [
			{ leadId: 101, comments: 'First', opened: 'Y', id: 999 },
			{ leadId: 102, amount: '250', statusId: 'JUNK' },
		],
	});
	expect(sentFields()).toEqual([{ comments: 'First', opened: 'Y' }, { amount: 250 }]);
	expect(items!.map(({ json, pairedItem }) => [json.id, json.comments ?? json.amount, json.statusId, pairedItem])).toEqual([
		[101, 'First', 'NEW', { item: 0 }],
		[102, 250, 'IN_PROCESS', { item: 1 }],
	]);
});

describe('pipeline, stage or status, responsible person', () => {
	test.each([
		['deal', 5141, { stage: 'WON' }, { stageId: 'WON' }],
		['deal', 5142, { pipeline: 1, stage: 'C1:NEGOTIATION', responsible: 7 }, { categoryId: 1, stageId: 'C1:NEGOTIATION', assignedById: 7 }],
		['lead', 101, { stage: 'CONVERTED' }, { statusId: 'CONVERTED' }],
		['quote', 401, { stage: 'APPROVED' }, { stageId: 'APPROVED' }],
		['invoice', 501, { stage: 'DT31_2:P' }, { stageId: 'DT31_2:P' }],
		['company', 301, { responsible: 7 }, { assignedById: 7 }],
	] as const)('%s %s %j: the dropdowns alone are a change', async (resource, id, dropdowns, sent) => {
		const { items, error } = await runNode({ parameters: update(resource, id, dropdowns), credentials: viaProxy() });
		expect(error).toBeUndefined();
		expect(sentFields()).toEqual([sent]);
		expect(items![0].json).toMatchObject(sent);
	});

	test('a stage of another pipeline than the deal\'s, without Pipeline, is refused after reading the deal: nothing written', async () => {
		const { error } = await runNode({ parameters: update('deal', 5141, { stage: 'C1:WON' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Stage "C1:WON" is in pipeline "Wholesale (1)", but deal 5141 is in pipeline "General (0)"');
		expect(error!.description).toBe(
			'Choose a stage of "General (0)": "New (NEW)", "Preparing documents (PREPARATION)", "In progress (EXECUTING)", "Deal won (WON)", "Deal lost (LOSE)". To move the deal to another pipeline, set Pipeline to that pipeline and Stage to one of its stages. Nothing was written for this item (only a search or read was sent).',
		);
		expect(sandbox.requests.filter((r) => r.path.startsWith('/v1/deals/5141')).map((r) => r.method)).toEqual(['GET']);
		expect(patches()).toEqual([]);
	});

	test('an unknown stage is refused before anything is written', async () => {
		const { error } = await runNode({ parameters: update('deal', '={{ $json.id }}', { stage: '={{ $json.stage }}' }), credentials: personal(sandbox), input: [{ id: 5141, stage: 'WON' }, { id: 5142, stage: 'C2:WON' }] });
		expect(error!.message).toBe('Stage "C2:WON" is not a deal stage of pipeline 2 on this portal');
		expect(error!.context!.itemIndex).toBe(1);
		expect(patches()).toEqual([]);
	});

	test('a stage of another pipeline than the one chosen is refused', async () => {
		const { error } = await runNode({ parameters: update('deal', 5141, { pipeline: 1, stage: 'WON' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('Stage "WON" is not a deal stage of pipeline "Wholesale (1)" on this portal');
		expect(error!.description).toMatch(/use one of: "New \(C1:NEW\)", "Negotiation \(C1:NEGOTIATION\)", "Won \(C1:WON\)", "Lost \(C1:LOSE\)"\./);
		expect(patches()).toEqual([]);
	});

	test('moving a deal to another pipeline without a stage of it is refused by Bitrix24 (422 BITRIX_ERROR)', async () => {
		const { error } = await runNode({ parameters: update('deal', 5141, { pipeline: 1 }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('BITRIX_ERROR');
		expect(error!.httpCode).toBe('422');
		expect(error!.description).toMatch(/Stage "NEW" does not exist in DEAL_STAGE_1/);
		expect(patches()).toHaveLength(1);
	});
});

describe('bad input fails its item before anything is written, naming the field and the item', () => {
	// Each row: the record type, how the field is mapped, the input field, a good value (item 0), a bad one (item 1).
	test.each([
		['nothing to change', 'deal', { comments: '={{ $json.comments }}' }, 'comments', 'Fine', '', 'Nothing to change in deal 5141'],
		['text in a number field', 'deal', 'auto', 'amount', 5, 'lots', 'Amount (amount) must be a number; got "lots"'],
		['a bad email', 'contact', { email: '={{ $json.email }}' }, 'email', 'ivan@acme.example', 'ivan(at)acme.example', 'Email (email) is not an email address; got "ivan(at)acme.example"'],
		['an unknown enumeration choice', 'deal', 'auto', 'UF_CRM_DELIVERY_TYPE', 'Courier', 'Drone', 'Delivery type (UF_CRM_DELIVERY_TYPE) has no choice "Drone"'],
	] as const)('%s', async (_label, resource, values, field, good, bad, message) => {
		const { items, error } = await runNode({
			parameters: update(resource, RECORD_IDS[resource], { values: values as RecordInput['values'] }),
			credentials: personal(sandbox),
			input: [{ [field]: good }, { [field]: bad }],
		});
		expect(items).toBeUndefined();
		expect(error!.message).toBe(message);
		expect(error!.context!.itemIndex).toBe(1);
		expect(patches()).toEqual([]);
	});

	test('a required field mapped but left empty by its expression is refused, not skipped: the deal keeps its name', async () => {
		const { error } = await runNode({
			parameters: update('deal', RECORD_IDS.deal, { values: { title: '={{ $json.name }}', amount: 7 } }),
			credentials: personal(sandbox),
			input: [{ name: '' }],
		});
		expect(error!.message).toBe('Deal name (title) is empty, and a deal cannot be without it');
		expect(error!.description).toMatch(/^Give Deal name \(title\) a value \(check its expression in Values to Send\), or remove it from Values to Send to keep the current one\. /);
		expect(patches()).toEqual([]);
	});

	test('an empty Record fails before any request', async () => {
		const { error } = await runNode({ parameters: update('deal', '={{ $json.id }}', { values: { amount: 1 } }), credentials: personal(sandbox), input: [{ id: '' }] });
		expect(error!.message).toBe('Record ID must be a positive whole number; got ""');
		expect(error!.context!.itemIndex).toBe(0);
		expect(sandbox.requests).toEqual([]);
	});
});

test('a record that does not exist: ENTITY_NOT_FOUND naming the type and the ID', async () => {
	const { error } = await runNode({ parameters: update('contact', 999999, { values: { post: 'CEO' } }), credentials: personal(sandbox) });
	expect(error!.message).toBe('The CRM has no contact 999999 [ENTITY_NOT_FOUND]');
	expect(error!.httpCode).toBe('404');
	expect(patches()).toHaveLength(1);
});

test('continue on fail: error items in place, the others updated once each', async () => {
	const { items, error } = await runNode({
		parameters: update('deal', '={{ $json.id }}', { values: 'auto' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 5141, amount: 1 }, { id: 999999, amount: 2 }, { id: 5142, amount: 'x' }, { id: 5143, comments: '' }, { id: 5143, amount: 3 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => item.json.error ?? item.json.amount)).toEqual([
		1,
		'The CRM has no deal 999999 [ENTITY_NOT_FOUND]',
		'Amount (amount) must be a number; got "x"',
		'Nothing to change in deal 5143',
		3,
	]);
	expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	// The three good items in one batch; the missing deal is its item's error.
	expect(sandbox.requests.filter((r) => r.method !== 'GET').map((r) => `${r.path} ${r.status}`)).toEqual(['/v1/deals/batch 200']);
});

describe('phone, email and website lists: Bitrix24 adds what is sent', () => {
	test('an email the record already has is not added again; a new one is added once', async () => {
		const { items, error } = await runNode({
			parameters: update('lead', 101, { values: { email: 'ANNA.SMIRNOVA@mail.example, anna@work.example' } }),
			credentials: viaProxy(),
		});
		expect(error).toBeUndefined();
		expect(sentFields()).toEqual([{ email: [{ value: 'anna@work.example', typeId: 'WORK' }] }]);
		expect((items![0].json.email as IDataObject[]).map((entry) => entry.value)).toEqual(['anna.smirnova@mail.example', 'anna@work.example']);
	});

	test('nothing new: no PATCH at all, the record as it is', async () => {
		const { items, error } = await runNode({ parameters: update('lead', 101, { values: { email: 'anna.smirnova@mail.example' } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(patches()).toHaveLength(0);
		expect(items![0].json).toEqual(await stored('lead', 101));
	});

	test('an update adding an entry whose answer is lost is not sent again: it may have added it', async () => {
		sandbox.addFault({ kind: 'reset', method: 'PATCH', path: '/v1/leads/101', afterProcessing: true });
		const { error } = await runNode({ parameters: update('lead', 101, { values: { phone: '+15550100999' } }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/\[CONNECTION_RESET\]$/);
		expect(error!.description).toMatch(/^The record may already have been changed/);
		expect(patches().map((r) => r.status)).toEqual(['reset']);
		expect(((await stored('lead', 101)).phone as IDataObject[]).map((entry) => entry.value)).toEqual(['+15550100101', '+15550100999']);
	});
});

describe('retries: an update may be sent again', () => {
	test('the answer is lost after VibeCode changed the record: sent again, same result', async () => {
		sandbox.addFault({ kind: 'reset', method: 'PATCH', path: '/v1/deals/5141', afterProcessing: true });
		const { items, error } = await runNode({ parameters: update('deal', 5141, { values: { amount: 777 }, stage: 'PREPARATION' }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ id: 5141, amount: 777, stageId: 'PREPARATION' });
		expect(patches().map((r) => r.status)).toEqual(['reset', 200]);
	});

	test('a 429 is waited out (Retry-After), then the update goes through once', async () => {
		sandbox.addFault({ kind: 'error', method: 'PATCH', path: '/v1/leads/101', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: update('lead', 101, { values: { comments: 'Later' } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json.comments).toBe('Later');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(patches().map((r) => r.status)).toEqual([429, 200]);
	});
});
