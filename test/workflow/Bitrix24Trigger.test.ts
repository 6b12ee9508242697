/**
 * The Bitrix24 Trigger polled through n8n-core's PollContext against the sandbox, with its static data
 * carried between polls as JSON (as n8n stores it), so every poll is also a restart.
 */
import { loadTriggerOptions, poll } from '../helpers/engine';
import { STAGE_MOVES, personal, stageField } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const parameters = (entityType = 'deal', filters = {}, extra: Record<string, unknown> = {}) => ({ event: 'newRecord', entityType, filters, ...extra });
const ids = (items: Array<{ json: Record<string, unknown> }> | null) => (items ?? []).map((item) => item.json.id);
const second = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000);

async function poller(entityType = 'deal', filters = {}, extra: Record<string, unknown> = {}) {
	let staticData: string | undefined;
	const next = async () => {
		const result = await poll({ parameters: parameters(entityType, filters, extra), credentials: personal(sandbox), staticData });
		staticData = result.staticData;
		return result.items;
	};
	return Object.assign(next, { staticData: () => staticData ?? '' });
}

test('the first activation emits nothing old; later polls emit each new record once', async () => {
	const next = await poller();
	expect(await next()).toBeNull();
	const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
	const b = sandbox.createRecord('deal', { title: 'B' }, second(2));
	expect(ids(await next())).toEqual([a.id, b.id]);
	expect(await next()).toBeNull();
	const c = sandbox.createRecord('deal', { title: 'C' }, second(3));
	expect(ids(await next())).toEqual([c.id]);
});

test('many records in the same second, over several pages, each exactly once', async () => {
	const next = await poller();
	await next();
	const burst = Array.from({ length: 130 }, (_, i) => sandbox.createRecord('deal', { title: `Burst ${i}` }, second(5)).id);
	const emitted = ids(await next());
	expect(emitted).toHaveLength(130);
	expect(new Set(emitted)).toEqual(new Set(burst));
	expect(sandbox.requests.filter((r) => r.path === '/v1/deals/search').length).toBeGreaterThanOrEqual(3);
	// More records in that very second, after the poll: only they come next.
	const late = [sandbox.createRecord('deal', { title: 'Late 1' }, second(5)).id, sandbox.createRecord('deal', { title: 'Late 2' }, second(5)).id];
	expect(ids(await next())).toEqual(late);
	expect(await next()).toBeNull();
});

test('deleting records, the newest included, does not lose or repeat anything', async () => {
	const next = await poller();
	await next();
	const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
	expect(ids(await next())).toEqual([a.id]);
	await fetch(`${sandbox.url}/v1/deals/${a.id}`, { method: 'DELETE', headers: { 'X-Api-Key': sandbox.keys.personal } });
	expect(await next()).toBeNull();
	const b = sandbox.createRecord('deal', { title: 'B' }, second(2));
	expect(ids(await next())).toEqual([b.id]);
});

test('works for every entity type with its own creation field, and with filters', async () => {
	for (const entityType of ['company', 'contact', 'invoice', 'lead', 'quote']) {
		const next = await poller(entityType);
		await next();
		const record = sandbox.createRecord(entityType, { title: 'New', name: 'New' }, second(9));
		expect(ids(await next())).toEqual([record.id]);
	}
	const next = await poller('deal', { stageId: 'WON' });
	await next();
	sandbox.createRecord('deal', { title: 'Open', stageId: 'NEW' }, second(10));
	const won = sandbox.createRecord('deal', { title: 'Won', stageId: 'WON' }, second(11));
	expect(ids(await next())).toEqual([won.id]);
});

test('a manual test run returns the newest record to map fields from', async () => {
	const newest = sandbox.createRecord('lead', { title: 'Newest', name: 'Nina' }, second(30));
	const { items } = await poll({ parameters: parameters('lead'), credentials: personal(sandbox), mode: 'manual' });
	expect(items).toEqual([{ json: expect.objectContaining({ id: newest.id, name: 'Nina' }) }]);
});

test('Updated Record\'s test fetch returns the newest record changed after its creation, not one only created', async () => {
	const changed = sandbox.createRecord('deal', { title: 'Changed' }, second(10));
	sandbox.updateRecord('deal', changed.id, { amount: 10 }, second(20));
	sandbox.createRecord('deal', { title: 'Only created, later' }, second(30));
	const { items } = await poll({ parameters: parameters('deal', {}, { event: 'updatedRecord' }), credentials: personal(sandbox), mode: 'manual' });
	expect(ids(items)).toEqual([changed.id]);
});

