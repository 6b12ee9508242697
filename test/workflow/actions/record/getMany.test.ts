/**
 * Get Many (POST /v1/{entity}/search) run by n8n-core's WorkflowExecute against the sandbox over real HTTP: every
 * entity type with both key types, each filter operator, sort, Return All across several pages (500 a page, stable
 * sort, stopping at the total or, without one, at a short page), Limit, bad filters before any search, retries.
 */
import type { IDataObject } from 'n8n-workflow';

import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { runNode } from '../../../helpers/engine';
import { askSandbox, KEY_TYPES, personal, recordParameters, startProxy, type RecordInput, type RecordingProxy } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
/** In front of the sandbox: records what the node searched for. */
let proxy: RecordingProxy;
/** The same, but its search answers carry neither `total` nor `meta`. */
let noTotal: RecordingProxy;
beforeAll(async () => {
	await sandbox.start();
	proxy = await startProxy(sandbox.url);
	noTotal = await startProxy(sandbox.url, (path, answer) => {
		if (!path.endsWith('/search')) return answer;
		const { total: _total, meta: _meta, ...rest } = answer;
		return rest;
	});
});
afterAll(async () => {
	await proxy.stop();
	await noTotal.stop();
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	proxy.sent.length = 0;
	noTotal.sent.length = 0;
});

const path = (resource: string) => `/v1/${entityType(resource)!.path}`;
const getMany = (resource: string, input: Omit<RecordInput, 'resource' | 'operation'> = {}) => recordParameters({ resource, operation: 'getMany', ...input });
const searches = () => sandbox.requests.filter((r) => r.path.endsWith('/search'));
/** The bodies of the searches the node sent through a proxy. */
const searchBodies = (through: RecordingProxy = proxy) => through.sent.filter((r) => r.path.endsWith('/search')).map((r) => r.body);
const ids = (items: Array<{ json: IDataObject }> | undefined) => (items ?? []).map(({ json }) => json.id);

