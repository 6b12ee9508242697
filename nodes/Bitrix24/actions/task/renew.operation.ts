import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { RENEW, runStatusChange, statusDescription } from './status';

export const description = statusDescription(RENEW);

/** Renew: PATCH /v1/tasks/{id} with `{ status: 3 }`, the update page's "returning to work", proven by the task then holding 3 (see ./status.ts). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runStatusChange.call(this, RENEW);
}
