import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { COMPLETE, runStatusChange, statusDescription } from './status';

export const description = statusDescription(COMPLETE);

/** Complete: PATCH /v1/tasks/{id} with `{ status: 5 }` (Completed), proven by the task then holding 5, or 4 (Awaiting Control) where the creator checks the result (see ./status.ts). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runStatusChange.call(this, COMPLETE);
}
