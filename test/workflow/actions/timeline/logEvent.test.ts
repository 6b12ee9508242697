/**
 * Timeline → Log an Event through n8n-core's engine against the sandbox: POST /v1/timeline-logs with the record's
 * numeric entityTypeId, proven against the answer or read back; Pin to Top (POST …/pin) and Also Show On (POST …/bind,
 * proven by GET …/bindings); a record the CRM lacks named plainly; a failure after the entry was logged says so; the
 * entry never logged twice; bad input refused by its label before any request; Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

interface Owner {
	entityTypeId: number;
	entityId: number;
}
interface Entry {
	id: number;
	title: string;
	text: string;
	iconCode: string;
	bindings: Owner[];
	pinned: Owner[];
}
const logs = () => sandbox.store<{ logs: Entry[] }>('timeline').logs;
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path} ${r.status}`);
const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const log = (parameters: IDataObject = {}): IDataObject => ({
	resource: 'timeline',
	operation: 'logEvent',
	entityType: 'deal',
	entity: byId('5141'),
	logTitle: 'Payment received',
	logText: '4,800 USD, Stripe ch_3P',
	...parameters,
});
const also = (...records: IDataObject[]) => ({ alsoShowOn: { record: records } });

describe.each(['record', 'id'] as const)('VibeCode answers a create with %s', (timelineWriteAnswer) => {
	beforeEach(() => sandbox.configure({ timelineWriteAnswer }));

	test('the entry lands on deal 5141 (entityTypeId 2) and is output with its record, proven by the answer or read back', async () => {
		const { items, error } = await runNode({ parameters: log(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		const [entry] = logs();
		expect(entry).toMatchObject({ title: 'Payment received', text: '4,800 USD, Stripe ch_3P', bindings: [{ entityTypeId: 2, entityId: 5141 }], pinned: [] });
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ id: entry.id, created: expect.any(String), authorId: 1, title: 'Payment received', text: '4,800 USD, Stripe ch_3P', iconCode: '', entityTypeId: 2, entityId: 5141, pinned: false, alsoShownOn: [] },
				{ item: 0 },
			],
		]);
		expect(sent()).toEqual(timelineWriteAnswer === 'record' ? ['POST /v1/timeline-logs 201'] : ['POST /v1/timeline-logs 201', `GET /v1/timeline-logs/${entry.id} 200`]);
	});
});

test('the body is the documented one, top level: entityTypeId and entityId numbers, title, text, and the icon when given', async () => {
	const proxy = await startProxy(sandbox.url);
	try {
		for (const [entityType, id, typeId] of [['lead', '101', 1], ['contact', '201', 3], ['company', '301', 4], ['quote', '401', 7], ['invoice', '501', 31]] as const) {
			const { error } = await runNode({ parameters: log({ entityType, entity: byId(id), options: { iconCode: 'info' } }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(proxy.sent.filter((r) => r.method === 'POST').pop()!.body).toEqual({ entityTypeId: typeId, entityId: Number(id), title: 'Payment received', text: '4,800 USD, Stripe ch_3P', iconCode: 'info' });
		}
	} finally {
		await proxy.stop();
	}
});

test('Pin to Top and Also Show On: bound to contact 201 and to Orders item 1, proven by the bindings, then pinned on the deal', async () => {
	const { items, error } = await runNode({
		parameters: log({ pinEntry: true, ...also({ entityType: 'contact', recordId: '201' }, { entityType: 'smartProcessItem', smartProcessType: 1038, recordId: '1' }) }),
		credentials: personal(sandbox),
	});
	expect(error).toBeUndefined();
	const [entry] = logs();
	expect(entry.bindings).toEqual([{ entityTypeId: 2, entityId: 5141 }, { entityTypeId: 3, entityId: 201 }, { entityTypeId: 1038, entityId: 1 }]);
	expect(entry.pinned).toEqual([{ entityTypeId: 2, entityId: 5141 }]);
	expect(items![0].json).toMatchObject({ pinned: true, alsoShownOn: [{ entityTypeId: 3, entityId: 201 }, { entityTypeId: 1038, entityId: 1 }] });
	expect(sent()).toEqual([
		'GET /v1/smart-processes 200',
		'POST /v1/timeline-logs 201',
		`POST /v1/timeline-logs/${entry.id}/bind 200`,
		`POST /v1/timeline-logs/${entry.id}/bind 200`,
		`GET /v1/timeline-logs/${entry.id}/bindings 200`,
		`POST /v1/timeline-logs/${entry.id}/pin 200`,
	]);
});

test('a smart process item as the record: entityTypeId 1038, named by its title when it is missing', async () => {
	const ok = await runNode({ parameters: log({ entityType: 'smartProcessItem', smartProcessType: 1038, entity: byId('1') }), credentials: personal(sandbox) });
	expect(ok.items![0].json).toMatchObject({ entityTypeId: 1038, entityId: 1 });
	const missing = await runNode({ parameters: log({ entityType: 'smartProcessItem', smartProcessType: 1042, entity: byId('5') }), credentials: personal(sandbox) });
	expect(missing.error!.message).toBe('The CRM has no service requests 5 [ENTITY_NOT_FOUND]');
});

describe.each(['BITRIX_ERROR', 'ENTITY_NOT_FOUND'] as const)('a record the CRM lacks, answered %s', (timelineMissingRecord) => {
	beforeEach(() => sandbox.configure({ timelineMissingRecord }));

	test('"The CRM has no deal 741", nothing logged', async () => {
		const { error } = await runNode({ parameters: log({ entity: byId('741') }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'The CRM has no deal 741 [ENTITY_NOT_FOUND]', httpCode: '404' });
		expect(logs()).toEqual([]);
		expect(sent()).toEqual([`POST /v1/timeline-logs ${timelineMissingRecord === 'BITRIX_ERROR' ? 422 : 404}`, 'GET /v1/deals/741 404']);
	});

	test('an Also Show On record the CRM lacks: the entry was logged, the error says so and names the record', async () => {
		const { error } = await runNode({ parameters: log(also({ entityType: 'company', recordId: '399' })), credentials: personal(sandbox) });
		const [entry] = logs();
		expect(error!.message).toBe('The CRM has no company 399 [ENTITY_NOT_FOUND]');
		expect(error!.description).toMatch(new RegExp(`^Log entry ${entry.id} was logged on deal 5141; only this step failed, and running this item again would log a second entry\\.`));
		expect(error!.description).toMatch(/Check Also Show On: .* The entry is not shown on company 399\./);
		expect(error!.description).not.toMatch(/Nothing was written/);
	});
});

test('a pin that fails after the entry was logged: the error says the entry exists', async () => {
	const proxy = await startProxy(sandbox.url, (path, answer) => (/\/pin$/.test(path) ? { success: false, error: { code: 'BITRIX_ERROR', message: 'Cannot pin' } } : answer));
	try {
		const { error } = await runNode({ parameters: log({ pinEntry: true }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		const [entry] = logs();
		expect(error!.message).toBe('Bitrix24 rejected the request [BITRIX_ERROR]');
		expect(error!.description).toMatch(new RegExp(`^Log entry ${entry.id} was logged on deal 5141; only this step failed`));
		expect(logs()).toHaveLength(1);
	} finally {
		await proxy.stop();
	}
});

test('bindings that do not list a record bound: WRITE_NOT_APPLIED naming it', async () => {
	const proxy = await startProxy(sandbox.url, (path, answer) => (/\/bindings$/.test(path) ? { ...answer, data: (answer.data as IDataObject[]).slice(0, 1) } : answer));
	try {
		const { error } = await runNode({ parameters: log(also({ entityType: 'contact', recordId: '201' })), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		const [entry] = logs();
		expect(error!.message).toBe(`Log entry ${entry.id} was logged on deal 5141, but is not shown on contact 201 [WRITE_NOT_APPLIED]`);
	} finally {
		await proxy.stop();
	}
});

test('a title stored other than sent: WRITE_NOT_APPLIED naming the entry and the title', async () => {
	const proxy = await startProxy(sandbox.url, (path, answer) => (path === '/v1/timeline-logs' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), title: 'Payment' } } : answer));
	try {
		const { error } = await runNode({ parameters: log(), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		const [entry] = logs();
		expect(error!.message).toBe(`Log entry ${entry.id} was logged on deal 5141, but its title does not hold what was sent [WRITE_NOT_APPLIED]`);
		expect(error!.description).toMatch(/Title: sent "Payment received", stored "Payment"\./);
	} finally {
		await proxy.stop();
	}
});

test('a create whose answer was lost is not sent again', async () => {
	sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/timeline-logs', afterProcessing: true });
	const { error } = await runNode({ parameters: log(), credentials: personal(sandbox) });
	expect(error).toMatchObject({ context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET' }) });
	expect(error!.description).toMatch(/may already have been logged on deal 5141, so the node did not send it again/);
	expect(logs()).toHaveLength(1);
	expect(sent()).toEqual(['POST /v1/timeline-logs reset']);
});

test.each([
	['an empty title', { logTitle: '={{ "" }}' }, /^Title is empty; got ""/],
	['a text of spaces', { logText: '  ' }, /^Text is empty; got "  "/],
	['an Also Show On row without an ID', also({ entityType: 'contact', recordId: '' }), /^Also Show On → Record 1: Record ID must be a positive whole number; got ""/],
	['an Also Show On row that is the record itself', also({ entityType: 'deal', recordId: '5141' }), /^Also Show On → Record 1 is the entry's own record \(deal 5141\)/],
	['an Also Show On smart process without its type', also({ entityType: 'smartProcessItem', smartProcessType: '={{ "" }}', recordId: '1' }), /^Also Show On → Record 1: Smart Process Type must be/],
	['Pin to Top that is not true or false', { pinEntry: '={{ "yes" }}' }, /^Pin to Top must be true or false; got "yes"/],
])('%s is refused by its label before any request', async (_label, parameters, message) => {
	const { error } = await runNode({ parameters: log(parameters), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(error!.description).toMatch(/Nothing was sent for this item/);
	expect(sent()).toEqual([]);
});

test('Continue On Fail: a missing record and an empty title fail their own items; the others are logged, each paired', async () => {
	const { items, error } = await runNode({
		parameters: log({ entity: byId('={{ $json.id }}'), logTitle: '={{ $json.title }}' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [
			{ id: 5141, title: 'Paid' },
			{ id: 741, title: 'Lost' },
			{ id: 5142, title: '' },
			{ id: 5143, title: 'Shipped' },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.title ?? item.json.code, item.pairedItem])).toEqual([
		['Paid', { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		['Shipped', { item: 3 }],
	]);
	expect(logs().map((entry) => [entry.title, entry.bindings[0].entityId])).toEqual([['Paid', 5141], ['Shipped', 5143]]);
});
