import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fetchTriggers } from '../../helpers/triggers';
import { ensureNodeError, openSession } from '../../transport';

const show = { resource: ['automationTrigger'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

/**
 * One item per registered trigger ({ code, name, … }), for each input item. Needs an OAuth application key.
 * The list does not depend on the item, so it is requested once per run.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const session = await openSession.call(this);
	let list: ReturnType<typeof fetchTriggers> | undefined;
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const returnAll = this.getNodeParameter('returnAll', i, true) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
			list ??= fetchTriggers.call(this, session, i);
			const triggers = await list;
			for (const { code, name, raw } of triggers.slice(0, limit)) {
				output.push({ json: { code, name, ...raw }, pairedItem: { item: i } });
			}
		} catch (error) {
			if (!this.continueOnFail()) throw ensureNodeError(this.getNode(), error, i);
			output.push({
				json: { error: error.message, description: error.description ?? null, code: error.context?.vibeCode ?? null },
				pairedItem: { item: i },
			});
		}
	}
	return output;
}
