/**
 * Create, Update, Delete, Get and Create or Update in batches (Options → Batch Size), run by n8n-core's
 * WorkflowExecute against the sandbox's POST /v1/{entity}/batch and POST /v1/batch over real HTTP: every size around
 * the limits, each item's own result in its place and paired, partial failures with Continue On Fail on and off, a
 * batch of creates whose answer is lost never sent again, the ones that may be sent again sent again, and the proof
 * of every record written.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode, type RunResult } from '../../../helpers/engine';
import { askSandbox, personal, recordParameters, type RecordInput } from '../../../helpers/fixtures';
import { recordSuite } from '../../../helpers/recordSuite';

const suite = recordSuite('create', 'update', 'upsert');
const { sandbox, schemasOf } = suite;

type Write = Omit<RecordInput, 'schema'> & { operation: 'create' | 'update' | 'upsert' | 'get' | 'delete' };
const run = async (input: Write, items: IDataObject[], continueOnFail = false): Promise<RunResult> =>
	await runNode({
		parameters: recordParameters({ ...input, schema: schemasOf[input.operation]?.[input.resource] }),
		credentials: personal(sandbox),
		input: items,
		continueOnFail,
	});

const leads = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ title: `Bulk lead ${from + i}`, n: from + i }));
const createLeads = (options: IDataObject = {}) => ({ resource: 'lead', operation: 'create' as const, values: { title: '={{ $json.title }}' }, options });
/** Requests other than the portal reads (fields, stages) the check makes: the writes, searches and batch reads. */
const sent = () => sandbox.requests.filter((r) => !(r.method === 'GET' && /\/(fields|statuses|deal-categories|users)$/.test(r.path)));
const log = () => sent().map((r) => `${r.method} ${r.path} ${r.status}`);
const count = async (resource: string, filter: IDataObject) => (await askSandbox(sandbox, 'POST', `/v1/${resource}/search`, { filter, limit: 1 })).total as number;
const allLeads = async () => (await askSandbox(sandbox, 'POST', '/v1/leads/search', { filter: { '%title': 'Bulk lead' }, limit: 5000 })).data as IDataObject[];

/** Every output item in input order, each paired with its own input item. */
function expectPaired(result: RunResult, total: number) {
	expect(result.items).toHaveLength(total);
	expect(result.items!.map((item) => item.pairedItem)).toEqual(Array.from({ length: total }, (_, item) => ({ item })));
}

describe('sizes around the limits: one record per item, in order, no record twice', () => {
	test.each([
		[1, 500, ['POST /v1/leads 201']],
		[50, 50, ['POST /v1/leads/batch 200']],
		[51, 50, ['POST /v1/leads/batch 200', 'POST /v1/leads/batch 200']],
		[500, 500, ['POST /v1/leads/batch 200']],
		[501, 500, ['POST /v1/leads/batch 200', 'POST /v1/leads/batch 200']],
		[1001, 500, ['POST /v1/leads/batch 200', 'POST /v1/leads/batch 200', 'POST /v1/leads/batch 200']],
	])('%i items, Batch Size %i', async (total, batchSize, requests) => {
		const result = await run(createLeads({ batchSize }), leads(total));
		expect(result.error).toBeUndefined();
		expectPaired(result, total);
		expect(result.items!.map((item) => item.json.title)).toEqual(leads(total).map((lead) => lead.title));
		expect(log()).toEqual(requests);
		const stored = await allLeads();
		expect(stored).toHaveLength(total);
		expect(new Set(stored.map((lead) => lead.title)).size).toBe(total);
		expect(new Set(result.items!.map((item) => item.json.id)).size).toBe(total);
	});

	test('1,001 items at Batch Size 50: 21 batches, each 50 records at most', async () => {
		const result = await run(createLeads({ batchSize: 50 }), leads(1001));
		expectPaired(result, 1001);
		expect(log()).toEqual(Array.from({ length: 21 }, () => 'POST /v1/leads/batch 200'));
		expect(await allLeads()).toHaveLength(1001);
	});

	test('Batch Size 1 sends each item on its own', async () => {
		const result = await run(createLeads({ batchSize: 1 }), leads(3));
		expectPaired(result, 3);
		expect(log()).toEqual(['POST /v1/leads 201', 'POST /v1/leads 201', 'POST /v1/leads 201']);
	});
});

