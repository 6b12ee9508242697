/**
 * The Bitrix24 Instant Trigger's webhook() through n8n-core's WebhookContext, with calls shaped as Bitrix24 sends
 * them (test/sandbox/bitrixEvents.js, parsed as n8n parses form bodies) and the record read over real HTTP from the
 * sandbox: the token check, the events chosen, duplicates and bursts, the read, its filters and its failure, and the
 * answer: "accepted" only by n8n once the execution has started (after the read), never before.
 */
import { eventPairs, formBody, robotPairs } from '../../sandbox/bitrixEvents';
import { loadInstantOptions } from '../../helpers/engine';
import { askSandbox, personal, RECORD_IDS } from '../../helpers/fixtures';
import { callWebhook, type WebhookCall } from '../../helpers/webhook';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const TOKEN = 'bx24-app-token-7f3a9c';
const ALL_EVENTS = ['company', 'contact', 'deal', 'invoice', 'lead', 'quote'].flatMap((type) => ['add', 'update', 'delete'].map((action) => `${type}.${action}`));
let workflows = 0;
/** Each test its own workflow, so the duplicate memory of one does not reach into another. */
const call = (body: WebhookCall['body'], parameters: Record<string, unknown> = {}, extra: Partial<WebhookCall> = {}) =>
	callWebhook({ parameters: { events: [...ALL_EVENTS, 'robot'], applicationToken: TOKEN, ...parameters }, body, workflowId: `wf-${workflows}`, ...extra });
beforeEach(() => workflows++);
const reading = (filters = {}) => ({ readRecord: true, filters });
const reads = () => sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/'));