test('Updated Record\'s test fetch with no record changed after its creation says so', async () => {
	sandbox.createRecord('company', { title: 'Only created' }, second(30));
	const failing = poll({ parameters: parameters('company', {}, { event: 'updatedRecord' }), credentials: personal(sandbox), mode: 'manual' });
	await expect(failing).rejects.toMatchObject({ message: expect.stringMatching(/^No company among the \d+ changed last was changed after its creation/) });
});

test('API errors surface as trigger errors', async () => {
	const failing = poll({ parameters: parameters(), credentials: { ...personal(sandbox), apiKey: sandbox.keys.noCrm } });
	await expect(failing).rejects.toMatchObject({ name: 'NodeApiError', message: "The key lacks the 'crm' scope [SCOPE_DENIED]", httpCode: '403' });
});

test('an entity type that is not one of the six is refused before any request', async () => {
	const failing = poll({ parameters: parameters('banana'), credentials: personal(sandbox) });
	await expect(failing).rejects.toMatchObject({ name: 'NodeOperationError', message: 'Choose an Entity Type' });
	expect(sandbox.requests).toHaveLength(0);
});

test('an empty portal: everything created after activation is new', async () => {
	await fetch(`${sandbox.url}/v1/quotes/401`, { method: 'DELETE', headers: { 'X-Api-Key': sandbox.keys.personal } });
	const next = await poller('quote');
	expect(await next()).toBeNull();
	const first = sandbox.createRecord('quote', { title: 'First quote' }, second(1));
	expect(ids(await next())).toEqual([first.id]);
	expect(await next()).toBeNull();
});

const searches = (path: string) => sandbox.requests.filter((r) => r.path === path).length;