describe('partial failures: only the failing item fails', () => {
	test.each([
		['the first', 0],
		['a middle', 57],
		['the last', 119],
	])('%s item, Continue On Fail on: its error in its place, every other record created once', async (_label, failing) => {
		sandbox.addFault({ kind: 'itemError', path: '/v1/leads/batch', where: { title: `Bulk lead ${failing}` }, code: 'BITRIX_ERROR', message: 'Duplicate lead' });
		const result = await run(createLeads(), leads(120), true);
		expectPaired(result, 120);
		const failed = result.items!.filter((item) => item.json.error);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: failing }]);
		expect(failed[0].json).toMatchObject({ error: 'Bitrix24 rejected the request [BITRIX_ERROR]', code: 'BITRIX_ERROR', httpCode: '422', itemIndex: failing });
		expect(String(failed[0].json.description)).toContain('VibeCode said: Duplicate lead.');
		expect(await allLeads()).toHaveLength(119);
	});

	test('Continue On Fail off: the run stops at the first failed item and says which items were written and which were not', async () => {
		sandbox.addFault({ kind: 'itemError', path: '/v1/leads/batch', where: { title: 'Bulk lead 60' }, code: 'BITRIX_ERROR', message: 'Duplicate lead' });
		sandbox.addFault({ kind: 'itemError', path: '/v1/leads/batch', where: { title: 'Bulk lead 70' }, code: 'BITRIX_ERROR', message: 'Duplicate lead' });
		const result = await run(createLeads({ maxParallel: 1, batchSize: 50 }), leads(160));
		expect(result.items).toBeUndefined();
		expect(result.error!.message).toBe('Bitrix24 rejected the request [BITRIX_ERROR]');
		expect(result.error!.context!.itemIndex).toBe(60);
		expect(result.error!.description).toContain(
			'The run stopped at item 60. Written: items 0–59, 61–69 and 71–99. Not written: items 70 and 100–159 (failed, or not sent after the stop).',
		);
		// The third and fourth batches were not sent.
		expect(log()).toEqual(['POST /v1/leads/batch 200', 'POST /v1/leads/batch 200']);
		expect(await allLeads()).toHaveLength(98);
	});

	test('bad input is refused before any batch, and the batch carries the good items only', async () => {
		const result = await run({ resource: 'deal', operation: 'create', values: 'auto' }, [{ title: 'A' }, { amount: 5 }, { title: 'C' }], true);
		expect(result.items!.map((item) => item.json.title ?? item.json.code)).toEqual(['A', 'INVALID_PARAMETER', 'C']);
		expect(result.items![1].json.description).toMatch(/Nothing was sent/);
		expect(log()).toEqual(['POST /v1/deals/batch 200']);
	});

	test('a batch VibeCode refused as a whole for one item: that item gets its error, the others the batch\'s', async () => {
		sandbox.addFault({
			kind: 'error',
			method: 'POST',
			path: '/v1/deals/batch',
			status: 400,
			code: 'INVALID_REQUEST',
			message: 'All calls in the batch failed validation',
			data: { errors: { 1: { code: 'VALIDATION_ERROR', message: 'items.1.amount: Expected number' } } },
		});
		const result = await run({ resource: 'deal', operation: 'update', entity: '={{ $json.id }}', values: { amount: '={{ $json.amount }}' } }, [{ id: 5141, amount: 1 }, { id: 5142, amount: 2 }], true);
		expect(result.items!.map((item) => item.json.code)).toEqual(['INVALID_REQUEST', 'VALIDATION_ERROR']);
		expect(result.items![1].json).toMatchObject({ itemIndex: 1, httpCode: '400' });
		expect(String(result.items![1].json.description)).toContain('items.1.amount: Expected number');
	});
});

