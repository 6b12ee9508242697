import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import { entityType, OTHER_ENTITY, otherEntityType, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE } from '../helpers/entities';
import { parseSmartProcessId, resolveSmartProcess } from '../helpers/smartProcesses';
import { parseEntityPath } from '../helpers/validate';
import { openSession } from '../transport';
import * as apiCall from './apiCall';
import * as automationTrigger from './automationTrigger';
import * as record from './record';
import * as timeline from './timeline';
import * as user from './user';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
	if (resource === 'timeline' && operation in timeline.OPERATIONS) {
		return [await timeline.OPERATIONS[operation].execute.call(this)];
	}
	const type = entityType(resource);
	if (type && operation in record.OPERATIONS) {
		return [await record.OPERATIONS[operation].execute.call(this, type)];
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