describe('the application token', () => {
	test('the right token: answered 200 at once, and the workflow starts with the event as plain JSON, without the token', async () => {
		const outcome = await call(formBody(eventPairs({ event: 'ONCRMDEALUPDATE', id: 5141, token: TOKEN, ts: 1731500000 })));
		expect(outcome.answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
		expect(outcome.items).toEqual([
			{ event: 'ONCRMDEALUPDATE', entityType: 'deal', action: 'update', id: 5141, ts: 1731500000, handlerId: '17', portal: 'sandbox.bitrix24.com', memberId: expect.any(String), fields: { ID: '5141' } },
		]);
		expect(JSON.stringify(outcome)).not.toContain(TOKEN);
		expect(reads()).toEqual([]);
	});

	test.each([
		['a wrong token', `${TOKEN}x`],
		['a token cut short', TOKEN.slice(0, -1)],
		['no token', null],
		['an empty token', ''],
	])('%s: HTTP 401 with a short JSON body, nothing started, the token nowhere', async (_name, token) => {
		const outcome = await call(formBody(eventPairs({ id: 5141, token })));
		expect(outcome.answer).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(outcome.items).toBeUndefined();
		expect(JSON.stringify(outcome)).not.toContain(TOKEN);
	});

	test('while the editor listens, a wrong token is answered 401 and shown in the editor, without the token', async () => {
		const outcome = await call(formBody(eventPairs({ id: 5141, token: 'pasted-the-wrong-one' })), {}, { mode: 'manual' });
		expect(outcome.answer).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
		expect(outcome.items).toEqual([{ code: 'UNAUTHORIZED', error: 'The application token is missing or does not match', hint: expect.stringContaining('Application Token'), refusedWith: 401 }]);
		expect(JSON.stringify(outcome)).not.toContain(TOKEN);
		expect(JSON.stringify(outcome)).not.toContain('pasted-the-wrong-one');
	});

	test('several tokens (one per outgoing webhook) are accepted; a node without one refuses everything', async () => {
		const second = 'second-token-1234';
		expect((await call(formBody(eventPairs({ id: 1, token: second })), { applicationToken: `${TOKEN}, ${second}` })).answer?.status).toBe(200);
		expect((await call(formBody(eventPairs({ id: 1, token: TOKEN })), { applicationToken: '' })).answer?.status).toBe(401);
	});

	test('a robot call without a token is refused unless Accept Robot Calls Without Token is on; a wrong token is refused either way', async () => {
		const bare = formBody(robotPairs({ id: 5142, token: null }));
		expect((await call(bare)).answer?.status).toBe(401);
		const allowed = await call(bare, { options: { robotWithoutToken: true } });
		expect(allowed.answer?.status).toBe(200);
		expect(allowed.items?.[0]).toMatchObject({ event: 'ROBOT', entityType: 'deal', id: 5142 });
		expect((await call(formBody(robotPairs({ id: 5142, token: 'wrong' })), { options: { robotWithoutToken: true } })).answer?.status).toBe(401);
		// An outgoing-webhook event without a token is never a robot call.
		expect((await call(formBody(eventPairs({ id: 5142, token: null })), { options: { robotWithoutToken: true } })).answer?.status).toBe(401);
	});
});

describe('events', () => {
	test('an event not selected is answered 200 and starts nothing', async () => {
		const outcome = await call(formBody(eventPairs({ event: 'ONCRMLEADADD', id: 101, token: TOKEN })), { events: ['deal.update'] });
		expect(outcome.answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
		expect(outcome.items).toBeUndefined();
		const foreign = await call(formBody(eventPairs({ event: 'ONTASKADD', id: 1, token: TOKEN })));
		expect(foreign.answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
		expect((await call(formBody(robotPairs({ id: 1, token: TOKEN })), { events: ['deal.update'] })).answer?.body.status).toBe('ignored');
	});

	test('a call that is neither an event nor a robot call, with the right token, is answered 400', async () => {
		const outcome = await call({ 'auth[application_token]': TOKEN, hello: 'world' });
		expect(outcome.answer).toMatchObject({ status: 400, body: { error: 'UNKNOWN_CALL' } });
		expect(outcome.items).toBeUndefined();
	});

	test('the robot call with its parameters and the query of its URL, in both form shapes', async () => {
		for (const shape of ['indexed', 'brackets'] as const) {
			const outcome = await call(formBody(robotPairs({ id: 5142, token: TOKEN, shape, params: { stage: 'WON' } })), {}, { query: { from: 'robot' } });
			expect(outcome.items).toEqual([
				expect.objectContaining({ event: 'ROBOT', entityType: 'deal', id: 5142, document: ['crm', 'CCrmDocumentDeal', 'DEAL_5142'], params: { stage: 'WON', from: 'robot' } }),
			]);
		}
	});

	test('nested keys (another parser) start the same workflow as flat ones', async () => {
		const nested = await call({ event: 'ONCRMLEADADD', data: { FIELDS: { ID: '101' } }, ts: '5', auth: { application_token: TOKEN, domain: 'x.bitrix24.com' } });
		expect(nested.items).toEqual([{ event: 'ONCRMLEADADD', entityType: 'lead', action: 'add', id: 101, ts: 5, portal: 'x.bitrix24.com', fields: { ID: '101' } }]);
	});
});

describe('duplicates and bursts', () => {
	test('the same delivery twice starts the workflow once; the copy is answered 200', async () => {
		const body = formBody(eventPairs({ id: 5141, token: TOKEN, ts: 1731500000 }));
		const first = await call(body);
		const copy = await callWebhook({ parameters: { events: ALL_EVENTS, applicationToken: TOKEN }, body, workflowId: `wf-${workflows}` });
		expect(first.items).toHaveLength(1);
		expect(copy.answer).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(copy.items).toBeUndefined();
		// Another workflow (or node) remembers its own deliveries.
		expect((await callWebhook({ parameters: { events: ALL_EVENTS, applicationToken: TOKEN }, body, workflowId: `other-${workflows}` })).items).toHaveLength(1);
	});

	test('a wrong-token copy is not remembered: the real delivery after it still starts the workflow', async () => {
		const pairs = eventPairs({ id: 5141, token: 'forged', ts: 99 });
		expect((await call(formBody(pairs))).answer?.status).toBe(401);
		expect((await call(formBody(eventPairs({ id: 5141, token: TOKEN, ts: 99 })))).items).toHaveLength(1);
	});

	test('a burst of 400 calls at once, 40 of them copies: every call answered, 360 workflows started, each record once', async () => {
		const originals = Array.from({ length: 360 }, (_, i) => formBody(eventPairs({ id: 10_000 + i, token: TOKEN, ts: 1731500000 + i })));
		const bodies = [...originals, ...originals.filter((_, i) => i % 9 === 0)];
		const outcomes = await Promise.all(bodies.map((body) => call(body)));
		expect(outcomes.every((o) => o.answer?.status === 200)).toBe(true);
		const started = outcomes.flatMap((o) => o.items ?? []);
		expect(started).toHaveLength(360);
		expect(new Set(started.map((item) => item.id)).size).toBe(360);
		expect(outcomes.filter((o) => o.answer?.body.status === 'duplicate')).toHaveLength(40);
	});
});

describe('Read the Record', () => {
	test('the record as VibeCode answers it, the event beside it; "accepted" only after the read, by n8n as the execution starts', async () => {
		sandbox.configure({ latencyMs: 300 });
		const outcome = await call(formBody(eventPairs({ event: 'ONCRMDEALUPDATE', id: 5141, token: TOKEN, ts: 7 })), reading(), { credentials: personal(sandbox) });
		// The node itself never answers an event that starts the workflow: n8n does, with this body, once it started it.
		expect(outcome.result.noWebhookResponse).toBeUndefined();
		expect(outcome.result.webhookResponse).toEqual({ status: 'accepted' });
		expect(outcome.answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
		expect(outcome.answer!.atMs).toBeGreaterThanOrEqual(300);
		sandbox.configure({ latencyMs: 0 });
		const { data: record } = await askSandbox(sandbox, 'GET', '/v1/deals/5141');
		expect(outcome.items).toEqual([{ ...(record as object), bitrix24Event: expect.objectContaining({ event: 'ONCRMDEALUPDATE', id: 5141, ts: 7 }) }]);
		expect(outcome.items?.[0]).toMatchObject({ id: 5141, title: expect.any(String), stageId: expect.any(String) });
		expect(JSON.stringify(outcome.items)).not.toContain(sandbox.keys.personal);
	});

	test.each([
		['ONCRMLEADADD', 'lead', undefined],
		['ONCRMCONTACTUPDATE', 'contact', undefined],
		['ONCRMCOMPANYADD', 'company', undefined],
		['ONCRMQUOTEUPDATE', 'quote', undefined],
		['ONCRMDYNAMICITEMUPDATE', 'invoice', 31],
	])('%s reads the %s', async (event, type, entityTypeId) => {
		const id = RECORD_IDS[type];
		const outcome = await call(formBody(eventPairs({ event, id, entityTypeId, token: TOKEN })), reading(), { credentials: personal(sandbox) });
		expect(outcome.items).toEqual([expect.objectContaining({ id, bitrix24Event: expect.objectContaining({ entityType: type }) })]);
		expect(reads().map((r) => r.path)).toEqual([`/v1/${type === 'company' ? 'companies' : `${type}s`}/${id}`]);
	});

	test('the robot call reads its document (DEAL_5142)', async () => {
		const outcome = await call(formBody(robotPairs({ id: 5142, token: TOKEN, params: { why: 'won' } })), reading(), { credentials: personal(sandbox) });
		expect(outcome.items).toEqual([expect.objectContaining({ id: 5142, bitrix24Event: expect.objectContaining({ event: 'ROBOT', params: { why: 'won' } }) })]);
	});

	test('a deletion is not read: the event as Bitrix24 sent it', async () => {
		const outcome = await call(formBody(eventPairs({ event: 'ONCRMDEALDELETE', id: 5143, token: TOKEN })), reading(), { credentials: personal(sandbox) });
		expect(outcome.items).toEqual([expect.objectContaining({ event: 'ONCRMDEALDELETE', action: 'delete', id: 5143 })]);
		expect(reads()).toEqual([]);
	});

	test('filters: only records at the stage, in the pipeline, of the user start the workflow', async () => {
		const won = sandbox.createRecord('deal', { title: 'Won', stageId: 'WON', categoryId: 0, assignedById: 1 });
		const open = sandbox.createRecord('deal', { title: 'Open', stageId: 'NEW', categoryId: 0, assignedById: 1 });
		const lead = sandbox.createRecord('lead', { title: 'Converted', statusId: 'CONVERTED', assignedById: 7 });
		const event = (id: number, name = 'ONCRMDEALUPDATE') => formBody(eventPairs({ event: name, id, token: TOKEN }));
		const options = { credentials: personal(sandbox) };
		expect((await call(event(won.id), reading({ stageIds: 'WON, C1:WON' }), options)).items).toHaveLength(1);
		const filtered = await call(event(open.id), reading({ stageIds: 'WON, C1:WON' }), options);
		expect(filtered.answer).toMatchObject({ status: 200, body: { status: 'skipped' } });
		expect(filtered.items).toBeUndefined();
		expect((await call(event(won.id), reading({ categoryIds: '1' }), options)).items).toBeUndefined();
		expect((await call(event(won.id), reading({ categoryIds: '0', assignedByIds: '1' }), options)).items).toHaveLength(1);
		expect((await call(event(lead.id, 'ONCRMLEADUPDATE'), reading({ stageIds: 'CONVERTED', assignedByIds: '7' }), options)).items).toHaveLength(1);
		expect((await call(event(lead.id, 'ONCRMLEADUPDATE'), reading({ assignedByIds: '1' }), options)).items).toBeUndefined();
		// As the dropdowns give them: lists, the pipeline a number.
		expect((await call(event(won.id), reading({ stageIds: ['WON', 'C1:WON'], categoryIds: [0], assignedByIds: ['1'] }), options)).items).toHaveLength(1);
		expect((await call(event(open.id), reading({ stageIds: ['WON'] }), options)).items).toBeUndefined();
		expect((await call(event(won.id), reading({ categoryIds: [1, 2] }), options)).items).toBeUndefined();
		expect((await call(event(won.id), reading({ stageIds: [], categoryIds: [], assignedByIds: [] }), options)).items).toHaveLength(1);
	});

	test('the filter lists come from the portal: pipelines, users, and the stages of every entity type among the Events', async () => {
		const load = (method: 'getInstantStages' | 'getInstantPipelines' | 'getUsers', events: string[]) =>
			loadInstantOptions(method, { parameters: { events, readRecord: true }, credentials: personal(sandbox) });
		const deals = await load('getInstantStages', ['deal.update']);
		expect(deals).toEqual(expect.arrayContaining([{ name: 'Deal: General: Deal won (WON)', value: 'WON' }, { name: 'Deal: Wholesale: Won (C1:WON)', value: 'C1:WON' }]));
		expect(deals.every((option) => String(option.name).startsWith('Deal: '))).toBe(true);
		const mixed = await load('getInstantStages', ['deal.update', 'lead.add', 'contact.update', 'robot']);
		expect(mixed).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'CONVERTED', name: expect.stringMatching(/^Lead: .+ \(CONVERTED\)$/) })]));
		// A stage ID two types share is one entry naming both.
		expect(mixed.filter((option) => option.value === 'NEW')).toEqual([{ name: expect.stringMatching(/^Deal: General: .+ · Lead: .+ \(NEW\)$/), value: 'NEW' }]);
		expect(new Set(mixed.map((option) => option.value)).size).toBe(mixed.length);
		expect(await load('getInstantStages', ['contact.update', 'company.add'])).toEqual([]);
		// Pipelines: the deals' while no type among the Events has them, named with their type.
		expect(await load('getInstantPipelines', [])).toEqual(expect.arrayContaining([{ name: 'Deal: General (0)', value: 0 }]));
		expect(await load('getInstantPipelines', ['deal.update', 'lead.add'])).toEqual(await load('getInstantPipelines', []));
		expect((await load('getUsers', [])).map((option) => option.value)).toContain(1);
	});

	test('a failed read starts the workflow with the error explained: the record does not exist', async () => {
		const outcome = await call(formBody(eventPairs({ id: 999_999, token: TOKEN })), reading(), { credentials: personal(sandbox) });
		expect(outcome.answer?.status).toBe(200);
		expect(outcome.items).toEqual([
			expect.objectContaining({ event: 'ONCRMDEALUPDATE', id: 999_999, error: 'The CRM has no deal 999999 [ENTITY_NOT_FOUND]', code: 'ENTITY_NOT_FOUND', httpCode: '404', description: expect.any(String) }),
		]);
	});

	test('a failed read: the key revoked, Bitrix24 refusing, no credential; the key never shown', async () => {
		sandbox.addFault({ kind: 'error', path: '/v1/deals/5141', status: 401, code: 'KEY_INACTIVE', message: `key ${sandbox.keys.personal} revoked`, times: 1 });
		const revoked = await call(formBody(eventPairs({ id: 5141, token: TOKEN })), reading(), { credentials: personal(sandbox) });
		expect(revoked.items).toEqual([expect.objectContaining({ id: 5141, code: 'KEY_INACTIVE', httpCode: '401' })]);
		expect(JSON.stringify(revoked.items)).not.toContain(sandbox.keys.personal);

		sandbox.addFault({ kind: 'error', path: '/v1/deals/5141', status: 422, code: 'BITRIX_ERROR', message: 'Bitrix24 says no', times: 1 });
		const refused = await call(formBody(eventPairs({ id: 5141, token: TOKEN })), reading(), { credentials: personal(sandbox) });
		expect(refused.items).toEqual([expect.objectContaining({ code: 'BITRIX_ERROR', httpCode: '422', error: expect.any(String) })]);

		const none = await call(formBody(eventPairs({ id: 5141, token: TOKEN })), reading());
		expect(none.answer?.status).toBe(200);
		expect(none.items).toEqual([expect.objectContaining({ id: 5141, error: expect.stringMatching(/credential/i) })]);
	});

	test('Read the Record off: nothing is read even with a credential', async () => {
		const outcome = await call(formBody(eventPairs({ id: 5141, token: TOKEN })), { readRecord: false }, { credentials: personal(sandbox) });
		expect(outcome.items).toEqual([expect.objectContaining({ event: 'ONCRMDEALUPDATE', fields: { ID: '5141' } })]);
		expect(reads()).toEqual([]);
	});
});

