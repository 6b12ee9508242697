import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The output item that stands for a failed input item under Continue On Fail, the same for every operation:
 * the message, what to do, the code, the HTTP status (null when no answer had one), the item index, and
 * `fields` of the input so the item can be found again (for Fire: entityType, entityId, triggerId).
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	fields: IDataObject = {},
): INodeExecutionData {
	return {
		json: {
			error: error.message,
			description: error.description ?? null,
			code: (error.context.vibeCode as string | undefined) ?? 'UNEXPECTED_ERROR',
			httpCode: ('httpCode' in error ? error.httpCode : null) ?? null,
			itemIndex,
			...fields,
		},
		pairedItem: { item: itemIndex },
	};
}
