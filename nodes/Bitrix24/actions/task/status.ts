/**
 * Complete, Start, Defer and Renew: one status change each, sent as the update page changes a status
 * (`PATCH /v1/tasks/{id}` with `{ status }`: "Closing (5), returning to work (3), declining (7)"; no /complete or
 * /start endpoint is documented), proven by the status the task holds afterwards.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { ApiFailure, nodeError } from '../../errors';
import { getTask, notApplied, setTaskStatus, statusLabel, taskActions, taskStatus, taskTexts } from '../../helpers/tasks';
import type { VibeSession } from '../../transport';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { parseTaskId, taskIdField } from './taskId.description';

/** One status operation. */
export interface StatusChange {
	/** The operation's value, which is also the get page's `action` entry that allows it. */
	value: 'complete' | 'start' | 'defer' | 'renew';
	/** "complete", "start", "defer", "renew": how messages say it. */
	verb: string;
	/** The status sent. */
	status: number;
	/**
	 * The statuses that prove it: the one sent, and for Complete also 4 (awaiting control), which Bitrix24 sets instead
	 * of 5 when the creator asked to check the result (inferred from Bitrix24's task control).
	 */
	proves: number[];
}

export const COMPLETE: StatusChange = { value: 'complete', verb: 'complete', status: 5, proves: [5, 4] };
export const START: StatusChange = { value: 'start', verb: 'start', status: 3, proves: [3] };
export const DEFER: StatusChange = { value: 'defer', verb: 'defer', status: 6, proves: [6] };
/**
 * Renew returns a completed, deferred or declined task to work with status 3 (In Progress), as the update page says
 * ("returning to work (3)"). Bitrix24's own tasks.task.renew sets 2 (Pending) instead; the page is followed, so a
 * renewed task is in progress, and a pending one given to Renew is started.
 */
export const RENEW: StatusChange = { value: 'renew', verb: 'renew', status: 3, proves: [3] };

/** Task ID and the request options (a status change is safe to repeat, so Retry Unknown Outcomes is not offered). */
export const statusDescription = (change: StatusChange): INodeProperties[] =>
	updateDisplayOptions({ show: { resource: ['task'], operation: [change.value] } }, [taskIdField, searchOptions]);

/** What VibeCode answers a write it refused: 403 for an access refusal, 422 for any portal error. */
const REFUSALS = ['BITRIX_ACCESS_DENIED', 'ACCESS_DENIED', 'BITRIX_ERROR'];

/**
 * Sends the status and proves it: the answer's status, else the task read again. Where it does not hold and the
 * task's `action` map says the key's user may not do this, the message says so in those words; otherwise
 * WRITE_NOT_APPLIED.
 *
 * The node does not read the task first to check `action` before sending: that would cost every item a second
 * request (of 300 a minute, through a portal queue of 2), the map may be stale by the time the change arrives, and a
 * Complete sent again after an unknown outcome would be refused because `action.complete` is false for a completed
 * task. So the portal decides, and the map is read only to explain a refusal or a change that did not land.
 */
async function changeStatus(this: IExecuteFunctions, change: StatusChange, session: VibeSession, id: number, itemIndex: number): Promise<IDataObject> {
	let answer: IDataObject;
	try {
		answer = await setTaskStatus.call(this, session, id, change.status, itemIndex);
	} catch (error) {
		// nodeError passes the node's own errors on unchanged.
		if (!(error instanceof NodeApiError) || !REFUSALS.includes(String(error.context.vibeCode))) throw nodeError(this.getNode(), error, { itemIndex });
		const task = await getTask.call(this, session, id, itemIndex).catch(() => undefined);
		if (task && taskActions(task)?.[change.value] === false) throw notAllowed(this, change, { id, task, refusal: error, itemIndex });
		throw nodeError(this.getNode(), error, { itemIndex });
	}
	if (change.proves.includes(taskStatus(answer) ?? NaN)) return answer;
	// The answer does not carry the status (only an ID), or another one: the task as it is now says what happened.
	const task = await getTask.call(this, session, id, itemIndex);
	if (change.proves.includes(taskStatus(task) ?? NaN)) return task;
	if (taskActions(task)?.[change.value] === false) throw notAllowed(this, change, { id, task, itemIndex });
	throw notApplied(this, {
		message: `Task ${id} was sent status ${statusLabel(change.status)}, but holds ${statusLabel(taskStatus(task))}`,
		hint: [
			'VibeCode answered the change as done, but the task read afterwards does not hold the status sent. A robot or business process of the task may have changed it back, or the portal ignored it.',
			`Check task ${id} in Bitrix24 before running this item again (sending it again is safe).`,
		].join(' '),
		status: 200,
		itemIndex,
	});
}

/** The plain refusal: the task's own `action` map says the key's user may not do this now. */
function notAllowed(
	context: IExecuteFunctions,
	change: StatusChange,
	{ id, task, refusal, itemIndex }: { id: number; task: IDataObject; refusal?: NodeApiError; itemIndex: number },
) {
	const said = (refusal?.errorResponse ?? {}) as JsonObject;
	const failure = new ApiFailure('TASK_ACTION_NOT_ALLOWED', {
		status: refusal ? Number(refusal.httpCode) || undefined : 200,
		apiMessage: typeof said.apiMessage === 'string' ? said.apiMessage : undefined,
		requestId: typeof said.requestId === 'string' ? said.requestId : undefined,
	});
	const message = `Bitrix24 does not let the key's user ${change.verb} task ${id}`;
	const hint = [
		`The task's action list says ${change.value}: false for the key's user (the key's owner, or the signed-in user of an OAuth session), and the task is ${statusLabel(taskStatus(task))}.`,
		'It takes the creator, the responsible person or a participant, and a status that allows it. Use the key of a user who works on the task, or ask its creator.',
		refusal ? 'Nothing was changed.' : 'VibeCode answered the change, but the status did not change.',
	].join(' ');
	return nodeError(context.getNode(), failure, { itemIndex, texts: { ...taskTexts(id), TASK_ACTION_NOT_ALLOWED: { message, hint } } });
}

/** Runs one status change for every item: the task as VibeCode answers it (or reads it) afterwards, one per item. */
export async function runStatusChange(this: IExecuteFunctions, change: StatusChange): Promise<INodeExecutionData[]> {
	const operation: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseTaskId(this.getNodeParameter('taskId', itemIndex, '')) }),
		send: async (session, { id }, itemIndex) => [await changeStatus.call(this, change, session, id, itemIndex)],
		fields: (itemIndex, request) => (request ? { taskId: request.id } : {}),
		done: 'changed',
	};
	return await runItems.call(this, operation);
}
