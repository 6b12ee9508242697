import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFER, runStatusChange, statusDescription } from './status';

export const description = statusDescription(DEFER);

/** Defer: PATCH /v1/tasks/{id} with `{ status: 6 }` (Deferred), proven by the task then holding 6 (see ./status.ts). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runStatusChange.call(this, DEFER);
}
