/**
 * The sandbox's timeline family (test/sandbox/families/timeline.js), plain HTTP as a client sees it: the documented
 * bodies and only those, the required fields and filters, string comment types against numeric log types, the
 * documented codes of a missing comment or entry, the personal key's log delete, the `crm` scope, read-only keys,
 * and the two options (what a write on a missing record answers, what a create answers).
 */
import { createSandbox } from '../../sandbox/server';
import { sandboxCaller, type SandboxAnswer } from '../../helpers/fixtures';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

type Answer = SandboxAnswer;
const call = sandboxCaller(sandbox);
const appHeaders = () => ({ 'X-Api-Key': sandbox.keys.app, Authorization: `Bearer ${sandbox.keys.session}` });
const error = (answer: Answer) => [answer.status, answer.body?.error?.code, answer.body?.error?.message];

describe('/v1/timelines (comments)', () => {
	test('create: the documented answer, entityType lower-case, author the key owner', async () => {
		const answer = await call('POST', '/v1/timelines', { entityType: 'DYNAMIC_1038', entityId: 1, comment: 'Packed' });
		expect(answer.status).toBe(201);
		expect(answer.body.data).toEqual({ id: expect.any(Number), entityId: 1, entityType: 'dynamic_1038', comment: 'Packed', authorId: 1, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/) });
	});

	test.each([
		['a numeric entityType', { entityType: 2, entityId: 5141, comment: 'x' }, [422, 'BITRIX_ERROR', 'Access denied.']],
		['a numeric entityType as text', { entityType: '2', entityId: 5141, comment: 'x' }, [422, 'BITRIX_ERROR', 'Access denied.']],
		['an unknown entityType', { entityType: 'order', entityId: 5141, comment: 'x' }, [422, 'BITRIX_ERROR', 'Access denied.']],
		['an empty comment', { entityType: 'deal', entityId: 5141, comment: '' }, [422, 'BITRIX_ERROR', 'Empty comment message']],
		['no comment', { entityType: 'deal', entityId: 5141 }, [422, 'BITRIX_ERROR', 'Empty comment message']],
		['the fields in a wrapper', { fields: { entityType: 'deal', entityId: 5141, comment: 'x' } }, [422, 'BITRIX_ERROR', 'Empty comment message']],
		['a deal that does not exist', { entityType: 'deal', entityId: 741, comment: 'x' }, [422, 'BITRIX_ERROR', 'Access denied.']],
		['an entityId as text', { entityType: 'deal', entityId: '5141', comment: 'x' }, [422, 'BITRIX_ERROR', 'Access denied.']],
	])('create refuses %s', async (_label, body, expected) => {
		expect(error(await call('POST', '/v1/timelines', body))).toEqual(expected);
		expect(sandbox.store<{ comments: unknown[] }>('timeline').comments).toHaveLength(1);
	});

	test('a missing record answers 404 ENTITY_NOT_FOUND with that option', async () => {
		sandbox.configure({ timelineMissingRecord: 'ENTITY_NOT_FOUND' });
		expect(error(await call('POST', '/v1/timelines', { entityType: 'deal', entityId: 741, comment: 'x' }))).toEqual([404, 'ENTITY_NOT_FOUND', 'Item not found']);
	});

	test('a create answers only the ID with timelineWriteAnswer id', async () => {
		sandbox.configure({ timelineWriteAnswer: 'id' });
		const answer = await call('POST', '/v1/timelines', { entityType: 'deal', entityId: 5141, comment: 'x' });
		expect(answer.body.data).toEqual({ id: expect.any(Number) });
	});

	test('list: both filters required (400 MISSING_REQUIRED_FILTER), oldest first, meta total and hasMore', async () => {
		expect(error(await call('GET', '/v1/timelines?filter[entityType]=deal'))[1]).toBe('MISSING_REQUIRED_FILTER');
		expect(error(await call('GET', '/v1/timelines'))[0]).toBe(400);
		expect(error(await call('GET', '/v1/timelines?filter[entityType]=2&filter[entityId]=5142'))).toEqual([422, 'BITRIX_ERROR', 'Access denied.']);
		await call('POST', '/v1/timelines', { entityType: 'deal', entityId: 5142, comment: 'Second' });
		const answer = await call('GET', '/v1/timelines?filter[entityType]=deal&filter[entityId]=5142&limit=1');
		expect(answer.body.data.map((c: { comment: string }) => c.comment)).toEqual(['Client asked for an annual invoice']);
		expect(answer.body.meta).toEqual({ total: 2, hasMore: true });
		const next = await call('GET', '/v1/timelines?filter[entityType]=deal&filter[entityId]=5142&limit=1&offset=1');
		expect(next.body.data.map((c: { comment: string }) => c.comment)).toEqual(['Second']);
	});

	test('get: a missing comment is 422 BITRIX_ERROR "Not found."; update and delete: 404 ENTITY_NOT_FOUND', async () => {
		expect(error(await call('GET', '/v1/timelines/42'))).toEqual([422, 'BITRIX_ERROR', 'Not found.']);
		expect(error(await call('PATCH', '/v1/timelines/42', { comment: 'x' }))[1]).toBe('ENTITY_NOT_FOUND');
		expect(error(await call('DELETE', '/v1/timelines/42'))[1]).toBe('ENTITY_NOT_FOUND');
		expect(error(await call('GET', '/v1/timelines/abc'))[1]).toBe('INVALID_PARAMS');
	});

	test('update changes only the text; entityType and entityId stay; delete answers 204 with no body', async () => {
		const updated = await call('PATCH', '/v1/timelines/9001', { comment: 'New', entityType: 'lead', entityId: 101 });
		expect(updated.body.data).toMatchObject({ id: 9001, entityType: 'deal', entityId: 5142, comment: 'New' });
		expect(error(await call('PATCH', '/v1/timelines/9001', { comment: ' ' }))[2]).toBe('Empty comment message');
		expect(await call('DELETE', '/v1/timelines/9001')).toEqual({ status: 204, body: undefined });
	});

	test('GET /v1/timelines/fields lists the documented fields', async () => {
		expect(Object.keys((await call('GET', '/v1/timelines/fields')).body.data.fields)).toEqual(['id', 'entityType', 'entityId', 'comment', 'authorId', 'createdAt']);
	});
});

