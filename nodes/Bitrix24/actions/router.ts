import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ExecutionCancelledError } from 'n8n-workflow';

import { errorItem, InputError, nodeError, runsAsTool } from '../errors';
import { entityType, OTHER_ENTITY, otherEntityType } from '../helpers/entities';
import { parseEntityPath } from '../helpers/validate';
import * as apiCall from './apiCall';
import * as automationTrigger from './automationTrigger';
import * as record from './record';
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
	if (resource === 'user' && (operation === 'get' || operation === 'getMany' || operation === 'getCurrent')) {
		return [await user[operation].execute.call(this)];
	}
	const type = entityType(resource);
	if (type && operation in record.OPERATIONS) {
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
