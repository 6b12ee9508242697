/**
 * What the model is offered and reads when an agent uses the node as a tool: n8n's own functions (n8n-workflow's
 * getNodeParameters and getToolDescriptionForNode, as createNodeAsTool calls them) over the tool variant n8n makes of
 * the node, for every resource and operation; the trimming of its output; the error item as the tool's answer.
 */
import type { INode, INodeParameters, INodeProperties, INodePropertyOptions, INodeTypeDescription, NodeApiError } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { filledFields, toolDescriptions } from '../../../nodes/Bitrix24/actions/toolMode';
import { ApiFailure, errorItem, nodeError, runsAsTool } from '../../../nodes/Bitrix24/errors';

const plain = new Bitrix24().description;
/** n8n's conversion (n8n/dist/tool-generation/ai-tools.js): `…Tool`, no main input, an ai_tool output; its own Description parameter only if the node has none. */
const tool: INodeTypeDescription = { ...plain, name: `${plain.name}Tool`, displayName: 'Bitrix24 Tool', inputs: [], outputs: ['ai_tool'] };

const node = (type: string, parameters: INodeParameters): INode => ({ id: 'n1', name: 'Bitrix24', type, typeVersion: 1, position: [0, 0], parameters });

/** The parameters n8n resolves for a node (defaults included), then the description its agent gets. */
function offered(description: INodeTypeDescription, parameters: INodeParameters) {
	const n = node(`n8n-nodes-bitrix24-vibecode.${description.name}`, parameters);
	n.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, n, description)!;
	return { parameters: n.parameters, text: NodeHelpers.getToolDescriptionForNode(n, { description } as never) };
}

const combinations = plain.properties
	.filter((p) => p.name === 'operation')
	.flatMap((p) => (p.displayOptions!.show!.resource as string[]).flatMap((resource) => (p.options as INodePropertyOptions[]).map((o) => [resource, String(o.value), o.action!] as const)));

test('every resource and operation offers the model a description of its own: what it does, needs and returns, and how it fails', () => {
	expect(combinations.length).toBeGreaterThan(40);
	const texts = new Set<string>();
	for (const [resource, operation, action] of combinations) {
		const { text } = offered(tool, { resource, operation });
		// Not n8n's generated "Update a deal in Bitrix24".
		expect(text).not.toBe(`${action} in Bitrix24`);
		expect(text).toMatch(/Returns|Tell/);
		expect(text).toContain('success: false with error (what went wrong), hint (what to do) and code');
		// OpenAI refuses a function description over 1,024 characters.
		expect(text.length).toBeLessThan(1024);
		texts.add(text);
	}
	expect(texts.size).toBe(combinations.length);
	expect(offered(tool, { resource: 'deal', operation: 'update' }).text).toMatch(/^Change a deal in the Bitrix24 CRM.*Needs the deal's numeric ID \(from Get many deals/);
	expect(offered(tool, { resource: 'lead', operation: 'upsert' }).text).toContain('never makes a second lead');
});

test("one Description per operation is shown, and n8n's own is not added; what the user types there wins", () => {
	const shown = (parameters: INodeParameters) =>
		tool.properties.filter((p) => p.name === 'toolDescription' && NodeHelpers.displayParameter({ ...parameters, '@tool': true } as never, p, node('x.bitrix24Tool', parameters), tool));
	for (const [resource, operation] of combinations) expect(shown({ resource, operation })).toHaveLength(1);
	expect(plain.properties.filter((p) => p.name === 'descriptionType')).toEqual([]);
	expect(offered(tool, { resource: 'deal', operation: 'get', toolDescription: 'Look up an order by deal ID' }).text).toBe('Look up an order by deal ID');
});

test('a resource without words of its own gets its action and description', () => {
	const extra: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		displayOptions: { show: { resource: ['calendarEvent'] } },
		options: [{ name: 'Create', value: 'create', action: 'Create a calendar event', description: 'Create a calendar event with a title' }],
		default: 'create',
	};
	expect(toolDescriptions([extra])[0].default).toMatch(/^Create a calendar event in Bitrix24\. Create a calendar event with a title\. If it fails/);
});

test('outside an agent the tool parameters do not exist', () => {
	const { parameters } = offered(plain, { resource: 'deal', operation: 'update' });
	expect(parameters).not.toHaveProperty('toolDescription');
	expect(parameters).not.toHaveProperty('toolOutput');
	expect(offered(tool, { resource: 'deal', operation: 'update' }).parameters).toMatchObject({ toolOutput: 'filled' });
});

test('filled fields: null, empty text and empty lists and objects go, at any depth; false and 0 stay', () => {
	expect(
		filledFields({ id: 7, title: 'A', comments: '', blank: '  ', UF_CRM_X: null, contactIds: [], opened: false, amount: 0, phone: [{ id: 1, value: '+1', note: null }, { value: '' }], meta: { a: null } }),
	).toEqual({ id: 7, title: 'A', opened: false, amount: 0, phone: [{ id: 1, value: '+1' }] });
});

test("the tool's error item: what failed, what to do, the code, what it is about; nothing that means something only in n8n", () => {
	const bitrix = node('n8n-nodes-bitrix24-vibecode.bitrix24Tool', {});
	expect(runsAsTool(bitrix)).toBe(true);
	expect(runsAsTool({ type: 'n8n-nodes-bitrix24-vibecode.bitrix24' })).toBe(false);
	const error = nodeError(bitrix, new ApiFailure('ENTITY_NOT_FOUND', { status: 404 }), { itemIndex: 0 }) as NodeApiError;
	expect(errorItem(error, 0, { entityType: 'deal', entityId: 9 }, 'tool')).toEqual({
		json: { success: false, error: 'The CRM record does not exist [ENTITY_NOT_FOUND]', hint: expect.stringContaining('Check the Entity ID'), code: 'ENTITY_NOT_FOUND', httpCode: '404', entityType: 'deal', entityId: 9 },
		pairedItem: { item: 0 },
	});
});