describe('unknown outcomes: a batch of creates is never sent twice; reads, updates and deletes may be', () => {
	test.each([
		['the connection breaks after VibeCode created them', { kind: 'reset', afterProcessing: true }, 'CONNECTION_RESET', 'reset'],
		['the answer comes after the timeout', { kind: 'hang', afterProcessing: true, delayMs: 2500 }, 'TIMEOUT', 0],
	])('%s: every item says the lead may exist, naming how to find it; one request', async (_label, fault, code, status) => {
		sandbox.addFault({ method: 'POST', path: '/v1/leads/batch', ...fault } as never);
		const result = await run(createLeads({ timeout: 1, maxRetries: 4 }), leads(3), true);
		expectPaired(result, 3);
		expect(result.items!.map((item) => item.json.code)).toEqual([code, code, code]);
		expect(result.items![2].json.error).toBe(`No answer to the batch that created this lead: it may already have been created [${code}]`);
		expect(String(result.items![2].json.description)).toMatch(/^The node did not send the batch again\. Search Bitrix24 for the lead with Lead name \(title\) = "Bulk lead 2" before running this item again\./);
		expect(log()).toEqual([`POST /v1/leads/batch ${status}`]);
		// VibeCode did create them: sending again would have made six.
		expect(await allLeads()).toHaveLength(3);
	});

	test('Create or Update names the match field', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/leads/batch', afterProcessing: true });
		const result = await run({ resource: 'lead', operation: 'upsert', match: ['email'], values: { email: '={{ $json.email }}', title: 'New' } }, [{ email: 'one@bulk.example' }, { email: 'two@bulk.example' }], true);
		expect(String(result.items![1].json.description)).toMatch(/Search Bitrix24 for the lead with Email \(email\) = "two@bulk\.example" before running this item again/);
		expect(log().filter((line) => line.includes('/batch'))).toEqual(['POST /v1/leads/batch reset']);
	});

	test('an update batch whose answer was lost is sent again: every deal updated, once', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/deals/batch', afterProcessing: true });
		const result = await run({ resource: 'deal', operation: 'update', entity: '={{ $json.id }}', values: { amount: '={{ $json.amount }}' } }, [{ id: 5141, amount: 11 }, { id: 5142, amount: 12 }]);
		expect(result.error).toBeUndefined();
		expect(result.items!.map((item) => [item.json.id, item.json.amount])).toEqual([[5141, 11], [5142, 12]]);
		expect(log()).toEqual(['POST /v1/deals/batch reset', 'POST /v1/deals/batch 200']);
	});

	test('a delete batch whose answer was lost is sent again; the records it deleted count as deleted', async () => {
		sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/companies/batch', afterProcessing: true });
		const result = await run({ resource: 'company', operation: 'delete', entity: '={{ $json.id }}' }, [{ id: 301 }, { id: 302 }]);
		expect(result.error).toBeUndefined();
		expect(result.items!.map((item) => item.json)).toEqual([{ id: 301, deleted: true }, { id: 302, deleted: true }]);
		expect(log()).toEqual(['POST /v1/companies/batch reset', 'POST /v1/companies/batch 200']);
	});

	test('429, 502 BITRIX_UNAVAILABLE and 504 QUEUE_TIMEOUT are sent again, and create each record once', async () => {
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/leads/batch', status: 429, code: 'RATE_LIMITED', retryAfter: 1 });
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/leads/batch', status: 502, code: 'BITRIX_UNAVAILABLE', retryAfter: 0 });
		sandbox.addFault({ kind: 'error', method: 'POST', path: '/v1/leads/batch', status: 504, code: 'QUEUE_TIMEOUT', retryAfter: 0 });
		const result = await run(createLeads(), leads(60));
		expect(result.error).toBeUndefined();
		expectPaired(result, 60);
		expect(await allLeads()).toHaveLength(60);
	});
});

describe('every record a batch wrote is proven, like a single write', () => {
	test('a field Bitrix24 dropped fails its items with WRITE_NOT_APPLIED naming it; the records exist', async () => {
		sandbox.configure({ dropOnWrite: ['comments'] });
		const result = await run({ resource: 'lead', operation: 'create', values: { title: '={{ $json.title }}', comments: 'note' } }, leads(3), true);
		expect(result.items!.map((item) => item.json.code)).toEqual(['WRITE_NOT_APPLIED', 'WRITE_NOT_APPLIED', 'WRITE_NOT_APPLIED']);
		expect(result.items![1].json.error).toMatch(/^Lead \d+ was created, but Comment \(comments\) does not hold the value sent/);
		expect(result.items![1].json.itemIndex).toBe(1);
	});

	test('a batch that answers only the IDs: the records are read back in one batch of get calls, then compared', async () => {
		sandbox.configure({ batchRecords: 'id' });
		const result = await run(createLeads(), leads(3));
		expect(result.error).toBeUndefined();
		expect(result.items!.map((item) => item.json.title)).toEqual(['Bulk lead 0', 'Bulk lead 1', 'Bulk lead 2']);
		expect(log()).toEqual(['POST /v1/leads/batch 200', 'POST /v1/batch 200']);
	});

	test('a server that reads the older body: the deals are refused, and the items say VibeCode did not read the title', async () => {
		sandbox.configure({ bodyShape: 'wrapped' });
		const result = await run({ resource: 'deal', operation: 'create', values: { title: '={{ $json.title }}' } }, leads(2), true);
		expect(result.items!.map((item) => item.json.code)).toEqual(['WRITE_NOT_APPLIED', 'WRITE_NOT_APPLIED']);
		expect(result.items![0].json.error).toBe('VibeCode did not read Deal name (title), which the node sent, and created no deal [WRITE_NOT_APPLIED]');
	});
});

