import type { IDataObject, INode, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool. n8n makes the tool variant of a `usableAsTool` node by renaming its
 * type to `<name>Tool` (n8n 1.123, 2.8 and 2.41 alike; its own `@tool` display option reads the same suffix), and
 * both ways an agent runs a tool (the tool executor's own context, or a node run the engine schedules for the agent)
 * run the node under that type.
 */
export function runsAsTool(node: Pick<INode, 'type'>): boolean {
	return node.type.endsWith('Tool');
}

/** Where an error item goes: the regular output, n8n's error output, or back to the agent's model as the tool's answer. */
export type ErrorItemPlace = 'output' | 'errorOutput' | 'tool';

/**
 * The output item that stands for a failed input item, the same for every operation: under Continue On Fail, the
 * message, what to do, the code, the HTTP status (null when no answer had one), the item index, and `fields` of the
 * input so the item can be found again (for Fire: entityType, entityId, triggerId).
 *
 * With On Error "Continue (using error output)" n8n sends an item down the error branch only when its JSON holds
 * nothing but `error`, so there the same details sit inside `error` (n8n adds the input item's fields beside it).
 *
 * As a tool's answer the model reads it: what failed, what to do and the code, with the record or value it is about,
 * and nothing that means something only in n8n (item index, a null status).
 */
export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number, fields: IDataObject = {}, place: ErrorItemPlace = 'output'): INodeExecutionData {
	const code = (error.context.vibeCode as string | undefined) ?? 'UNEXPECTED_ERROR';
	const httpCode = ('httpCode' in error ? error.httpCode : null) ?? null;
	if (place === 'tool') {
		const json: IDataObject = { success: false, error: error.message, hint: error.description ?? null, code, ...fields };
		if (httpCode) json.httpCode = httpCode;
		return { json, pairedItem: { item: itemIndex } };
	}
	const details: IDataObject = { description: error.description ?? null, code, httpCode, itemIndex, ...fields };
	return {
		json: place === 'errorOutput' ? { error: { message: error.message, ...details } } : { error: error.message, ...details },
		pairedItem: { item: itemIndex },
	};
}
