import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as automationTrigger from './automationTrigger';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	if (resource === 'automationTrigger' && operation === 'fire') {
		return [await automationTrigger.fire.execute.call(this, items)];
	}
	if (resource === 'automationTrigger' && operation === 'getMany') {
		return [await automationTrigger.getMany.execute.call(this, items)];
	}
	throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
}
