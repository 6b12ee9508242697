import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The output item that stands for a failed input item under Continue On Fail, the same for every operation:
 * the message, what to do, the code, the HTTP status (null when no answer had one), the item index, and
 * `fields` of the input so the item can be found again (for Fire: entityType, entityId, triggerId).
 *
 * With On Error "Continue (using error output)" n8n sends an item down the error branch only when its JSON holds
 * nothing but `error`, so there the same details sit inside `error` (n8n adds the input item's fields beside it).
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	fields: IDataObject = {},
	errorBranch = false,
): INodeExecutionData {
	const details: IDataObject = {
		description: error.description ?? null,
		code: (error.context.vibeCode as string | undefined) ?? 'UNEXPECTED_ERROR',
		httpCode: ('httpCode' in error ? error.httpCode : null) ?? null,
		itemIndex,
		...fields,
	};
	return {
		json: errorBranch ? { error: { message: error.message, ...details } } : { error: error.message, ...details },
		pairedItem: { item: itemIndex },
	};
}
