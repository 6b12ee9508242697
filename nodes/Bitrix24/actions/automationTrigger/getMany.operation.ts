import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { TRIGGER_LIST_FOR_GET_MANY } from '../../errors';
import { fetchTriggers, type TriggerInfo } from '../../helpers/triggers';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = returnAllAndLimit(true);

export const description = updateDisplayOptions({ show: { resource: ['automationTrigger'], operation: ['getMany'] } }, properties);

/**
 * One item per registered trigger ({ code, name, … }), for each input item. Needs an OAuth application key.
 * The list does not depend on the item, so it is requested once per run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let list: Promise<TriggerInfo[]> | undefined;
	const getMany: ItemOperation<{ limit: number }> = {
		read: (itemIndex) => ({
			limit: this.getNodeParameter('returnAll', itemIndex, true) ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number),
		}),
		send: async (session, { limit }, itemIndex) => {
			list ??= fetchTriggers.call(this, session, itemIndex, TRIGGER_LIST_FOR_GET_MANY);
			// One spelling per field: `code` and `name`, then what else VibeCode sent, without its CODE and NAME.
			return (await list).slice(0, limit).map(({ code, name, raw }) => {
				const { CODE: _code, NAME: _name, ...rest } = raw;
				return { code, name, ...rest };
			});
		},
	};
	return await runItems.call(this, getMany);
}
