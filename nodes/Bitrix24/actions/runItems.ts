import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { ExecutionCancelledError } from 'n8n-workflow';

import { errorItem, nodeError, runsAsTool, type ErrorCode, type ErrorItemPlace, type ErrorText } from '../errors';
import { chunks } from '../helpers/batch';
import { warnOfKeyExpiry } from '../helpers/keyExpiry';
import { runPool } from '../helpers/pool';
import { openSession, readSettings, type VibeSession } from '../transport';
import { toolOutputs } from './toolMode';

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
	/**
	 * Optional: sends up to Batch Size items in one batch call, when a run has more than one item to send and Batch
	 * Size is above 1. Returns each item's outputs or its own failure; if it throws, every item it was given fails
	 * with that error.
	 */
	sendBatch?(session: VibeSession, items: Array<ReadItem<Request>>): Promise<Map<number, BatchResult>>;
	/**
	 * Optional: the items in rounds that run one after another, each round in batches (Create or Update: an item
	 * waits for the one before it with the same match value). One round of all items when not given.
	 */
	rounds?(items: Array<ReadItem<Request>>): Array<Array<ReadItem<Request>>>;
	/** What a sent item was, for the message of a run that stopped: "written" unless said ("read", "deleted"). */
	done?: string;
}

/** One item's part of a batch: its outputs, or its failure with the words its error needs. */
export type BatchResult = { outputs: IDataObject[] } | { error: unknown; texts?: Partial<Record<string, ErrorText>> };

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
	// Run by an AI agent, a failure is the tool's answer: the model reads why and the agent goes on (n8n 2.8 would
	// otherwise fail the whole execution or hand the model an empty result), whatever On Error says.
	const tool = runsAsTool(node);
	const continueOnFail = tool || this.continueOnFail();
	const { maxParallel, batchSize, ...settings } = readSettings(this.getNodeParameter('options', 0, {}) as IDataObject);
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

	let session: VibeSession;
	try {
		session = await openSession.call(this, settings);
	} catch (cause) {
		// A credential the node refuses fails every item; only a tool says so to its model instead of stopping.
		if (!tool) throw nodeError(node, cause);
		for (const { run } of pending()) fail(run, cause);
		return itemsOf(this, operation, runs, 'tool');
	}

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
	if (operation.sendBatch && batchSize > 1 && sending.length > 1) {
		await sendInBatches(this, operation as BatchedOperation<Request>, session, sending, { batchSize, maxParallel, continueOnFail, node });
	} else {
		await runPool(sending.length, maxParallel, async (k) => {
			const { run, request } = sending[k];
			try {
				run.outputs = await operation.send(session, request, run.itemIndex);
			} catch (cause) {
				fail(run, cause);
			}
		});
	}

	if (runs.some((run) => run.outputs)) await warnOfKeyExpiry.call(this, session);

	return itemsOf(this, operation, runs, tool ? 'tool' : node.onError === 'continueErrorOutput' ? 'errorOutput' : 'output');
}

/** The output items in input order: each item's outputs, or its error item; as a tool, in the shape its model reads. */
function itemsOf<Request>(context: IExecuteFunctions, operation: ItemOperation<Request>, runs: Array<ItemRun<Request>>, place: ErrorItemPlace): INodeExecutionData[] {
	return runs.flatMap((run) => {
		if (run.error) return [errorItem(run.error, run.itemIndex, operation.fields?.(run.itemIndex, run.request), place)];
		const outputs = place === 'tool' ? toolOutputs(context, run.outputs ?? []) : (run.outputs ?? []);
		return outputs.map((json) => ({ json, pairedItem: { item: run.itemIndex } }));
	});
}

type BatchedOperation<Request> = ItemOperation<Request> & Required<Pick<ItemOperation<Request>, 'sendBatch'>>;

/**
 * The items in batches of Batch Size, at most Max Parallel Requests batches at a time, round after round. Every
 * item ends with its own outputs or error. Without Continue On Fail no new batch starts after one with a failed
 * item, and the run stops with the first failed item's error, saying which items were done and which were not.
 */
async function sendInBatches<Request>(
	context: IExecuteFunctions,
	operation: BatchedOperation<Request>,
	session: VibeSession,
	sending: Array<{ run: ItemRun<Request>; request: Request }>,
	{ batchSize, maxParallel, continueOnFail, node }: { batchSize: number; maxParallel: number; continueOnFail: boolean; node: ReturnType<IExecuteFunctions['getNode']> },
): Promise<void> {
	const byIndex = new Map(sending.map(({ run }) => [run.itemIndex, run]));
	const items = sending.map(({ run, request }) => ({ itemIndex: run.itemIndex, request }));
	let stopped = false;
	for (const round of operation.rounds ? operation.rounds(items) : [items]) {
		const batches = chunks(round, batchSize);
		await runPool(batches.length, maxParallel, async (k) => {
			if (stopped) return;
			const batch = batches[k];
			// A failure of the whole batch is every item's (a stopped execution ends the run, below).
			const results = await operation.sendBatch
				.call(context, session, batch)
				.catch((cause: unknown) => new Map<number, BatchResult>(batch.map(({ itemIndex }) => [itemIndex, { error: cause }])));
			for (const { itemIndex } of batch) {
				const run = byIndex.get(itemIndex)!;
				const result = results.get(itemIndex) ?? { error: new Error('The batch answered nothing for this item') };
				if ('outputs' in result) {
					run.outputs = result.outputs;
					continue;
				}
				const error = nodeError(node, result.error, { itemIndex, secrets: session.secrets, texts: result.texts });
				if (error instanceof ExecutionCancelledError) throw error;
				run.error = error;
				if (!continueOnFail) stopped = true;
			}
		});
		if (stopped) break;
	}
	if (continueOnFail) return;
	const first = sending.find(({ run }) => run.error)?.run;
	if (!first) return;
	const done = sending.filter(({ run }) => run.outputs).map(({ run }) => run.itemIndex);
	const notDone = sending.filter(({ run }) => !run.outputs && run !== first).map(({ run }) => run.itemIndex);
	const verb = operation.done ?? 'written';
	const summary = [
		`The run stopped at item ${first.itemIndex}.`,
		done.length ? `${capitalize(verb)}: ${itemRanges(done)}.` : `No item was ${verb}.`,
		notDone.length ? `Not ${verb}: ${itemRanges(notDone)} (failed, or not sent after the stop).` : '',
		'Turn on Continue On Fail (Settings → On Error) to get every item\'s own result.',
	]
		.filter(Boolean)
		.join(' ');
	const error = first.error!;
	// A failure of a whole batch was made once for all its items: it is thrown as the first one's.
	if (error.context.itemIndex === undefined) error.context.itemIndex = first.itemIndex;
	error.description = [error.description, summary].filter(Boolean).join('\n');
	throw error;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Item indexes as ranges: "items 0–49, 51 and 53–99". */
export function itemRanges(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(end === start ? String(sorted[start]) : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
	return `${sorted.length === 1 ? 'item' : 'items'} ${listed}`;
}
