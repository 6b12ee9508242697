import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ExecutionCancelledError } from 'n8n-workflow';

import { errorItem, InputError, nodeError, runsAsTool } from '../errors';
import { entityType, OTHER_ENTITY, otherEntityType, RECORD_TYPES, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE } from '../helpers/entities';
import { parseSmartProcessId, resolveSmartProcess } from '../helpers/smartProcesses';
import { parseEntityPath } from '../helpers/validate';
import { openSession } from '../transport';
import * as apiCall from './apiCall';
import * as automationTrigger from './automationTrigger';
import * as chatMessage from './chatMessage';
import * as notification from './notification';
import * as productRow from './productRow';
import * as record from './record';
import * as task from './task';
import * as timeline from './timeline';
import * as user from './user';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		return await route.call(this);
	} catch (cause) {
		// The item runner answers a tool's model itself; what fails before it (the Other Entity path, an operation
		// this version lacks) is the model's answer too, so the agent goes on.
		// What fails there is already the node's error (nodeError passes it through unchanged).
		const error = nodeError(this.getNode(), cause);
		if (!runsAsTool(this.getNode()) || error instanceof ExecutionCancelledError) throw error;
		return [this.getInputData().map((_, itemIndex) => errorItem(error, itemIndex, {}, 'tool'))];
	}
}

async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	if (resource === 'automationTrigger' && operation === 'fire') {
		return [await automationTrigger.fire.execute.call(this)];
	}
	if (resource === 'automationTrigger' && operation === 'getMany') {
		return [await automationTrigger.getMany.execute.call(this)];
	}
	if (resource === 'apiCall' && operation === 'request') {
		return [await apiCall.request.execute.call(this)];
	}
	if (resource === 'notification' && operation === 'send') {
		return [await notification.send.execute.call(this)];
	}
	if (resource === 'chatMessage' && operation === 'send') {
		return [await chatMessage.send.execute.call(this)];
	}
	if (resource === 'user' && (operation === 'get' || operation === 'getMany' || operation === 'getCurrent')) {
		return [await user[operation].execute.call(this)];
	}
	// The Task resource's own operations (status changes, comments); its record operations go to the record engine.
	if (resource === 'task' && Object.hasOwn(task.OPERATIONS, operation)) {
		return [await task.OPERATIONS[operation].execute.call(this)];
	}
	if (resource === 'productRow' && operation in productRow.OPERATIONS) {
		return [await productRow.OPERATIONS[operation].execute.call(this)];
	}
	if (resource === 'timeline' && operation in timeline.OPERATIONS) {
		return [await timeline.OPERATIONS[operation].execute.call(this)];
	}
	const type = entityType(resource);
	if (type && operation in record.OPERATIONS) {
		return [await record.OPERATIONS[operation].execute.call(this, type)];
	}
	// A task's record operations (and any RECORD_TYPES entry's): the engine, but Create or Update, which is the CRM's.
	const other = RECORD_TYPES.find(({ value }) => value === resource);
	if (other && record.OTHER_ENTITY_OPERATIONS.includes(operation)) {
		return [await record.OPERATIONS[operation].execute.call(this, other)];
	}
	if (resource === SMART_PROCESS_ITEM && operation in record.OPERATIONS) {
		// The same record engine, for the chosen smart process's items, named by its title: read once, from the first item.
		let id: number;
		try {
			id = parseSmartProcessId(this.getNodeParameter(SMART_PROCESS_TYPE, 0, ''));
		} catch (error) {
			throw nodeError(this.getNode(), error, { itemIndex: 0, code: 'INVALID_PARAMETER' });
		}
		const type = await resolveSmartProcess.call(this, await openSession.call(this), id).catch((error: unknown) => {
			throw nodeError(this.getNode(), error, { itemIndex: 0 });
		});
		return [await record.OPERATIONS[operation].execute.call(this, type)];
	}
	if (resource === OTHER_ENTITY && record.OTHER_ENTITY_OPERATIONS.includes(operation)) {
		// The same record engine, for the path the user chose: read once, from the first item, and checked before any request.
		let path: string;
		try {
			path = parseEntityPath(this.getNodeParameter(OTHER_ENTITY, 0, ''));
		} catch (error) {
			throw nodeError(this.getNode(), error, { itemIndex: 0, code: 'INVALID_PARAMETER' });
		}
		return [await record.OPERATIONS[operation].execute.call(this, otherEntityType(path))];
	}
	throw nodeError(
		this.getNode(),
		new InputError(`The operation "${operation}" of "${resource}" is not supported`, 'Choose a Resource and an Operation from the lists.'),
	);
}