describe('/v1/timeline-logs (log entries)', () => {
	const create = (body: unknown, headers?: Record<string, string>) => call('POST', '/v1/timeline-logs', body, headers);

	test('create: the documented answer (id, created, authorId, title, text, iconCode)', async () => {
		const answer = await create({ entityTypeId: 2, entityId: 5141, title: 'Paid', text: '4,800 USD' });
		expect(answer.status).toBe(201);
		expect(answer.body.data).toEqual({ id: expect.any(Number), created: expect.stringMatching(/\+00:00$/), authorId: 1, title: 'Paid', text: '4,800 USD', iconCode: '' });
	});

	test.each([
		['no entityTypeId', { entityId: 5141, title: 't', text: 'x' }, 'entityTypeId'],
		['entityTypeId as text', { entityTypeId: '2', entityId: 5141, title: 't', text: 'x' }, 'entityTypeId'],
		['no entityId', { entityTypeId: 2, title: 't', text: 'x' }, 'entityId'],
		['no title', { entityTypeId: 2, entityId: 5141, text: 'x' }, 'title'],
		['an empty text', { entityTypeId: 2, entityId: 5141, title: 't', text: '' }, 'text'],
	])('create refuses %s with 400 INVALID_PARAMS naming the field', async (_label, body, field) => {
		const [status, code, message] = error(await create(body));
		expect([status, code]).toEqual([400, 'INVALID_PARAMS']);
		expect(message).toMatch(new RegExp(`^${field} `));
	});

	test('a record that does not exist: 422 BITRIX_ERROR, or 404 ENTITY_NOT_FOUND with that option', async () => {
		expect(error(await create({ entityTypeId: 1, entityId: 999, title: 't', text: 'x' }))).toEqual([422, 'BITRIX_ERROR', 'Access denied.']);
		sandbox.configure({ timelineMissingRecord: 'ENTITY_NOT_FOUND' });
		expect(error(await create({ entityTypeId: 1, entityId: 999, title: 't', text: 'x' }))[1]).toBe('ENTITY_NOT_FOUND');
	});

	test('list: by entityTypeId and entityId (both required), ten a page, newest first, bound entries included', async () => {
		expect(error(await call('GET', '/v1/timeline-logs?entityTypeId=2'))[1]).toBe('INVALID_PARAMS');
		const ids: number[] = [];
		for (let n = 0; n < 11; n++) ids.push((await create({ entityTypeId: 2, entityId: 5141, title: `t${n}`, text: 'x' })).body.data.id);
		const first = await call('GET', '/v1/timeline-logs?entityTypeId=2&entityId=5141');
		expect(first.body.data.map((e: { id: number }) => e.id)).toEqual([...ids].reverse().slice(0, 10));
		expect(first.body.meta).toEqual({ total: 11, hasMore: true });
		await call('POST', `/v1/timeline-logs/${ids[0]}/bind`, { entityType: 'contact', entityId: 201 });
		expect((await call('GET', '/v1/timeline-logs?entityTypeId=3&entityId=201')).body.data.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
	});

	test('pin needs both fields and a record the entry is shown on; bind maps text types; INVALID_ENTITY_TYPE_ID below 128', async () => {
		const { id } = (await create({ entityTypeId: 2, entityId: 5141, title: 't', text: 'x' })).body.data;
		expect(error(await call('POST', `/v1/timeline-logs/${id}/pin`, { entityTypeId: 2 }))[1]).toBe('INVALID_PARAMS');
		expect((await call('POST', `/v1/timeline-logs/${id}/pin`, { entityTypeId: 2, entityId: 5141 })).status).toBe(200);
		expect(error(await call('POST', `/v1/timeline-logs/${id}/pin`, { entityTypeId: 3, entityId: 201 }))[1]).toBe('BITRIX_ERROR');
		expect(error(await call('POST', `/v1/timeline-logs/${id}/bind`, { entityTypeId: 5, entityId: 1 }))[1]).toBe('INVALID_ENTITY_TYPE_ID');
		expect((await call('POST', `/v1/timeline-logs/${id}/bind`, { entityType: 'dynamic_1038', entityId: 1 })).status).toBe(200);
		expect((await call('GET', `/v1/timeline-logs/${id}/bindings`)).body.data).toEqual([
			{ ownerId: id, entityId: 5141, entityType: 'deal' },
			{ ownerId: id, entityId: 1, entityType: 'dynamic_1038' },
		]);
		expect(error(await call('POST', '/v1/timeline-logs/42/pin', { entityTypeId: 2, entityId: 5141 }))[1]).toBe('ENTITY_NOT_FOUND');
		const store = sandbox.store<{ logs: Array<{ pinned: unknown[] }> }>('timeline');
		expect(store.logs[0].pinned).toEqual([{ entityTypeId: 2, entityId: 5141 }]);
	});

	test('delete: a personal key always gets 403 CROSS_APP_DELETE_FORBIDDEN; another application too; the creating application deletes (204)', async () => {
		const mine = (await create({ entityTypeId: 2, entityId: 5141, title: 't', text: 'x' })).body.data.id;
		expect(error(await call('DELETE', `/v1/timeline-logs/${mine}`))[1]).toBe('CROSS_APP_DELETE_FORBIDDEN');
		const byApp = (await create({ entityTypeId: 2, entityId: 5141, title: 't', text: 'x' }, appHeaders())).body.data.id;
		const other = { 'X-Api-Key': sandbox.keys.emptyApp, Authorization: `Bearer ${sandbox.keys.emptySession}` };
		expect(error(await call('DELETE', `/v1/timeline-logs/${byApp}`, undefined, other))).toEqual([403, 'CROSS_APP_DELETE_FORBIDDEN', expect.any(String)]);
		expect((await call('DELETE', `/v1/timeline-logs/${byApp}`, undefined, appHeaders())).status).toBe(204);
		expect(error(await call('DELETE', `/v1/timeline-logs/${byApp}`, undefined, appHeaders()))[1]).toBe('ENTITY_NOT_FOUND');
		expect(error(await call('GET', `/v1/timeline-logs/${byApp}`))[1]).toBe('ENTITY_NOT_FOUND');
	});
});

test('both need the crm scope; a read-only key may read but not write', async () => {
	const noCrm = { 'X-Api-Key': sandbox.keys.noCrm };
	expect(error(await call('GET', '/v1/timelines?filter[entityType]=deal&filter[entityId]=5142', undefined, noCrm))[1]).toBe('SCOPE_DENIED');
	expect(error(await call('POST', '/v1/timeline-logs', { entityTypeId: 2, entityId: 5141, title: 't', text: 'x' }, noCrm))[1]).toBe('SCOPE_DENIED');
	const readonly = { 'X-Api-Key': sandbox.keys.readonly };
	expect((await call('GET', '/v1/timelines?filter[entityType]=deal&filter[entityId]=5142', undefined, readonly)).status).toBe(200);
	expect(error(await call('POST', '/v1/timelines', { entityType: 'deal', entityId: 5141, comment: 'x' }, readonly))[1]).toBe('WRITE_BLOCKED_READONLY_KEY');
	expect(error(await call('POST', '/v1/timeline-logs', { entityTypeId: 2, entityId: 5141, title: 't', text: 'x' }, readonly))[1]).toBe('WRITE_BLOCKED_READONLY_KEY');
});

test('the options take only their values; reset brings the seed back', async () => {
	expect(() => sandbox.configure({ timelineWriteAnswer: 'nothing' })).toThrow(/timelineWriteAnswer must be one of record, id/);
	await call('DELETE', '/v1/timelines/9001');
	sandbox.reset();
	expect(sandbox.store<{ comments: Array<{ id: number }> }>('timeline').comments.map(({ id }) => id)).toEqual([9001]);
});
