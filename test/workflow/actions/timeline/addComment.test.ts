/**
 * Timeline → Add Comment through n8n-core's engine against the sandbox: POST /v1/timelines with the record's string
 * entityType (`deal`, `DYNAMIC_1038`), the comment proven against the answer or read back, a record the CRM lacks named
 * plainly whatever VibeCode answers, an empty comment and a bad record refused by their labels before any request, a
 * create never sent twice, Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { listSearch, runNode } from '../../../helpers/engine';
import { personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

interface Comment {
	id: number;
	entityType: string;
	entityId: number;
	comment: string;
}
const comments = () => sandbox.store<{ comments: Comment[] }>('timeline').comments.filter((entry) => entry.id !== 9001);
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path} ${r.status}`);
const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const add = (parameters: IDataObject = {}): IDataObject => ({
	resource: 'timeline',
	operation: 'addComment',
	entityType: 'deal',
	entity: byId('5141'),
	commentText: 'Payment received: 4,800 USD, Stripe ch_3P',
	...parameters,
});

describe.each(['record', 'id'] as const)('VibeCode answers a create with %s', (timelineWriteAnswer) => {
	beforeEach(() => sandbox.configure({ timelineWriteAnswer }));

	test('the comment lands on deal 5141 and is output as stored, proven by the answer or read back', async () => {
		const { items, error } = await runNode({ parameters: add(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		const [stored] = comments();
		expect(stored).toMatchObject({ entityType: 'deal', entityId: 5141, comment: 'Payment received: 4,800 USD, Stripe ch_3P' });
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: stored.id, entityType: 'deal', entityId: 5141, comment: 'Payment received: 4,800 USD, Stripe ch_3P', authorId: 1, createdAt: expect.any(String) }, { item: 0 }],
		]);
		// The answer carried the text, or the comment was read back by its ID.
		expect(sent()).toEqual(timelineWriteAnswer === 'record' ? ['POST /v1/timelines 201'] : ['POST /v1/timelines 201', `GET /v1/timelines/${stored.id} 200`]);
	});
});

test('the body is the documented one: entityType as text, entityId a number, the comment; quotes and invoices by their Bitrix24 names', async () => {
	const proxy = await startProxy(sandbox.url);
	try {
		for (const [entityType, id, name] of [['lead', '101', 'lead'], ['quote', '401', 'quote'], ['invoice', '501', 'smart_invoice'], ['company', '301', 'company'], ['contact', '201', 'contact']]) {
			const { error } = await runNode({ parameters: add({ entityType, entity: byId(id) }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
			expect(error).toBeUndefined();
			expect(proxy.sent.filter((r) => r.method === 'POST').pop()!.body).toEqual({ entityType: name, entityId: Number(id), comment: 'Payment received: 4,800 USD, Stripe ch_3P' });
		}
	} finally {
		await proxy.stop();
	}
	expect(comments().map(({ entityType, entityId }) => `${entityType} ${entityId}`)).toEqual(['lead 101', 'quote 401', 'invoice 501', 'company 301', 'contact 201']);
});

test('a smart process item: DYNAMIC_1038 sent, answered lower-case; the smart process read once for its title', async () => {
	const { items, error } = await runNode({
		parameters: add({ entityType: 'smartProcessItem', smartProcessType: 1038, entity: byId('1') }),
		credentials: personal(sandbox),
	});
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ entityType: 'dynamic_1038', entityId: 1 });
	expect(comments()[0]).toMatchObject({ entityType: 'dynamic_1038', entityId: 1 });
	expect(sent()).toEqual(['GET /v1/smart-processes 200', 'POST /v1/timelines 201']);
});

test("a smart process item By URL: its page's address (/crm/type/1038/details/1/) gives the item", async () => {
	const entity = { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/type/1038/details/1/' };
	const { items, error } = await runNode({ parameters: add({ entityType: 'smartProcessItem', smartProcessType: 1038, entity }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ entityType: 'dynamic_1038', entityId: 1 });
});

test("the editor's Record list searches the chosen Entity Type: deals, or the chosen smart process's items", async () => {
	const deals = await listSearch('searchEntities', { parameters: add(), credentials: personal(sandbox), filter: 'support' });
	expect(deals.results.map(({ name, value }) => [name, value])).toEqual([['Annual support contract (#5142)', '5142']]);
	const orders = await listSearch('searchEntities', { parameters: add({ entityType: 'smartProcessItem', smartProcessType: 1038 }), credentials: personal(sandbox) });
	expect(orders.results.map(({ name, value }) => [name, value])).toEqual([['Order A-1001 (#1)', '1']]);
});

describe.each(['BITRIX_ERROR', 'ENTITY_NOT_FOUND'] as const)('a record the CRM lacks, answered %s', (timelineMissingRecord) => {
	beforeEach(() => sandbox.configure({ timelineMissingRecord }));

	test('"The CRM has no deal 741": the record read after the refusal, nothing written', async () => {
		const { error } = await runNode({ parameters: add({ entity: byId('741') }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'The CRM has no deal 741 [ENTITY_NOT_FOUND]', httpCode: '404', context: expect.objectContaining({ vibeCode: 'ENTITY_NOT_FOUND' }) });
		expect(error!.description).toMatch(/Nothing was written to a timeline/);
		expect(comments()).toEqual([]);
		expect(sent()).toEqual([`POST /v1/timelines ${timelineMissingRecord === 'BITRIX_ERROR' ? 422 : 404}`, 'GET /v1/deals/741 404']);
	});

	test('a smart process item named by its title: "The CRM has no orders 77"', async () => {
		const { error } = await runNode({ parameters: add({ entityType: 'smartProcessItem', smartProcessType: 1038, entity: byId('77') }), credentials: personal(sandbox) });
		expect(error!.message).toBe('The CRM has no orders 77 [ENTITY_NOT_FOUND]');
	});
});

test('a refusal that is not about the record stays as VibeCode said it (the record exists)', async () => {
	sandbox.addFault({ kind: 'error', status: 422, code: 'BITRIX_ERROR', message: 'Comment is too long', method: 'POST', path: '/v1/timelines' });
	const { error } = await runNode({ parameters: add(), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'Bitrix24 rejected the request [BITRIX_ERROR]', httpCode: '422' });
	expect(error!.description).toMatch(/VibeCode said: Comment is too long\./);
	expect(sent()).toEqual(['POST /v1/timelines 422', 'GET /v1/deals/5141 200']);
});

test.each([
	['an empty comment', { commentText: '={{ "" }}' }, /^Comment is empty; got ""/],
	['a comment of spaces', { commentText: '   ' }, /^Comment is empty; got "   "/],
	['an expression giving nothing', { commentText: '={{ $json.missing }}' }, /^Comment is empty; got /],
	['a record ID that is text', { entity: byId('={{ "abc" }}') }, /^Record ID must be a positive whole number; got "abc"/],
	['a link to a lead for a deal', { entity: { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/lead/details/101/' } }, /^The link is to a lead, but Entity Type is Deal/],
	['an unknown entity type', { entityType: 'order' }, /^Entity Type must be one of company, contact, deal, invoice, lead, quote, smartProcessItem; got "order"/],
	['a smart process without its type', { entityType: 'smartProcessItem', smartProcessType: '={{ "" }}' }, /^Smart Process Type must be a smart process's type ID/],
])('%s is refused by its label before any request', async (_label, parameters, message) => {
	const { error } = await runNode({ parameters: add(parameters), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(error!.description).toMatch(/Nothing was sent for this item/);
	expect(sent()).toEqual([]);
});

test('a smart process the portal lacks is refused after the one read of the list, before any write', async () => {
	const { error } = await runNode({ parameters: add({ entityType: 'smartProcessItem', smartProcessType: 1999, entity: byId('1') }), credentials: personal(sandbox) });
	expect(error!.message).toBe('The portal has no smart process with type ID 1999');
	expect(error!.description).toMatch(/Choose one of: Orders \(1038\), Service requests \(1042\)/);
	expect(sent()).toEqual(['GET /v1/smart-processes 200']);
});

test('a comment stored other than sent fails the item with WRITE_NOT_APPLIED naming the comment', async () => {
	const proxy = await startProxy(sandbox.url, (path, answer) =>
		path === '/v1/timelines' && answer.success ? { ...answer, data: { ...(answer.data as IDataObject), comment: 'Payment received' } } : answer,
	);
	try {
		const { error } = await runNode({ parameters: add(), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		const [stored] = comments();
		expect(error).toMatchObject({ message: `Comment ${stored.id} was added to deal 5141, but it does not hold the text sent [WRITE_NOT_APPLIED]` });
		expect(error!.description).toMatch(/Sent "Payment received: 4,800 USD, Stripe ch_3P"; stored "Payment received"/);
		expect(error!.description).toMatch(/would add another comment/);
	} finally {
		await proxy.stop();
	}
});

test('a create whose answer was lost is not sent again: one comment, the error says it may exist', async () => {
	sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/timelines', afterProcessing: true });
	const { error } = await runNode({ parameters: add(), credentials: personal(sandbox) });
	expect(error).toMatchObject({ context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET' }) });
	expect(error!.description).toMatch(/may already have been added to deal 5141, so the node did not send it again/);
	expect(comments()).toHaveLength(1);
	expect(sent().filter((line) => line.startsWith('POST'))).toHaveLength(1);
});

test('a read-only key: 403 WRITE_BLOCKED_READONLY_KEY, nothing written', async () => {
	const { error } = await runNode({ parameters: add(), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
	expect(error).toMatchObject({ httpCode: '403', context: expect.objectContaining({ vibeCode: 'WRITE_BLOCKED_READONLY_KEY' }) });
	expect(comments()).toEqual([]);
});

test('Continue On Fail: a missing record and an empty comment fail their own items; the others are written, each paired', async () => {
	const { items, error } = await runNode({
		parameters: add({ entity: byId('={{ $json.id }}'), commentText: '={{ $json.text }}' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [
			{ id: 5141, text: 'First' },
			{ id: 741, text: 'Lost' },
			{ id: 5142, text: '' },
			{ id: 5143, text: 'Third' },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.comment ?? item.json.code, item.pairedItem])).toEqual([
		['First', { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		['Third', { item: 3 }],
	]);
	expect(items![1].json).toMatchObject({ error: 'The CRM has no deal 741 [ENTITY_NOT_FOUND]', entityType: 'deal', entityId: 741 });
	expect(comments().map(({ entityId, comment }) => `${entityId} ${comment}`)).toEqual(['5141 First', '5143 Third']);
});
