import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { ExecutionCancelledError } from 'n8n-workflow';

import { errorItem, nodeError, type ErrorCode } from '../errors';
import { warnOfKeyExpiry } from '../helpers/keyExpiry';
import { runPool } from '../helpers/pool';
import { openSession, readSettings, type VibeSession } from '../transport';

/** What an operation supplies; the runner does the rest (order, parallelism, errors, Continue On Fail, pairing). */
export interface ItemOperation<Request> {
	/** Reads and checks one item's parameters. Throws an InputError for a bad value; sends nothing. */
	read(itemIndex: number): Request;
	/**
	 * Optional: a check over every readable item before the first is sent (Fire's trigger-code check). Returns the
	 * error of each item it refuses; if it throws, every item it was given fails with that error.
	 */
	check?(session: VibeSession, items: Array<ReadItem<Request>>): Promise<Map<number, unknown>>;
	/** Sends one item; returns the JSON of its output items. */
	send(session: VibeSession, request: Request, itemIndex: number): Promise<IDataObject[]>;
	/** The input fields an error item repeats so it can be matched to its input; `request` is unset when reading failed. */
	fields?(itemIndex: number, request: Request | undefined): IDataObject;
}

export interface ReadItem<Request> {
	itemIndex: number;
	request: Request;
}

/** One input item on its way through the run: read, then sent; it ends with its outputs or with one error. */
interface ItemRun<Request> {
	itemIndex: number;
	/** Set once the item was read; an item without an error has one. */
	request?: Request;
	outputs?: IDataObject[];
	error?: NodeApiError | NodeOperationError;
}

/**
 * Runs an operation over the input items: reads and checks every item first, so bad input fails before any
 * request (without Continue On Fail the run stops there with the item's index), then sends the good ones
 * through the pool, at most Max Parallel Requests at a time, each once. Output keeps the input order; every
 * item carries `pairedItem`. A stopped execution always ends the run.
 */
export async function runItems<Request>(
	this: IExecuteFunctions,
	operation: ItemOperation<Request>,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const { maxParallel, ...settings } = readSettings(this.getNodeParameter('options', 0, {}) as IDataObject);
	const runs: Array<ItemRun<Request>> = this.getInputData().map((_, itemIndex) => ({ itemIndex }));
	const fail = (run: ItemRun<Request>, cause: unknown, code?: ErrorCode) => {
		const error = nodeError(node, cause, { itemIndex: run.itemIndex, code });
		if (!continueOnFail || error instanceof ExecutionCancelledError) throw error;
		run.error = error;
	};
	const pending = () => runs.filter((run) => !run.error).map((run) => ({ run, request: run.request as Request }));

	for (const run of runs) {
		try {
			run.request = operation.read(run.itemIndex);
		} catch (cause) {
			// Whatever fails while reading (an InputError, an expression n8n could not resolve) is the item's input.
			fail(run, cause, 'INVALID_PARAMETER');
		}
	}

	const session = await openSession.call(this, settings);

	const checked = pending();
	if (operation.check && checked.length > 0) {
		let refused: Map<number, unknown>;
		try {
			refused = await operation.check(session, checked.map(({ run, request }) => ({ itemIndex: run.itemIndex, request })));
		} catch (cause) {
			refused = new Map(checked.map(({ run }) => [run.itemIndex, cause]));
		}
		for (const { run } of checked) if (refused.has(run.itemIndex)) fail(run, refused.get(run.itemIndex));
	}

	const sending = pending();
	await runPool(sending.length, maxParallel, async (k) => {
		const { run, request } = sending[k];
		try {
			run.outputs = await operation.send(session, request, run.itemIndex);
		} catch (cause) {
			fail(run, cause);
		}
	});

	if (runs.some((run) => run.outputs)) await warnOfKeyExpiry.call(this, session);

	return runs.flatMap((run) =>
		run.error
			? [errorItem(run.error, run.itemIndex, operation.fields?.(run.itemIndex, run.request), node.onError === 'continueErrorOutput')]
			: (run.outputs ?? []).map((json) => ({ json, pairedItem: { item: run.itemIndex } })),
	);
}