describe('Get, Update, Delete and Create or Update in batches', () => {
	test('Get: 120 records by /v1/batch, 50 calls a request; a missing one is its item\'s error', async () => {
		sandbox.seedRecords('deal', 119);
		const ids = [...(await askSandbox(sandbox, 'POST', '/v1/deals/search', { limit: 500 })).data as IDataObject[]].map((deal) => deal.id as number).slice(0, 119);
		const input = [...ids.slice(0, 60), 999999, ...ids.slice(60)].map((id) => ({ id }));
		sandbox.requests.length = 0;
		const result = await run({ resource: 'deal', operation: 'get', entity: '={{ $json.id }}' }, input, true);
		expectPaired(result, 120);
		expect(result.items![60].json).toMatchObject({ code: 'ENTITY_NOT_FOUND', error: 'The CRM has no deal 999999 [ENTITY_NOT_FOUND]', itemIndex: 60 });
		expect(result.items!.filter((item) => !item.json.error).map((item) => item.json.id)).toEqual(ids);
		expect(log()).toEqual(['POST /v1/batch 200', 'POST /v1/batch 200', 'POST /v1/batch 200']);
	});

	test('Update: phone lists read in one batch first, then one batch of changes; each proven', async () => {
		const result = await run(
			{ resource: 'lead', operation: 'update', entity: '={{ $json.id }}', values: { phone: '={{ $json.phone }}' } },
			[{ id: 101, phone: '+1 555 0111' }, { id: 102, phone: '+1 555 0122' }],
		);
		expect(result.error).toBeUndefined();
		expect(result.items!.map((item) => (item.json.phone as IDataObject[]).map((entry) => entry.value).pop())).toEqual(['+1 555 0111', '+1 555 0122']);
		expect(log()).toEqual(['POST /v1/batch 200', 'POST /v1/leads/batch 200']);
	});

	test('Delete: one batch; a record that is not there is its item\'s error', async () => {
		const result = await run({ resource: 'company', operation: 'delete', entity: '={{ $json.id }}' }, [{ id: 301 }, { id: 999999 }, { id: 302 }], true);
		expect(result.items!.map((item) => item.json.deleted ?? item.json.code)).toEqual([true, 'ENTITY_NOT_FOUND', true]);
		expect(log()).toEqual(['POST /v1/companies/batch 200']);
	});

	test('Create or Update: one search per batch ($in), then a batch of creates and one of updates; a match value twice in the run makes one record', async () => {
		const input = [
			{ email: 'anna.smirnova@mail.example', comments: 'known' },
			...Array.from({ length: 60 }, (_, i) => ({ email: `new${i}@bulk.example`, comments: `new ${i}` })),
			{ email: 'NEW3@bulk.example', comments: 'again' },
		];
		const result = await run({ resource: 'lead', operation: 'upsert', match: ['email'], values: 'auto', options: { batchSize: 50 } }, input);
		expect(result.error).toBeUndefined();
		expectPaired(result, 62);
		expect(result.items![0].json).toMatchObject({ id: 101, action: 'updated', comments: 'known' });
		expect(result.items!.slice(1, 61).every((item) => item.json.action === 'created')).toBe(true);
		expect(result.items![61].json).toMatchObject({ id: result.items![4].json.id, action: 'updated', comments: 'again' });
		// Round one: two batches (50 + 11), each a search, its creates and (the first) its update; round two: the repeat.
		const searches = sandbox.requests.filter((r) => r.path === '/v1/leads/search');
		expect(searches).toHaveLength(3);
		expect(sandbox.requests.filter((r) => r.path === '/v1/leads/batch')).toHaveLength(4);
		expect(await count('leads', { email: 'new3@bulk.example' })).toBe(1);
	});
});