describe('New Record: overlapping polls (n8n starts the next poll while one still runs)', () => {
	/** Polls sharing one live static-data object, as polls of one activated workflow do. */
	const livePoller = (entityType = 'deal') => {
		const live: Record<string, unknown> = {};
		return { live, next: async () => (await poll({ parameters: parameters(entityType), credentials: personal(sandbox), liveStaticData: live as never })).items };
	};

	test('a poll waiting out a 429 and the poll started meanwhile emit each record once between them', async () => {
		const { next } = livePoller('company');
		await next();
		const created = Array.from({ length: 60 }, (_, i) => sandbox.createRecord('company', { title: `Co ${i}` }, second(3)).id);
		sandbox.addFault({ kind: 'error', path: '/v1/companies/search', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const first = next();
		await new Promise((resolve) => setTimeout(resolve, 300));
		const second_ = next();
		const emitted = [...ids(await first), ...ids(await second_)];
		expect(emitted).toHaveLength(60);
		expect(new Set(emitted)).toEqual(new Set(created));
		expect(await next()).toBeNull();
	});

	test('the overlapping poll sends nothing; the lease is gone once the first poll ends', async () => {
		const { live, next } = livePoller();
		await next();
		sandbox.createRecord('deal', { title: 'A' }, second(1));
		sandbox.configure({ latencyMs: 200 });
		const first = next();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const before = sandbox.requests.length;
		expect(await next()).toBeNull();
		expect(sandbox.requests.length).toBe(before + 0);
		expect(ids(await first)).toHaveLength(1);
		expect(live['node:Bitrix24 Trigger']).not.toHaveProperty('lease');
	});

	test('a poll that outlived its lease emits nothing; the poll that took over emits once', async () => {
		const { live, next } = livePoller();
		await next();
		const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
		sandbox.configure({ latencyMs: 200 });
		const first = next();
		await new Promise((resolve) => setTimeout(resolve, 50));
		(live['node:Bitrix24 Trigger'] as { lease: { until: number } }).lease.until = 0;
		const taken = next();
		expect(await first).toBeNull();
		expect(ids(await taken)).toEqual([a.id]);
	});

	test('a lease left in saved static data (n8n stopped mid-poll) expires', async () => {
		const { staticData } = await poll({ parameters: parameters(), credentials: personal(sandbox) });
		const saved = JSON.parse(staticData);
		saved['node:Bitrix24 Trigger'].lease = { id: 'old', until: Date.now() - 1 };
		const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
		const { items } = await poll({ parameters: parameters(), credentials: personal(sandbox), staticData: JSON.stringify(saved) });
		expect(ids(items)).toEqual([a.id]);
	});
});

describe('New Record: any number of records in one second', () => {
	test('records that predate activation stay old when more than a page share the newest second', async () => {
		for (let i = 0; i < 60; i++) sandbox.createRecord('invoice', { title: `Import ${i}` }, second(0));
		const next = await poller('invoice');
		expect(await next()).toBeNull();
		expect(await next()).toBeNull();
		const late = sandbox.createRecord('invoice', { title: 'After activation' }, second(0));
		expect(ids(await next())).toEqual([late.id]);
	});

	test('a poll with nothing new costs one request, however many records share the cursor\'s second', async () => {
		const next = await poller('lead');
		await next();
		for (let i = 0; i < 57; i++) sandbox.createRecord('lead', { title: `Lead ${i}` }, second(2));
		expect(ids(await next())).toHaveLength(57);
		sandbox.requests.length = 0;
		expect(await next()).toBeNull();
		expect(searches('/v1/leads/search')).toBe(1);
		expect(next.staticData().length).toBeLessThan(300);
	});

	test('a few records in the cursor\'s second are remembered by ID', async () => {
		const next = await poller();
		await next();
		const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
		expect(ids(await next())).toEqual([a.id]);
		// A record created in that second with a lower ID (committed late) is still found.
		const late = sandbox.createRecord('deal', { id: a.id - 5000, title: 'Late' }, second(1));
		expect(ids(await next())).toEqual([late.id]);
	});
});

describe('filters', () => {
	test('a manual test fetch that finds nothing names the filters it applied', async () => {
		const failing = poll({ parameters: parameters('deal', { stageId: 'C1:WON', assignedById: 7 }), credentials: personal(sandbox), mode: 'manual' });
		const error = (await failing.catch((e: Error) => e)) as Error;
		expect({ name: error?.name, message: error?.message }).toEqual({
			name: 'NodeOperationError',
			message: 'No deal matches the filters applied: Responsible User = 7, Stage = C1:WON',
		});
	});

	test('Entered Status with nothing at the status says so', async () => {
		const error = await poll({ parameters: parameters('lead', {}, { event: 'enteredStage', stage: 'JUNK' }), credentials: personal(sandbox), mode: 'manual' }).catch((e: Error) => e);
		expect(error).toMatchObject({ message: 'No lead matches the filters applied: Status = JUNK' });
	});

	test('a filter left from another entity type is not sent (no Stage for leads); an empty Pipeline is not pipeline 0', async () => {
		const lead = sandbox.createRecord('lead', { title: 'Lead', statusId: 'NEW' }, second(40));
		const { items } = await poll({ parameters: parameters('lead', { stageId: 'WON', categoryId: 1 }), credentials: personal(sandbox), mode: 'manual' });
		expect(ids(items)).toEqual([lead.id]);
		const deal = sandbox.createRecord('deal', { title: 'In pipeline 1', categoryId: 1 }, second(41));
		const { items: deals } = await poll({ parameters: parameters('deal', { categoryId: '' }), credentials: personal(sandbox), mode: 'manual' });
		expect(ids(deals)).toEqual([deal.id]);
	});

	test('Responsible User filter from the picker (a number) or an expression (text)', async () => {
		const olga = sandbox.createRecord('company', { title: 'Olga\'s', assignedById: 7 }, second(42));
		sandbox.createRecord('company', { title: 'Other', assignedById: 1 }, second(43));
		for (const assignedById of [7, '7']) {
			const { items } = await poll({ parameters: parameters('company', { assignedById }), credentials: personal(sandbox), mode: 'manual' });
			expect(ids(items)).toEqual([olga.id]);
		}
	});
});

describe('Updated Record', () => {
	const update = (type: string, id: number, s: number, changes = {}) => sandbox.updateRecord(type, id, changes, second(s));

	test.each(['deal', 'lead', 'contact', 'company', 'quote', 'invoice'])('%s: each change once, a later change again, creations not', async (type) => {
		const next = await poller(type, {}, { event: 'updatedRecord' });
		const record = sandbox.createRecord(type, { title: 'Watched', name: 'Watched' }, second(1));
		expect(await next()).toBeNull();
		sandbox.createRecord(type, { title: 'Just created' }, second(2));
		update(type, record.id, 3, { title: 'Changed' });
		expect(ids(await next())).toEqual([record.id]);
		expect(await next()).toBeNull();
		update(type, record.id, 4, { title: 'Changed again' });
		expect(ids(await next())).toEqual([record.id]);
		expect(await next()).toBeNull();
	});

	test('changes made before activation are old, however many share the newest second', async () => {
		const created = Array.from({ length: 70 }, (_, i) => sandbox.createRecord('deal', { title: `D${i}` }, second(0)).id);
		created.forEach((id) => update('deal', id, 5));
		const next = await poller('deal', {}, { event: 'updatedRecord' });
		expect(await next()).toBeNull();
		expect(await next()).toBeNull();
		update('deal', created[0], 5, { title: 'Same second, after activation' });
		// Polling cannot tell a second change in the same second from the first: see the README.
		expect(await next()).toBeNull();
		update('deal', created[0], 6);
		expect(ids(await next())).toEqual([created[0]]);
	});

	test('a burst of changes in one second across pages, each once, and late ones in that second next', async () => {
		const next = await poller('deal', {}, { event: 'updatedRecord' });
		const deals = Array.from({ length: 120 }, (_, i) => sandbox.createRecord('deal', { title: `D${i}` }, second(0)).id);
		await next();
		deals.slice(0, 110).forEach((id) => update('deal', id, 7));
		expect(new Set(ids(await next()))).toEqual(new Set(deals.slice(0, 110)));
		deals.slice(110).forEach((id) => update('deal', id, 7));
		expect(ids(await next())).toEqual(deals.slice(110));
		expect(await next()).toBeNull();
	});
});

describe('Entered Stage / Entered Status', () => {
	const update = (type: string, id: number, s: number, changes = {}) => sandbox.updateRecord(type, id, changes, second(s));

	test.each(STAGE_MOVES)('%s: moved in, created there, changed while there, out and back', async (type, start, target, other) => {
		const field = stageField(type);
		const already = sandbox.createRecord(type, { title: 'Already there', [field]: target }, second(0));
		const record = sandbox.createRecord(type, { title: 'Mover', [field]: start }, second(0));
		const next = await poller(type, {}, { event: 'enteredStage', stage: target });
		expect(await next()).toBeNull();
		update(type, already.id, 1, { title: 'Edited while there' });
		expect(await next()).toBeNull();
		update(type, record.id, 2, { [field]: target });
		const born = sandbox.createRecord(type, { title: 'Born there', [field]: target }, second(2));
		expect(ids(await next())).toEqual([record.id, born.id]);
		update(type, record.id, 3, { title: 'Still there' });
		expect(await next()).toBeNull();
		update(type, record.id, 4, { [field]: other });
		expect(await next()).toBeNull();
		update(type, record.id, 5, { [field]: target });
		expect(ids(await next())).toEqual([record.id]);
		expect(await next()).toBeNull();
	});

	test('From Stage: only arrivals from the chosen stage', async () => {
		const a = sandbox.createRecord('deal', { title: 'From EXECUTING', stageId: 'EXECUTING' }, second(0));
		const b = sandbox.createRecord('deal', { title: 'From NEW', stageId: 'NEW' }, second(0));
		const c = sandbox.createRecord('deal', { title: 'Via EXECUTING', stageId: 'NEW' }, second(0));
		const next = await poller('deal', {}, { event: 'enteredStage', stage: 'WON', fromStage: 'EXECUTING' });
		await next();
		update('deal', a.id, 1, { stageId: 'WON' });
		update('deal', b.id, 1, { stageId: 'WON' });
		update('deal', c.id, 1, { stageId: 'EXECUTING' });
		expect(ids(await next())).toEqual([a.id]);
		update('deal', c.id, 2, { stageId: 'WON' });
		sandbox.createRecord('deal', { title: 'Born in WON', stageId: 'WON' }, second(2));
		expect(ids(await next())).toEqual([c.id]);
	});

	test('a manual test fetch returns the newest record at the stage', async () => {
		const won = sandbox.createRecord('deal', { title: 'Won', stageId: 'WON' }, second(1));
		sandbox.createRecord('deal', { title: 'Open', stageId: 'NEW' }, second(2));
		const { items } = await poll({ parameters: parameters('deal', {}, { event: 'enteredStage', stage: 'WON' }), credentials: personal(sandbox), mode: 'manual' });
		expect(ids(items)).toEqual([won.id]);
	});

	test('choosing another stage starts afresh (nothing old emitted)', async () => {
		const won = sandbox.createRecord('deal', { title: 'Won', stageId: 'WON' }, second(1));
		const first = await poller('deal', {}, { event: 'enteredStage', stage: 'LOSE' });
		await first();
		const { staticData } = await poll({ parameters: parameters('deal', {}, { event: 'enteredStage', stage: 'LOSE' }), credentials: personal(sandbox), staticData: first.staticData() });
		const { items, staticData: after } = await poll({ parameters: parameters('deal', {}, { event: 'enteredStage', stage: 'WON' }), credentials: personal(sandbox), staticData });
		expect(items).toBeNull();
		update('deal', won.id, 2, { title: 'still won' });
		expect((await poll({ parameters: parameters('deal', {}, { event: 'enteredStage', stage: 'WON' }), credentials: personal(sandbox), staticData: after })).items).toBeNull();
	});

	test('contacts and companies have no stage', async () => {
		const failing = poll({ parameters: parameters('contact', {}, { event: 'enteredStage', stage: 'WON' }), credentials: personal(sandbox) });
		await expect(failing).rejects.toMatchObject({ message: 'Contact records have no stage' });
	});
});

describe('static data stays bounded', () => {
	test('Entered Stage with 10,050 records at the stage, on a portal without move times: 10,000 remembered, the oldest dropped, one request per idle poll', async () => {
		// With move times nothing per record is kept (Bitrix24Trigger.restart.test.ts); without, the IDs at the stage.
		sandbox.configure({ movedTime: false });
		const at = Array.from({ length: 10_050 }, (_, i) => sandbox.createRecord('deal', { title: `Won ${i}`, stageId: 'WON' }, second(0)).id);
		at.forEach((id, i) => sandbox.updateRecord('deal', id, {}, second(1 + Math.floor(i / 100))));
		const next = await poller('deal', {}, { event: 'enteredStage', stage: 'WON' });
		expect(await next()).toBeNull();
		const state = JSON.parse(next.staticData())['node:Bitrix24 Trigger'];
		expect(state.inStage).toHaveLength(10_000);
		expect(state.inStage).not.toContain(at[0]);
		expect(next.staticData().length).toBeLessThan(10_000 * 7);
		sandbox.requests.length = 0;
		expect(await next()).toBeNull();
		expect(searches('/v1/deals/search')).toBe(1);
		// At the cap: a dropped record changed while still at the stage counts as an arrival once more.
		sandbox.updateRecord('deal', at[0], { title: 'edited' }, second(500));
		sandbox.updateRecord('deal', at[10_049], { title: 'edited' }, second(500));
		expect(ids(await next())).toEqual([at[0]]);
	});

	test('Watch Fields with 10,050 changed deals: the 10,000 changed last are known, about 20 bytes each, one request per idle poll', async () => {
		const deals = Array.from({ length: 10_050 }, (_, i) => sandbox.createRecord('deal', { title: `Deal ${i}`, amount: i }, second(0)).id);
		deals.forEach((id, i) => sandbox.updateRecord('deal', id, {}, second(1 + Math.floor(i / 100))));
		const next = await poller('deal', {}, { event: 'updatedRecord', watchFields: ['amount'] });
		sandbox.requests.length = 0;
		expect(await next()).toBeNull();
		const activation = { requests: searches('/v1/deals/search') };
		const state = JSON.parse(next.staticData())['node:Bitrix24 Trigger'];
		expect(state.fieldHashes).toHaveLength(10_000);
		expect(state.fieldHashes[9_999]).toMatch(new RegExp(`^${deals[10_049]}:`));
		const forgotten = state.fieldHashes.map((entry: string) => Number(entry.split(':')[0]));
		expect(forgotten).not.toContain(deals[49]);
		expect(forgotten).toContain(deals[50]);
		const bytes = Buffer.byteLength(JSON.stringify(state.fieldHashes));
		expect(bytes / 10_000).toBeLessThan(21);
		// Cursor (2 searches) and the known values (20 pages of 500).
		expect(activation.requests).toBe(22);
		sandbox.requests.length = 0;
		expect(await next()).toBeNull();
		expect(searches('/v1/deals/search')).toBe(1);
		// Known: only a watched change is emitted. Forgotten at the cap: its first change is emitted, whatever changed.
		sandbox.updateRecord('deal', deals[0], { title: 'edited' }, second(500));
		sandbox.updateRecord('deal', deals[10_049], { title: 'edited' }, second(500));
		sandbox.updateRecord('deal', deals[5_000], { amount: -1 }, second(500));
		expect(ids(await next())).toEqual([deals[0], deals[5_000]]);
		sandbox.updateRecord('deal', deals[0], { title: 'edited again' }, second(501));
		expect(await next()).toBeNull();
	});
});

describe('Updated Record with Watch Fields', () => {
	const update = (type: string, id: number, s: number, changes = {}) => sandbox.updateRecord(type, id, changes, second(s));
	const watching = (watchFields: string[] | string, filters = {}) => ({ event: 'updatedRecord', watchFields, ...filters });
	const stateOf = (staticData: string) => JSON.parse(staticData)['node:Bitrix24 Trigger'];

	test.each([false, true])('a custom field the answer leaves out unless selected (omitUserFields %s) is compared and emitted with its value', async (omit) => {
		sandbox.configure({ omitUserFields: omit });
		const deal = sandbox.createRecord('deal', { title: 'Order', UF_CRM_ORDER_NUMBER: 'ORD-1' }, second(0));
		const next = await poller('deal', {}, watching(['UF_CRM_ORDER_NUMBER']));
		expect(await next()).toBeNull();
		update('deal', deal.id, 1, { title: 'Renamed' });
		expect(await next()).toBeNull();
		sandbox.requests.length = 0;
		update('deal', deal.id, 2, { UF_CRM_ORDER_NUMBER: 'ORD-2' });
		const items = await next();
		expect(ids(items)).toEqual([deal.id]);
		expect(items?.[0].json).toMatchObject({ title: 'Renamed', UF_CRM_ORDER_NUMBER: 'ORD-2' });
		// One search, and one more for the left-out field of that page's records only when the answer lacked it.
		expect(searches('/v1/deals/search')).toBe(omit ? 2 : 1);
		expect(await next()).toBeNull();
	});

	test('a change to a watched field is emitted once, a change to another field not, across polls and a restart', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Watched', amount: 100, stageId: 'NEW' }, second(0));
		const other = sandbox.createRecord('deal', { title: 'Other', amount: 5, stageId: 'NEW' }, second(0));
		const next = await poller('deal', {}, watching(['amount', 'stageId']));
		expect(await next()).toBeNull();
		update('deal', deal.id, 1, { title: 'Renamed' });
		expect(await next()).toBeNull();
		update('deal', deal.id, 2, { amount: 250 });
		update('deal', other.id, 2, { comments: 'Called the client' });
		expect(ids(await next())).toEqual([deal.id]);
		expect(await next()).toBeNull();
		update('deal', deal.id, 3, { stageId: 'PREPARATION', title: 'And renamed' });
		expect(ids(await next())).toEqual([deal.id]);

		// n8n restarts: a new trigger instance with only the saved static data.
		const saved = next.staticData();
		update('deal', deal.id, 4, { title: 'While n8n was down' });
		update('deal', other.id, 4, { amount: 6 });
		const restarted = await poll({ parameters: parameters('deal', {}, watching(['amount', 'stageId'])), credentials: personal(sandbox), staticData: saved });
		expect(ids(restarted.items)).toEqual([other.id]);
		update('deal', deal.id, 5, { comments: 'Only a comment' });
		const after = await poll({ parameters: parameters('deal', {}, watching(['amount', 'stageId'])), credentials: personal(sandbox), staticData: restarted.staticData });
		expect(after.items).toBeNull();
	});

	test('a value changed and changed back between two polls is no event; numbers and their text are the same value', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Flip', amount: 100 }, second(0));
		const next = await poller('deal', {}, watching(['amount']));
		await next();
		update('deal', deal.id, 1, { amount: 300 });
		update('deal', deal.id, 2, { amount: 100 });
		expect(await next()).toBeNull();
		update('deal', deal.id, 3, { amount: '100' });
		expect(await next()).toBeNull();
	});

	test('records created after activation are known from their creation: only a watched change of theirs is emitted', async () => {
		const next = await poller('deal', {}, watching(['amount']));
		await next();
		const born = sandbox.createRecord('deal', { title: 'New one', amount: 10 }, second(1));
		expect(await next()).toBeNull();
		update('deal', born.id, 2, { title: 'Renamed' });
		expect(await next()).toBeNull();
		update('deal', born.id, 3, { amount: 11 });
		expect(ids(await next())).toEqual([born.id]);
	});

	test('a second change within the cursor\'s second is emitted when a watched value changed again', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Busy', amount: 1 }, second(0));
		const next = await poller('deal', {}, watching(['amount']));
		await next();
		update('deal', deal.id, 5, { amount: 2 });
		expect(ids(await next())).toEqual([deal.id]);
		update('deal', deal.id, 5, { title: 'Same second, another field' });
		expect(await next()).toBeNull();
		update('deal', deal.id, 5, { amount: 3 });
		expect(ids(await next())).toEqual([deal.id]);
		expect(await next()).toBeNull();
	});

	test('a record the trigger has not seen yet is emitted on its first change, whatever changed', async () => {
		// Olga's deals only: the deal joins the filter after activation, so the trigger never saw its values.
		const deal = sandbox.createRecord('deal', { title: 'Handed over', amount: 100, assignedById: 1 }, second(0));
		const next = await poller('deal', { assignedById: 7 }, watching(['amount']));
		await next();
		update('deal', deal.id, 1, { assignedById: 7 });
		expect(ids(await next())).toEqual([deal.id]);
		update('deal', deal.id, 2, { title: 'Now known' });
		expect(await next()).toBeNull();
	});

	test('an expression may give the fields as text; choosing other fields starts afresh (nothing old emitted)', async () => {
		const deal = sandbox.createRecord('deal', { title: 'D', amount: 1, stageId: 'NEW' }, second(0));
		const { staticData } = await poll({ parameters: parameters('deal', {}, watching('amount')), credentials: personal(sandbox) });
		// The three seeded deals and this one, the most recently changed last.
		const state = stateOf(staticData);
		expect(state.watch).toBe('fields:amount');
		expect(state.fieldHashes.map((entry: string) => Number(entry.split(':')[0]))).toEqual([5141, 5142, 5143, deal.id]);
		expect(state.fieldHashes.every((entry: string) => /^\d+:[0-9a-z]{1,11}$/.test(entry))).toBe(true);
		update('deal', deal.id, 1, { stageId: 'WON' });
		const switched = await poll({ parameters: parameters('deal', {}, watching(' stageId , amount')), credentials: personal(sandbox), staticData });
		expect(switched.items).toBeNull();
		expect(stateOf(switched.staticData).watch).toBe('fields:amount,stageId');
		update('deal', deal.id, 2, { stageId: 'LOSE' });
		expect(ids((await poll({ parameters: parameters('deal', {}, watching('amount,stageId')), credentials: personal(sandbox), staticData: switched.staticData })).items)).toEqual([deal.id]);
	});

	test('the Watch Fields list is the entity type\'s fields from the portal, without the ID and the times', async () => {
		const load = (entityType: string) => loadTriggerOptions('getWatchableFields', { parameters: { entityType, event: 'updatedRecord' }, credentials: personal(sandbox) });
		const deal = await load('deal');
		expect(deal).toEqual(expect.arrayContaining([
			{ name: 'Amount (amount)', value: 'amount' },
			{ name: 'Stage (stageId)', value: 'stageId' },
			{ name: 'Order number (UF_CRM_ORDER_NUMBER)', value: 'UF_CRM_ORDER_NUMBER' },
		]));
		expect(deal.map((option) => option.value).filter((name) => ['id', 'createdAt', 'updatedAt'].includes(String(name)))).toEqual([]);
		expect(deal.map((option) => option.name)).toEqual([...deal.map((option) => option.name)].sort((a, b) => a.localeCompare(b)));
		expect(sandbox.requests.map((r) => r.path)).toContain('/v1/deals/fields');
		const lead = (await load('lead')).map((option) => option.value);
		expect(lead).toContain('statusId');
		expect(lead.filter((name) => ['id', 'createdTime', 'updatedTime'].includes(String(name)))).toEqual([]);
	});

	test('without Watch Fields nothing is hashed: any change is emitted, as before', async () => {
		const deal = sandbox.createRecord('deal', { title: 'D', amount: 1 }, second(0));
		const next = await poller('deal', {}, watching([]));
		await next();
		update('deal', deal.id, 1, { title: 'Renamed' });
		expect(ids(await next())).toEqual([deal.id]);
		expect(stateOf(next.staticData())).not.toHaveProperty('fieldHashes');
	});
});
