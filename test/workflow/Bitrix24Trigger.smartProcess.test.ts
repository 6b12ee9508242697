/**
 * The Bitrix24 Trigger on a smart process's items (Entity Type: Smart Process Item, Smart Process Type: Orders),
 * polled through n8n-core's PollContext against the sandbox with its static data carried as JSON: new items once, an
 * item entering a stage once (moved there, or created there), the pipeline filter, the editor's lists for the type, a
 * Smart Process Type the portal lacks named by what it has. The engine is the CRM types' (Bitrix24Trigger.test.ts).
 */
import { loadTriggerOptions, poll } from './../helpers/engine';
import { personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const ORDERS = 'dynamic_1038';
const parameters = (extra: Record<string, unknown> = {}) => ({ entityType: 'smartProcessItem', smartProcessType: 1038, event: 'newRecord', filters: {}, ...extra });
const ids = (items: Array<{ json: Record<string, unknown> }> | null) => (items ?? []).map((item) => item.json.id);
const second = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000);

async function poller(extra: Record<string, unknown> = {}) {
	let staticData: string | undefined;
	return async () => {
		const result = await poll({ parameters: parameters(extra), credentials: personal(sandbox), staticData });
		staticData = result.staticData;
		return result.items;
	};
}

test('new items of the chosen smart process and pipeline, each once; items of another smart process or pipeline are not its', async () => {
	const next = await poller({ filters: { categoryId: 7 } });
	expect(await next()).toBeNull();
	const a = sandbox.createRecord(ORDERS, { title: 'Order A', categoryId: 7, stageId: 'DT1038_7:NEW' }, second(1));
	sandbox.createRecord(ORDERS, { title: 'Wholesale order', categoryId: 9, stageId: 'DT1038_9:NEW' }, second(1));
	sandbox.createRecord('dynamic_1042', { title: 'A request', categoryId: 11, stageId: 'DT1042_11:NEW' }, second(1));
	expect(ids(await next())).toEqual([a.id]);
	expect(await next()).toBeNull();
	expect(sandbox.requests.map(({ path }) => path)).toContain('/v1/items/1038/search');
});

test('Entered Stage: an item moved to Delivered is emitted once, one created there too; the pipeline filter keeps others out', async () => {
	const next = await poller({ event: 'enteredStage', stage: 'DT1038_7:SUCCESS', filters: { categoryId: 7 } });
	expect(await next()).toBeNull();
	sandbox.updateRecord(ORDERS, 1, { stageId: 'DT1038_7:SUCCESS' }, second(2));
	const created = sandbox.createRecord(ORDERS, { title: 'Delivered at once', categoryId: 7, stageId: 'DT1038_7:SUCCESS' }, second(3));
	sandbox.createRecord(ORDERS, { title: 'Wholesale', categoryId: 9, stageId: 'DT1038_9:SUCCESS' }, second(3));
	expect(ids(await next())).toEqual([1, created.id]);
	sandbox.updateRecord(ORDERS, 1, { title: 'Renamed' }, second(4));
	expect(await next()).toBeNull();
});

test('the editor: stages and pipelines of the chosen type; a manual fetch shows the newest item', async () => {
	const stages = await loadTriggerOptions('getStages', { parameters: parameters({ event: 'enteredStage', pipeline: 9 }), credentials: personal(sandbox) });
	expect(stages.map(({ value }) => value)).toEqual(['DT1038_9:NEW', 'DT1038_9:SUCCESS', 'DT1038_9:FAIL']);
	const pipelines = await loadTriggerOptions('getPipelinesOptional', { parameters: parameters(), credentials: personal(sandbox) });
	expect(pipelines.map(({ name }) => name)).toEqual(['(Not Set)', 'Retail', 'Wholesale']);
	const fields = await loadTriggerOptions('getWatchableFields', { parameters: parameters({ event: 'updatedRecord' }), credentials: personal(sandbox) });
	expect(fields.map(({ value }) => value)).toContain('ufCrm3OrderNumber');
	const { items } = await poll({ parameters: parameters(), credentials: personal(sandbox), mode: 'manual' });
	expect(ids(items)).toEqual([1]);
});

test('a Smart Process Type the portal lacks: the activation fails naming the smart processes it has', async () => {
	const error = await poll({ parameters: parameters({ smartProcessType: 1040 }), credentials: personal(sandbox) }).catch((e: Error & { description?: string }) => e);
	expect(error).toMatchObject({ message: 'The portal has no smart process with type ID 1040' });
	expect((error as { description?: string }).description).toMatch(/^Choose one of: Orders \(1038\), Service requests \(1042\)\./);
	const none = await poll({ parameters: parameters({ smartProcessType: 1040 }), credentials: personal(sandbox), mode: 'manual' }).catch((e: Error) => e);
	expect(none).toMatchObject({ message: 'The portal has no smart process with type ID 1040' });
});
