import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { START, runStatusChange, statusDescription } from './status';

export const description = statusDescription(START);

/** Start: PATCH /v1/tasks/{id} with `{ status: 3 }` (In Progress), proven by the task then holding 3 (see ./status.ts). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runStatusChange.call(this, START);
}
