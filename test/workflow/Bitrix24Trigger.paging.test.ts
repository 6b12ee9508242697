/**
 * The Bitrix24 Trigger paging through records that change while it reads them (issue 21): a pause between two
 * pages (a 429 waited out, or only a slow page) must neither skip a record nor emit one twice. Records are changed
 * between the poll's requests from a proxy in front of the sandbox, which sees every answer pass.
 */
import type { IDataObject } from 'n8n-workflow';

import { poll } from '../helpers/engine';
import { personal, startProxy, type RecordingProxy } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
let proxy: RecordingProxy;
/** Runs as each search answer passes the proxy, before the node reads it: the answer and its number in the poll. */
let onSearch: ((answer: IDataObject, n: number) => void) | undefined;
let searchesSeen = 0;

beforeAll(async () => {
	await sandbox.start();
	proxy = await startProxy(sandbox.url, (path, answer) => {
		if (path.endsWith('/search') && onSearch) onSearch(answer, ++searchesSeen);
		return answer;
	});
});
afterAll(async () => {
	await proxy.stop();
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	onSearch = undefined;
	searchesSeen = 0;
});

const second = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000);
const update = (id: number, s: number, changes = {}) => sandbox.updateRecord('deal', id, changes, second(s));
type Items = Array<{ json: IDataObject }> | null;
const ids = (items: Items) => (items ?? []).map((item) => Number(item.json.id));

/** Updated Record on deals, its static data carried between polls as JSON, every request through the proxy. */
function poller(extra: IDataObject = {}) {
	let staticData: string | undefined;
	const next = async () => {
		const result = await poll({
			parameters: { entityType: 'deal', event: 'updatedRecord', filters: {}, ...extra },
			credentials: { ...personal(sandbox), baseUrl: proxy.url },
			staticData,
		});
		staticData = result.staticData;
		return result.items as Items;
	};
	return Object.assign(next, { state: () => JSON.parse(staticData ?? '{}')['node:Bitrix24 Trigger'] as IDataObject });
}

/**
 * 80 deals created at second 0 and a seeded deal changed at second 1, the cursor after activation: that one is
 * read again at the cursor, so the first page holds it and 50 of the 80 (51 records, as in the issue).
 */
async function eightyUpdated() {
	const deals = Array.from({ length: 80 }, (_, i) => sandbox.createRecord('deal', { title: `D${i}` }, second(0)).id);
	update(5141, 1, { title: 'Cursor' });
	const next = poller();
	expect(await next()).toBeNull();
	deals.forEach((id) => update(id, 2, { title: 'First change' }));
	sandbox.requests.length = 0;
	searchesSeen = 0;
	return { deals, next };
}

test('80 deals changed in one second, a 429 before page 2, 5 of page 1 changed again meanwhile: each emitted once, those 5 as changed last', async () => {
	const { deals, next } = await eightyUpdated();
	const again = deals.slice(0, 5);
	onSearch = (answer, n) => {
		// Page 1 read: the next search is refused with Retry-After; while the poll waits, 5 deals of page 1 change.
		if (n === 1) sandbox.addFault({ kind: 'error', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1, method: 'POST', path: '/v1/deals/search' });
		if (n === 2) {
			expect(answer).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
			again.forEach((id) => update(id, 3, { title: 'Second change' }));
		}
	};
	const items = await next();
	onSearch = undefined;
	expect(sandbox.requests.filter((r) => r.path === '/v1/deals/search' && r.status === 429)).toHaveLength(1);
	const emitted = ids(items);
	expect([...emitted].sort((a, b) => a - b)).toEqual(deals);
	const byId = new Map((items ?? []).map((item) => [Number(item.json.id), item.json]));
	for (const id of deals) expect(byId.get(id)?.title).toBe(again.includes(id) ? 'Second change' : 'First change');

	// The next poll: nothing, then only what changed after.
	expect(await next()).toBeNull();
	update(deals[0], 4, { title: 'Third change' });
	update(deals[70], 4, { title: 'Another' });
	expect(ids(await next())).toEqual([deals[0], deals[70]]);
	expect(await next()).toBeNull();
});