describe("every shape VibeCode's pages leave open for an entity batch's answer: each record with its real ID, proven", () => {
	type Shape = 'whole' | 'id' | 'idBeside' | 'bareId';
	const SHAPES: Shape[] = ['whole', 'id', 'idBeside', 'bareId'];
	const LISTS = ['results', 'array'] as const;
	const cases = SHAPES.flatMap((batchRecords) => LISTS.map((batchResults) => [batchRecords, batchResults] as const));
	/** The /v1/batch reads of the records answered without the fields sent: none for whole records, 50 a request else. */
	const readsFor = (shape: Shape, records: number) => (shape === 'whole' ? [] : Array.from({ length: Math.ceil(records / 50) }, () => 'POST /v1/batch 200'));
	/** The stored leads of this suite, by ID, as VibeCode stores them now. */
	const storedById = () => new Map(sandbox.recordsOf('lead').filter((lead) => String(lead.title).startsWith('Bulk lead')).map((lead) => [lead.id, lead]));
	/** Every output is its item's stored record, under the record's real ID, and nothing reads NaN. */
	function expectStored(result: RunResult, titles: string[]) {
		expect(result.error).toBeUndefined();
		expectPaired(result, titles.length);
		const stored = storedById();
		result.items!.forEach((item, index) => {
			expect(item.json.error).toBeUndefined();
			expect(Number.isInteger(item.json.id) && (item.json.id as number) > 0).toBe(true);
			const { action: _action, ...record } = item.json;
			expect(record).toEqual(JSON.parse(JSON.stringify(stored.get(item.json.id as number))));
			expect(item.json.title).toBe(titles[index]);
		});
		expect(JSON.stringify(result.items)).not.toContain('NaN');
	}

	test.each(cases)('batchRecords %s, batchResults %s: 300 creates, each item its own new lead', async (batchRecords, batchResults) => {
		sandbox.configure({ batchRecords, batchResults });
		const result = await run(createLeads(), leads(300));
		expectStored(result, leads(300).map((lead) => lead.title));
		expect(new Set(result.items!.map((item) => item.json.id)).size).toBe(300);
		expect(log()).toEqual(['POST /v1/leads/batch 200', ...readsFor(batchRecords, 300)]);
		expect(storedById().size).toBe(300);
	});

	test.each(cases)('batchRecords %s, batchResults %s: an update batch of 300, each item the lead it named', async (batchRecords, batchResults) => {
		sandbox.seedRecords('lead', 300, (i) => ({ title: `Bulk lead ${i}` }));
		const ids = [...storedById().keys()];
		sandbox.requests.length = 0;
		sandbox.configure({ batchRecords, batchResults });
		const input = ids.map((id, i) => ({ id, comments: `changed ${i}` }));
		const result = await run({ resource: 'lead', operation: 'update', entity: '={{ $json.id }}', values: { comments: '={{ $json.comments }}' } }, input);
		expectStored(result, ids.map((_, i) => `Bulk lead ${i}`));
		expect(result.items!.map((item) => [item.json.id, item.json.comments])).toEqual(input.map(({ id, comments }) => [id, comments]));
		expect(log()).toEqual(['POST /v1/leads/batch 200', ...readsFor(batchRecords, 300)]);
		expect(storedById().size).toBe(300);
	});

	test.each(cases)('batchRecords %s, batchResults %s: Create or Update of 300, 150 found and 150 new', async (batchRecords, batchResults) => {
		sandbox.seedRecords('lead', 150, (i) => ({ title: `Bulk lead ${i}`, email: [{ value: `bulk${i}@shape.example`, typeId: 'WORK' }] }));
		const seeded = [...storedById().keys()];
		sandbox.requests.length = 0;
		sandbox.configure({ batchRecords, batchResults });
		const input = leads(300).map((lead, i) => ({ ...lead, email: `bulk${i}@shape.example`, comments: `run ${i}` }));
		const result = await run(
			{ resource: 'lead', operation: 'upsert', match: ['email'], values: { email: '={{ $json.email }}', title: '={{ $json.title }}', comments: '={{ $json.comments }}' } },
			input,
		);
		expectStored(result, input.map((lead) => lead.title));
		expect(result.items!.map((item) => item.json.action)).toEqual(input.map((_, i) => (i < 150 ? 'updated' : 'created')));
		expect(result.items!.slice(0, 150).map((item) => item.json.id)).toEqual(seeded);
		expect(result.items!.map((item) => item.json.comments)).toEqual(input.map((lead) => lead.comments));
		// One search, one batch of creates and one of updates (in parallel), and the reads of both, 50 a request.
		expect(log().filter((line) => line === 'POST /v1/leads/batch 200')).toHaveLength(2);
		expect(log().filter((line) => line === 'POST /v1/batch 200')).toEqual(batchRecords === 'whole' ? [] : Array.from({ length: 6 }, () => 'POST /v1/batch 200'));
		expect(storedById().size).toBe(300);
	});

	test.each(SHAPES)('batchRecords %s, results out of order: each placed by its index, each item its own lead', async (batchRecords) => {
		sandbox.configure({ batchRecords, batchOrder: 'reversed' });
		const result = await run(createLeads(), leads(300));
		expectStored(result, leads(300).map((lead) => lead.title));
		expect(storedById().size).toBe(300);
	});
});