describe('Watch Fields', () => {
	const event = (id: number, name = 'ONCRMDEALUPDATE', ts = Date.now()) => formBody(eventPairs({ event: name, id, token: TOKEN, ts }));
	const watching = (watchFields: unknown, filters = {}) => ({ readRecord: true, watchFields, filters });
	const options = () => ({ credentials: personal(sandbox) });
	let ts = 1_731_500_000;
	/** One event of the record, each with its own ts (Bitrix24 sends one per change); the started items' IDs. */
	const started = async (id: number, parameters: Record<string, unknown>, name?: string) =>
		((await call(event(id, name, ts++), parameters, options())).items ?? []).map((item) => item.id);

	test('an update starts the workflow only when a watched field differs from the last read; the first read of a record starts it', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 1', stageId: 'NEW', opportunity: 12000 });
		const parameters = watching(['stageId', 'opportunity']);
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		sandbox.updateRecord('deal', deal.id, { title: 'Order 1 (renamed)' });
		expect(await started(deal.id, parameters)).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { opportunity: '12000' });
		expect(await started(deal.id, parameters)).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'PREPARATION' });
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		sandbox.updateRecord('deal', deal.id, { opportunity: 15000 });
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		// Each event read the record before its answer (accepted or skipped).
		expect(reads()).toHaveLength(5);
	});

	test('with a stage filter: "the deal entered Won" from update events, once, whatever else changes later', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 2', stageId: 'NEW' });
		const parameters = watching('stageId', { stageIds: ['WON'] });
		// Read at NEW: filtered out, but its stage is noted.
		expect(await started(deal.id, parameters)).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' });
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		sandbox.updateRecord('deal', deal.id, { comments: 'Paid by card' });
		expect(await started(deal.id, parameters)).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'LOSE' });
		expect(await started(deal.id, parameters)).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' });
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
	});

	test('a creation always starts the workflow and notes the values; a robot call always starts it', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 3', stageId: 'NEW' });
		const parameters = watching('stageId');
		expect(await started(deal.id, parameters, 'ONCRMDEALADD')).toEqual([deal.id]);
		expect(await started(deal.id, parameters, 'ONCRMDEALADD')).toEqual([deal.id]);
		expect(await started(deal.id, parameters)).toEqual([]);
		const robot = await call(formBody(robotPairs({ id: deal.id, token: TOKEN, ts: ts++ })), parameters, options());
		expect(robot.items?.map((item) => item.id)).toEqual([deal.id]);
	});

	test('records are told apart by type and ID; a type without the watched fields starts on every update', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 4', stageId: 'NEW' });
		const other = sandbox.createRecord('deal', { title: 'Order 5', stageId: 'NEW' });
		const contact = RECORD_IDS.contact;
		const parameters = watching('stageId');
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		expect(await started(other.id, parameters)).toEqual([other.id]);
		expect(await started(deal.id, parameters)).toEqual([]);
		expect(await started(contact, parameters, 'ONCRMCONTACTUPDATE')).toEqual([contact]);
		expect(await started(contact, parameters, 'ONCRMCONTACTUPDATE')).toEqual([contact]);
	});

	test('another field list starts afresh; a custom field is watched by its name', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 6', stageId: 'NEW', UF_CRM_ORDER_NUMBER: 'A-1' });
		expect(await started(deal.id, watching('stageId'))).toEqual([deal.id]);
		expect(await started(deal.id, watching('stageId'))).toEqual([]);
		expect(await started(deal.id, watching('stageId, UF_CRM_ORDER_NUMBER'))).toEqual([deal.id]);
		expect(await started(deal.id, watching(['UF_CRM_ORDER_NUMBER', 'stageId']))).toEqual([]);
		sandbox.updateRecord('deal', deal.id, { UF_CRM_ORDER_NUMBER: 'A-2' });
		expect(await started(deal.id, watching('stageId, UF_CRM_ORDER_NUMBER'))).toEqual([deal.id]);
	});

	test('two events of one change read together start the workflow once', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Order 7', stageId: 'NEW' });
		const parameters = watching('stageId');
		expect(await started(deal.id, parameters)).toEqual([deal.id]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' });
		const both = await Promise.all([call(event(deal.id, undefined, ts++), parameters, options()), call(event(deal.id, undefined, ts++), parameters, options())]);
		expect(both.flatMap((outcome) => outcome.items ?? []).map((item) => item.id)).toEqual([deal.id]);
		expect(both.map((outcome) => outcome.answer?.body.status).sort()).toEqual(['accepted', 'skipped']);
	});

	test('the Watch Fields list: the fields of every entity type among the Events, once each', async () => {
		const load = (events: string[]) => loadInstantOptions('getInstantWatchableFields', { parameters: { events, readRecord: true }, credentials: personal(sandbox) });
		const deal = await load(['deal.update', 'deal.add']);
		expect(deal).toEqual(expect.arrayContaining([{ name: 'Stage (stageId)', value: 'stageId' }, { name: 'Order number (UF_CRM_ORDER_NUMBER)', value: 'UF_CRM_ORDER_NUMBER' }]));
		expect(deal.map((option) => option.value).filter((name) => ['id', 'createdAt', 'updatedAt'].includes(String(name)))).toEqual([]);
		expect(sandbox.requests.filter((r) => r.path.endsWith('/fields')).map((r) => r.path)).toEqual(['/v1/deals/fields']);
		const both = await load(['deal.update', 'lead.update', 'robot']);
		expect(both).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'statusId', description: 'Lead' }), expect.objectContaining({ value: 'stageId', description: 'Deal' })]));
		expect(both.find((option) => option.value === 'title')).toMatchObject({ description: 'Deal, Lead' });
		expect(new Set(both.map((option) => option.value)).size).toBe(both.length);
		expect(await load(['robot'])).toEqual([]);
	});
});
