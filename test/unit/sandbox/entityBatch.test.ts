/**
 * The sandbox's answer shapes for POST /v1/{entity}/batch (docs/sandbox.md, "Control endpoints"; docs/vibecode-contract.md,
 * "Batches"): each shape VibeCode's pages leave open, exactly as a client receives it, and a wrong option refused.
 * Plain HTTP, as a client sees it.
 */
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

async function batch(body: unknown) {
	const response = await fetch(`${sandbox.url}/v1/leads/batch`, {
		method: 'POST',
		headers: { 'X-Api-Key': sandbox.keys.personal, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: response.status, body: (await response.json()) as any };
}

const creates = { action: 'create', items: [{ title: 'Shape A' }, { title: 'Shape B' }] };
const summary = { total: 2, succeeded: 2, failed: 0 };

test('whole (the default): each record in data, under data.results beside data.summary', async () => {
	const { status, body } = await batch(creates);
	expect(status).toBe(200);
	expect(body.data.summary).toEqual(summary);
	expect(body.data.results.map((result: { data: { title: string } }) => result.data.title)).toEqual(['Shape A', 'Shape B']);
	expect(Object.keys(body.data.results[0])).toEqual(['success', 'data']);
});

test.each([
	['id', (id: number) => ({ success: true, data: { id } })],
	['idBeside', (id: number, index: number) => ({ index, success: true, id })],
	['bareId', (id: number) => ({ success: true, data: id })],
	['none', (_id: number, index: number) => ({ index, success: true })],
] as const)('batchRecords %s, in data.results and as a bare list', async (batchRecords, shape) => {
	sandbox.configure({ batchRecords });
	const first = await batch(creates);
	const ids = sandbox.recordsOf('lead').filter((lead) => String(lead.title).startsWith('Shape')).map((lead) => lead.id);
	expect(first.body.data).toEqual({ results: ids.map((id, index) => shape(id, index)), summary });
	sandbox.configure({ batchResults: 'array' });
	const second = await batch(creates);
	const more = sandbox.recordsOf('lead').filter((lead) => String(lead.title).startsWith('Shape')).map((lead) => lead.id).slice(2);
	expect(second.body.data).toEqual(more.map((id, index) => shape(id, index)));
});

test('batchOrder reversed: the results last first, each with its index; a failed entry too', async () => {
	sandbox.configure({ batchOrder: 'reversed', batchRecords: 'id' });
	const { body } = await batch({ action: 'update', items: [{ id: 101, comments: 'x' }, { id: 999999, comments: 'y' }] });
	expect(body.data.results).toEqual([
		{ index: 1, success: false, error: { code: 'ENTITY_NOT_FOUND', message: 'Item not found' } },
		{ index: 0, success: true, data: { id: 101 } },
	]);
});

test('a delete answers its ID where the shape puts it', async () => {
	sandbox.configure({ batchRecords: 'idBeside' });
	const { body } = await batch({ action: 'delete', ids: [101] });
	expect(body.data.results).toEqual([{ index: 0, success: true, id: 101 }]);
});

test('a wrong option is refused, in-process and by POST /__sandbox/config, and changes nothing', async () => {
	expect(() => sandbox.configure({ batchRecords: 'record' as never })).toThrow(/batchRecords must be one of whole, id, idBeside, bareId, none/);
	expect(() => sandbox.configure({ batchResults: 'list' as never })).toThrow(/batchResults must be one of results, array/);
	expect(() => sandbox.configure({ batchOrder: 'random' as never })).toThrow(/batchOrder must be one of sent, reversed/);
	const response = await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ batchResults: 'flat' }) });
	expect(response.status).toBe(400);
	expect(sandbox.config).toMatchObject({ batchRecords: 'whole', batchResults: 'results', batchOrder: 'sent' });
});
