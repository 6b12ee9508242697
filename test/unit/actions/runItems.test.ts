/** The item runner with a stand-in operation and a minimal n8n context: no network. */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { ManualExecutionCancelledError, NodeOperationError } from 'n8n-workflow';

import { runItems, type ItemOperation } from '../../../nodes/Bitrix24/actions/runItems';
import { InputError } from '../../../nodes/Bitrix24/errors';

const node: INode = { id: 'n1', name: 'Bitrix24', type: 'n8n-nodes-bitrix24-vibecode.bitrix24', typeVersion: 1, position: [0, 0], parameters: {} };

function context(inputs: IDataObject[], { continueOnFail = false, options = {} as IDataObject } = {}): IExecuteFunctions {
	return {
		getNode: () => node,
		getMode: () => 'trigger',
		continueOnFail: () => continueOnFail,
		getInputData: () => inputs.map((json) => ({ json })),
		getNodeParameter: (name: string, _index: number, fallback: unknown) => (name === 'options' ? options : fallback),
		getCredentials: async () => ({ keyType: 'personal', apiKey: 'vibe_api_test', baseUrl: 'https://vibecode.bitrix24.tech' }),
	} as unknown as IExecuteFunctions;
}

/** Items are { n } or { bad: true }; every call is logged in order. */
function operation(log: string[], overrides: Partial<ItemOperation<{ n: number }>> = {}, inputs: IDataObject[] = []): ItemOperation<{ n: number }> {
	return {
		read: (i) => {
			log.push(`read ${i}`);
			if (inputs[i]?.bad) throw new InputError(`Item ${i} is bad`, 'Fix it.');
			return { n: inputs[i]?.n as number };
		},
		send: async (_session, { n }, i) => {
			log.push(`send ${i}`);
			await new Promise((resolve) => setTimeout(resolve, 1));
			return [{ n }];
		},
		fields: (_i, request) => ({ n: request?.n ?? null }),
		...overrides,
	};
}

test('every item is read before the first is sent; outputs keep the input order and their pairing', async () => {
	const log: string[] = [];
	const inputs = [{ n: 1 }, { n: 2 }, { n: 3 }];
	const out = await runItems.call(context(inputs), operation(log, {}, inputs));
	expect(log.slice(0, 3)).toEqual(['read 0', 'read 1', 'read 2']);
	expect(log.filter((line) => line.startsWith('send')).sort()).toEqual(['send 0', 'send 1', 'send 2']);
	expect(out).toEqual([1, 2, 3].map((n, item) => ({ json: { n }, pairedItem: { item } })));
});

test('without Continue On Fail a bad item stops the run before anything is sent, naming the item', async () => {
	const log: string[] = [];
	const inputs = [{ n: 1 }, { bad: true }, { n: 3 }];
	const run = runItems.call(context(inputs), operation(log, {}, inputs));
	await expect(run).rejects.toBeInstanceOf(NodeOperationError);
	await expect(run).rejects.toMatchObject({ message: 'Item 1 is bad', context: { itemIndex: 1, vibeCode: 'INVALID_PARAMETER' } });
	expect(log).toEqual(['read 0', 'read 1']);
});

test('with Continue On Fail each item ends as its outputs or one error item carrying its fields', async () => {
	const log: string[] = [];
	const inputs = [{ n: 1 }, { bad: true }, { n: 3 }];
	const out = await runItems.call(
		context(inputs, { continueOnFail: true }),
		operation(log, { send: async (_s, { n }, i) => (log.push(`send ${i}`), n === 3 ? Promise.reject(new Error('boom')) : [{ n }, { n: n * 10 }]) }, inputs),
	);
	expect(log).toEqual(['read 0', 'read 1', 'read 2', 'send 0', 'send 2']);
	expect(out.map((item) => [item.pairedItem, item.json.n, item.json.code ?? null])).toEqual([
		[{ item: 0 }, 1, null],
		[{ item: 0 }, 10, null],
		[{ item: 1 }, null, 'INVALID_PARAMETER'],
		[{ item: 2 }, 3, 'UNEXPECTED_ERROR'],
	]);
	expect(out[2].json).toMatchObject({ error: 'Item 1 is bad', description: 'Fix it. Nothing was sent for this item.', httpCode: null, itemIndex: 1 });
});

test('a run-wide check refuses single items; if it fails as a whole every item it was given fails with it', async () => {
	const log: string[] = [];
	const inputs = [{ n: 1 }, { n: 2 }, { bad: true }];
	const refuseTwo = await runItems.call(
		context(inputs, { continueOnFail: true }),
		operation(log, { check: async (_s, items) => new Map(items.filter(({ request }) => request.n === 2).map(({ itemIndex }) => [itemIndex, new InputError('Two is refused')])) }, inputs),
	);
	expect(refuseTwo.map((item) => item.json.error ?? item.json.n)).toEqual([1, 'Two is refused', 'Item 2 is bad']);
	expect(log.filter((line) => line.startsWith('send'))).toEqual(['send 0']);

	const broken = await runItems.call(
		context(inputs, { continueOnFail: true }),
		operation([], { check: async () => Promise.reject(new InputError('The list failed')) }, inputs),
	);
	expect(broken.map((item) => item.json.error)).toEqual(['The list failed', 'The list failed', 'Item 2 is bad']);

	const stopping = runItems.call(context(inputs), operation([], { check: async (_s, items) => new Map(items.map(({ itemIndex }) => [itemIndex, new InputError(`No ${itemIndex}`)])) }, [{ n: 1 }, { n: 2 }]));
	await expect(stopping).rejects.toMatchObject({ message: 'No 0', context: { itemIndex: 0 } });
});

test('a stopped execution ends the run even with Continue On Fail, and nothing more starts', async () => {
	const log: string[] = [];
	const inputs = [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }];
	const run = runItems.call(
		context(inputs, { continueOnFail: true, options: { maxParallel: 1 } }),
		operation(log, { send: async (_s, { n }, i) => (log.push(`send ${i}`), n === 2 ? Promise.reject(new ManualExecutionCancelledError('exec-1')) : [{ n }]) }, inputs),
	);
	await expect(run).rejects.toBeInstanceOf(ManualExecutionCancelledError);
	expect(log.filter((line) => line.startsWith('send'))).toEqual(['send 0', 'send 1']);
});

test('Max Parallel Requests bounds the items in flight', async () => {
	let inFlight = 0;
	let peak = 0;
	const inputs = Array.from({ length: 8 }, (_, n) => ({ n }));
	await runItems.call(
		context(inputs, { options: { maxParallel: 3 } }),
		operation([], {
			send: async (_s, { n }) => {
				peak = Math.max(peak, ++inFlight);
				await new Promise((resolve) => setTimeout(resolve, 5));
				inFlight--;
				return [{ n }];
			},
		}, inputs),
	);
	expect(peak).toBe(3);
});