const SEEDED: Record<string, number[]> = { company: [301, 302], contact: [201, 202], deal: [5141, 5142, 5143], invoice: [501], lead: [101, 102], quote: [401] };

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(SEEDED))('gets many: %s, one item per record as VibeCode returns it, paired with the input item', async (resource, seeded) => {
		const { items, error } = await runNode({ parameters: getMany(resource), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${path(resource)}/fields 200`, `POST ${path(resource)}/search 200`]);
		const { data } = await askSandbox(sandbox, 'POST', `${path(resource)}/search`, { sort: { id: 'asc' }, limit: 50 });
		expect(ids(items)).toEqual(seeded);
		expect(items).toEqual((data as IDataObject[]).map((json) => ({ json, pairedItem: { item: 0 } })));
	});
});

describe('filters: each operator, as VibeCode\'s filter', () => {
	test.each([
		['equals', 'title', 'Website redesign', { title: 'Website redesign' }, [5141]],
		['notEquals', 'stageId', 'NEW', { stageId: { $ne: 'NEW' } }, [5142, 5143]],
		['greater', 'amount', '4800', { amount: { $gt: 4800 } }, [5141]],
		['greaterOrEqual', 'amount', '4800', { amount: { $gte: 4800 } }, [5141, 5142]],
		['less', 'amount', '4800', { amount: { $lt: 4800 } }, [5143]],
		['lessOrEqual', 'amount', '4800', { amount: { $lte: 4800 } }, [5142, 5143]],
		['contains', 'title', 'CONTRACT', { title: { $contains: 'CONTRACT' } }, [5142]],
		['in', 'id', '5141, 5143', { id: { $in: [5141, 5143] } }, [5141, 5143]],
		['equals', 'UF_CRM_ORDER_NUMBER', 'ORD-1002', { UF_CRM_ORDER_NUMBER: 'ORD-1002' }, [5142]],
		['greaterOrEqual', 'createdAt', '2026-11-01T09:01:00+00:00', { createdAt: { $gte: '2026-11-01T09:01:00+00:00' } }, [5142, 5143]],
	])('%s on %s', async (operator, field, value, filter, found) => {
		const { items, error } = await runNode({ parameters: getMany('deal', { filters: [{ field, operator, value }] }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		expect(error).toBeUndefined();
		expect(searchBodies()).toEqual([{ filter, sort: { id: 'asc' }, limit: 50, offset: 0, autoWindow: false }]);
		expect(ids(items)).toEqual(found);
	});

	test('several conditions all apply; a range on one field', async () => {
		const { items } = await runNode({
			parameters: getMany('deal', {
				filters: [
					{ field: 'amount', operator: 'greaterOrEqual', value: '2000' },
					{ field: 'amount', operator: 'less', value: '5000' },
					{ field: 'currency', operator: 'equals', value: 'USD' },
				],
			}),
			credentials: { ...personal(sandbox), baseUrl: proxy.url },
		});
		expect(searchBodies()[0]!.filter).toEqual({ amount: { $gte: 2000, $lt: 5000 }, currency: 'USD' });
		expect(ids(items)).toEqual([5142]);
	});

	test('a lead or contact by email, in any letter case, and by phone', async () => {
		const lead = await runNode({ parameters: getMany('lead', { filters: [{ field: 'email', value: 'oleg.volkov@MAIL.example' }] }), credentials: personal(sandbox) });
		expect(ids(lead.items)).toEqual([102]);
		const contact = await runNode({ parameters: getMany('contact', { filters: [{ field: 'phone', value: '+15550100299' }] }), credentials: personal(sandbox) });
		expect(ids(contact.items)).toEqual([201]);
	});

	test('nothing matches: no output item, no error', async () => {
		const { items, error } = await runNode({ parameters: getMany('deal', { filters: [{ field: 'UF_CRM_ORDER_NUMBER', value: 'ORD-404' }] }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	test('each input item searches with its own values, paired with it; the fields are read once', async () => {
		const { items } = await runNode({
			parameters: getMany('deal', { filters: [{ field: 'UF_CRM_ORDER_NUMBER', value: '={{ $json.order }}' }] }),
			credentials: personal(sandbox),
			input: [{ order: 'ORD-1002' }, { order: 'ORD-404' }, { order: 'ORD-1001' }],
		});
		expect(items!.map(({ json, pairedItem }) => [json.id, pairedItem])).toEqual([
			[5142, { item: 0 }],
			[5141, { item: 2 }],
		]);
		expect(sandbox.requests.filter((r) => r.path.endsWith('/fields'))).toHaveLength(1);
		expect(searches()).toHaveLength(3);
	});
});

test('sort: the chosen field first, then the ID so that pages are stable', async () => {
	const { items } = await runNode({ parameters: getMany('deal', { sort: { field: 'title', direction: 'desc' } }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
	expect(searchBodies()[0]!.sort).toEqual({ title: 'desc', id: 'asc' });
	expect(items!.map(({ json }) => json.title)).toEqual(['Website redesign', 'Office chairs for Globex', 'Annual support contract']);
	const ascending = await runNode({ parameters: getMany('deal', { sort: { field: 'amount' } }), credentials: personal(sandbox) });
	expect(ids(ascending.items)).toEqual([5143, 5142, 5141]);
});

describe('Return All and Limit', () => {
	test('Return All: every record across several pages of 500, each once, in order', async () => {
		sandbox.seedRecords('deal', 1200);
		const { items, error } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		expect(error).toBeUndefined();
		expect(searchBodies()).toEqual([0, 500, 1000].map((offset) => ({ sort: { id: 'asc' }, limit: 500, offset, autoWindow: false })));
		expect(searches()).toHaveLength(3);
		const found = ids(items) as number[];
		expect(found).toHaveLength(1203);
		expect(new Set(found).size).toBe(1203);
		expect(found).toEqual([...found].sort((a, b) => a - b));
		expect(found.slice(0, 3)).toEqual([5141, 5142, 5143]);
		expect(items!.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Return All stops at the total: no request for an empty page when the last one is full', async () => {
		sandbox.seedRecords('deal', 997);
		const { items } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: personal(sandbox) });
		expect(items).toHaveLength(1000);
		expect(searches()).toHaveLength(2);
	});

	test('Return All with a filter pages through the matching records only', async () => {
		sandbox.seedRecords('lead', 1100, (i) => ({ title: `Lead ${i}`, statusId: i % 2 ? 'NEW' : 'JUNK' }));
		const { items } = await runNode({ parameters: getMany('lead', { returnAll: true, filters: [{ field: 'statusId', value: 'JUNK' }] }), credentials: personal(sandbox) });
		expect(items).toHaveLength(550);
		expect(new Set(ids(items)).size).toBe(550);
		expect(items!.every(({ json }) => json.statusId === 'JUNK')).toBe(true);
		expect(searches()).toHaveLength(2);
	});

	test('a missing total is tolerated: paging stops at a short page (the answers here carry no total and no meta)', async () => {
		sandbox.seedRecords('deal', 1200);
		const { items, error } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: { ...personal(sandbox), baseUrl: noTotal.url } });
		expect(error).toBeUndefined();
		expect(searchBodies(noTotal).map((body) => [body!.offset, body!.limit])).toEqual([
			[0, 500],
			[500, 500],
			[1000, 500],
		]);
		expect(items).toHaveLength(1203);
		expect(new Set(ids(items)).size).toBe(1203);
	});

	test('a missing total and a full last page: one more request finds the empty page', async () => {
		sandbox.seedRecords('deal', 997);
		const { items } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: { ...personal(sandbox), baseUrl: noTotal.url } });
		expect(items).toHaveLength(1000);
		expect(new Set(ids(items)).size).toBe(1000);
		expect(searchBodies(noTotal).map((body) => body!.offset)).toEqual([0, 500, 1000]);
	});

	test('Limit above a page: the pages add up to the limit exactly', async () => {
		sandbox.seedRecords('deal', 1200);
		const { items } = await runNode({ parameters: getMany('deal', { limit: 700 }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		expect(searchBodies().map((body) => [body!.offset, body!.limit])).toEqual([
			[0, 500],
			[500, 200],
		]);
		expect(items).toHaveLength(700);
		expect(new Set(ids(items)).size).toBe(700);
	});

	test('Limit: one request for that many records', async () => {
		const { items } = await runNode({ parameters: getMany('deal', { limit: 2 }), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		expect(searchBodies()).toEqual([{ sort: { id: 'asc' }, limit: 2, offset: 0, autoWindow: false }]);
		expect(ids(items)).toEqual([5141, 5142]);
	});
});

describe('bad filters fail before any search, naming the field and the item', () => {
	// Each row: the parameters, the value of item 0 (good), of item 1 (bad), the refusal of item 1.
	test.each([
		['an unknown filter field', { filters: [{ field: '={{ $json.value }}', value: 'red' }] }, 'title', 'colour', 'Filter field "colour" is not a field of this record type'],
		['an unknown sort field', { sort: { field: '={{ $json.value }}' } }, 'title', 'colour', 'Sort field "colour" is not a field of this record type'],
		['text for a number field', { filters: [{ field: 'amount', operator: 'greater', value: '={{ $json.value }}' }] }, '1', 'lots', 'Filter on Amount (amount) needs a number; got "lots"'],
		['an empty value for a number field', { filters: [{ field: 'amount', value: '={{ $json.value }}' }] }, '1', '', 'Filter on Amount (amount) needs a number; got ""'],
		['a field compared twice', { filters: [{ field: 'title', value: 'A' }, { field: '={{ $json.value }}', value: 'B' }] }, 'comments', 'title', 'The filters compare Deal name (title) twice in a way VibeCode cannot combine'],
	] as const)('%s', async (_label, input, good, bad, message) => {
		const { items, error } = await runNode({
			parameters: getMany('deal', input as Omit<RecordInput, 'resource' | 'operation'>),
			credentials: personal(sandbox),
			input: [{ value: good }, { value: bad }],
		});
		expect(items).toBeUndefined();
		expect(error!.message).toBe(message);
		expect(error!.context!.itemIndex).toBe(1);
		expect(error!.description).toMatch(/Nothing was sent for this item\.$/);
		// The portal's fields are read to check the filters; no search is sent, not even for the good item.
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/v1/deals/fields']);
	});

	test('a condition without a field fails before any request', async () => {
		const { error } = await runNode({ parameters: getMany('deal', { filters: [{ field: '={{ $json.field }}', value: 'x' }] }), credentials: personal(sandbox), input: [{ field: '' }] });
		expect(error!.message).toBe('Filter 1 has no field');
		expect(sandbox.requests).toEqual([]);
	});

	test('continue on fail: the bad item becomes an error item, the good ones search', async () => {
		const { items, error } = await runNode({
			parameters: getMany('deal', { filters: [{ field: '={{ $json.field }}', value: 'ORD-1001' }] }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ field: 'colour' }, { field: 'UF_CRM_ORDER_NUMBER' }],
		});
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['Filter field "colour" is not a field of this record type', { item: 0 }],
			[5141, { item: 1 }],
		]);
		expect(searches()).toHaveLength(1);
	});
});

describe('retries: a search is safe to send again', () => {
	test('the connection breaks: sent again, no record lost or repeated', async () => {
		sandbox.seedRecords('deal', 600);
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/deals/search', afterProcessing: true });
		const { items, error } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(603);
		expect(new Set(ids(items)).size).toBe(603);
		expect(searches().map((r) => r.status)).toEqual(['reset', 200, 200]);
	});

	test('a 429 between two pages is waited out, then paging goes on', async () => {
		sandbox.seedRecords('deal', 600);
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/deals/search', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: getMany('deal', { returnAll: true }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(603);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(searches().map((r) => r.status)).toEqual([429, 200, 200]);
	});
});