test('a record that changes twice during one poll is emitted once, as it was last', async () => {
	const { deals, next } = await eightyUpdated();
	const busy = deals[3];
	// Without a 429: any pause between two pages lets records change.
	onSearch = (_answer, n) => {
		if (n === 1) update(busy, 3, { title: 'Second change' });
		if (n === 2) update(busy, 4, { title: 'Third change', amount: 4 });
	};
	const items = await next();
	onSearch = undefined;
	const emitted = ids(items);
	expect([...emitted].sort((a, b) => a - b)).toEqual(deals);
	expect(items?.find((item) => item.json.id === busy)?.json).toMatchObject({ title: 'Third change', amount: 4 });
	expect(await next()).toBeNull();
});

test.each([
	['Watch Fields', { watchFields: ['amount'] }],
	['Entered Stage', { event: 'enteredStage', stage: 'WON' }],
])('%s: a record read twice in one poll is emitted once, as it was last', async (_name, extra) => {
	const deals = Array.from({ length: 80 }, (_, i) => sandbox.createRecord('deal', { title: `D${i}`, amount: i, stageId: 'NEW' }, second(0)).id);
	update(5141, 1, { title: 'Cursor' });
	const next = poller(extra);
	expect(await next()).toBeNull();
	deals.forEach((id) => update(id, 2, { amount: 1000, stageId: 'WON' }));
	searchesSeen = 0;
	onSearch = (_answer, n) => {
		if (n === 1) update(deals[1], 3, { amount: 2000, title: 'Changed again' });
	};
	const items = await next();
	onSearch = undefined;
	expect([...ids(items)].sort((a, b) => a - b)).toEqual(deals);
	expect(items?.find((item) => item.json.id === deals[1])?.json).toMatchObject({ amount: 2000, title: 'Changed again' });
	expect(await next()).toBeNull();
});

test('Entered Stage activation (a portal without move times): records that leave the stage between two pages of those there skip none of the others', async () => {
	sandbox.configure({ movedTime: false });
	const deals = Array.from({ length: 600 }, (_, i) => sandbox.createRecord('deal', { title: `W${i}`, stageId: 'WON' }, second(Math.floor(i / 100))).id);
	update(5141, 10, { title: 'Cursor' });
	const next = poller({ event: 'enteredStage', stage: 'WON' });
	// The first page of the deals at the stage read (the third search: the newest change, its second, then that
	// page): 5 of its deals move on before the second page is read.
	onSearch = (_answer, n) => {
		if (n === 3) deals.slice(0, 5).forEach((id) => update(id, 11, { stageId: 'LOSE' }));
	};
	expect(await next()).toBeNull();
	onSearch = undefined;
	const inStage = new Set(next.state().inStage as number[]);
	expect(deals.slice(5).filter((id) => !inStage.has(id))).toEqual([]);
	// So a deal there since before activation, edited, is no arrival; the 5 that moved on are no event either.
	deals.slice(500, 505).forEach((id) => update(id, 12, { title: 'Edited while there' }));
	expect(await next()).toBeNull();
});

test('a record changed behind the reader in the second it is finishing by ID is found once the poll has read past that second', async () => {
	const { deals, next } = await eightyUpdated();
	// After page 1 (it ends inside second 2): an old deal, with an ID below the last one read, changes in second 2,
	// which was still the current second; then another in second 3, which the poll reads.
	onSearch = (_answer, n) => {
		if (n === 1) {
			update(5142, 2, { title: 'Behind the reader' });
			update(5143, 3, { title: 'Ahead' });
		}
	};
	const items = await next();
	onSearch = undefined;
	expect([...ids(items)].sort((a, b) => a - b)).toEqual([5142, 5143, ...deals]);
	expect(await next()).toBeNull();
});
