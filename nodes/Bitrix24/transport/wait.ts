import * as n8nWorkflow from 'n8n-workflow';
import { ManualExecutionCancelledError } from 'n8n-workflow';

type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The abortable sleep of whichever n8n-workflow n8n loaded: `sleepWithAbort(ms, signal)` up to 2.33;
 * from 2.34 on that export is gone and `sleep(ms, signal)` takes the signal instead. Looked up once.
 */
export function abortableSleepOf(library: Record<string, unknown>): SleepFunction {
	const withAbort = library.sleepWithAbort;
	if (typeof withAbort === 'function') return withAbort as SleepFunction;
	return library.sleep as SleepFunction;
}

const abortableSleep = abortableSleepOf(n8nWorkflow as unknown as Record<string, unknown>);

/**
 * Every wait of the node goes through here: it ends early when the execution is stopped, and always with
 * the same error then, whatever the n8n version rejects with.
 */
export async function wait(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new ManualExecutionCancelledError('');
	// Both sleeps reject only when the signal fires (2.33 with its own error, 2.34+ with the abort reason).
	await abortableSleep(ms, signal).catch(() => undefined);
	if (signal?.aborted) throw new ManualExecutionCancelledError('');
}
