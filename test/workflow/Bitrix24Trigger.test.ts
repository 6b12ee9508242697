/**
 * The Bitrix24 Trigger polled through n8n-core's PollContext against the sandbox, with its static data
 * carried between polls as JSON (as n8n stores it), so every poll is also a restart.
 */
import { poll } from '../helpers/engine';
import { personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const parameters = (entityType = 'deal', filters = {}) => ({ event: 'newRecord', entityType, filters });
const ids = (items: Array<{ json: Record<string, unknown> }> | null) => (items ?? []).map((item) => item.json.id);
const second = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000);

async function poller(entityType = 'deal', filters = {}) {
	let staticData: string | undefined;
	return async () => {
		const result = await poll({ parameters: parameters(entityType, filters), credentials: personal(sandbox), staticData });
		staticData = result.staticData;
		return result.items;
	};
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