describe('a create answered success: true with no ID anywhere', () => {
	test('each item fails on its own words, naming how to find the lead; no NaN, no read, nothing sent again', async () => {
		sandbox.configure({ batchRecords: 'none' });
		const result = await run(createLeads(), leads(3), true);
		expectPaired(result, 3);
		expect(result.items!.map((item) => item.json.code)).toEqual(['INVALID_RESPONSE', 'INVALID_RESPONSE', 'INVALID_RESPONSE']);
		expect(result.items![2].json).toMatchObject({ error: 'VibeCode created this lead but its answer gives no ID [INVALID_RESPONSE]', httpCode: '200', itemIndex: 2 });
		expect(String(result.items![2].json.description)).toMatch(
			/^The node could not read the new lead back to check its values, and did not send it again\. Search Bitrix24 for the lead with Lead name \(title\) = "Bulk lead 2" before running this item again\./,
		);
		expect(JSON.stringify(result.items)).not.toMatch(/NaN|WRITE_NOT_APPLIED/);
		expect(log()).toEqual(['POST /v1/leads/batch 200']);
		// VibeCode did create them: sending again would have made six.
		expect(await allLeads()).toHaveLength(3);
	});

	test('Continue On Fail off: the run stops with that error, and the batch was sent once', async () => {
		sandbox.configure({ batchRecords: 'none', batchResults: 'array' });
		const result = await run(createLeads(), leads(3));
		expect(result.items).toBeUndefined();
		expect(result.error!.message).toBe('VibeCode created this lead but its answer gives no ID [INVALID_RESPONSE]');
		expect(result.error!.message + String(result.error!.description)).not.toContain('NaN');
		expect(log()).toEqual(['POST /v1/leads/batch 200']);
		expect(await allLeads()).toHaveLength(3);
	});

	test('Create or Update names the match field; the items that updated a found lead succeed, read back by the ID sent', async () => {
		sandbox.configure({ batchRecords: 'none' });
		const result = await run(
			{ resource: 'lead', operation: 'upsert', match: ['email'], values: { email: '={{ $json.email }}', comments: '={{ $json.comments }}' } },
			[{ email: 'anna.smirnova@mail.example', comments: 'known' }, { email: 'two@bulk.example', comments: 'new' }],
			true,
		);
		expect(result.items![0].json).toMatchObject({ id: 101, action: 'updated', comments: 'known' });
		expect(result.items![1].json.error).toBe('VibeCode created this lead but its answer gives no ID [INVALID_RESPONSE]');
		expect(String(result.items![1].json.description)).toMatch(/Search Bitrix24 for the lead with Email \(email\) = "two@bulk\.example" before running this item again/);
		expect(JSON.stringify(result.items)).not.toContain('NaN');
		expect(log().filter((line) => line.includes('/leads/batch'))).toHaveLength(2);
		expect(await count('leads', { email: 'two@bulk.example' })).toBe(1);
	});

	test('an update batch answered without IDs: each record read back by the ID sent, and proven', async () => {
		sandbox.configure({ batchRecords: 'none' });
		const result = await run({ resource: 'deal', operation: 'update', entity: '={{ $json.id }}', values: { amount: '={{ $json.amount }}' } }, [{ id: 5141, amount: 21 }, { id: 5142, amount: 22 }]);
		expect(result.error).toBeUndefined();
		expect(result.items!.map((item) => [item.json.id, item.json.amount])).toEqual([[5141, 21], [5142, 22]]);
		expect(log()).toEqual(['POST /v1/deals/batch 200', 'POST /v1/batch 200']);
	});

	test('a delete batch answered without IDs: each item the ID it sent, deleted', async () => {
		sandbox.configure({ batchRecords: 'none' });
		const result = await run({ resource: 'company', operation: 'delete', entity: '={{ $json.id }}' }, [{ id: 301 }, { id: 302 }]);
		expect(result.items!.map((item) => item.json)).toEqual([{ id: 301, deleted: true }, { id: 302, deleted: true }]);
		expect(log()).toEqual(['POST /v1/companies/batch 200']);
	});
});
