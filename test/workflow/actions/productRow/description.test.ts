/**
 * The Product Row resource's description, without any network: its operations, the record it is for (an Entity Type
 * of its own, not Automation Trigger's), the smart process dropdown, Set's two sources of rows, and no workflow issue
 * when the Entity Type is an expression.
 */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';

const { description } = new Bitrix24();
const shownFor = (resource: string) => description.properties.filter((p) => p.displayOptions?.show?.resource?.includes(resource));

test('Operation: Add, Delete, Get Many, Set and Update, alphabetical, with actions; Set first by default', () => {
	const operation = shownFor('productRow').find((p) => p.name === 'operation')!;
	expect((operation.options as Array<{ value: string; action: string }>).map((o) => [o.value, o.action])).toEqual([
		['add', 'Add a product row'],
		['delete', 'Delete a product row'],
		['getMany', 'Get many product rows'],
		['set', 'Set the product rows of a record'],
		['update', 'Update a product row'],
	]);
	expect(operation.default).toBe('set');
});

test("the record: an Entity Type of its own (Automation Trigger's lists other types), the smart process from the portal, a Record ID", () => {
	const own = (name: string) => shownFor('productRow').find((p) => p.name === name) as INodeProperties;
	expect((own('productRowEntityType').options as Array<{ value: string }>).map((o) => o.value)).toEqual(['deal', 'invoice', 'lead', 'quote', 'smartProcessItem']);
	expect(own('smartProcessType')).toMatchObject({ typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' }, displayOptions: { show: { resource: ['productRow'], productRowEntityType: ['smartProcessItem'] } } });
	expect(own('recordId')).toMatchObject({ type: 'string', required: true });
	// No other resource's Entity Type is shown for product rows.
	expect(description.properties.filter((p) => p.name === 'entityType').flatMap((p) => p.displayOptions?.show?.resource)).not.toContain('productRow');
});

test("Set's rows: the editor's list, or line items by expression with how each names its product", () => {
	const set = shownFor('productRow').filter((p) => p.displayOptions?.show?.operation?.includes('set'));
	expect(set.map((p) => p.name).filter((name) => name !== 'toolDescription')).toEqual(['rowsFrom', 'rows', 'lineItems', 'productBy', 'options']);
	const rows = set.find((p) => p.name === 'rows')!;
	expect(rows).toMatchObject({ type: 'fixedCollection', typeOptions: { multipleValues: true }, displayOptions: { show: { rowsFrom: ['fields'] } } });
	const values = (rows.options as Array<{ values: INodeProperties[] }>)[0].values.map((p) => p.name);
	expect(values).toEqual(['productBy', 'product', 'price', 'quantity', 'discount', 'taxRate', 'taxIncluded']);
	expect(set.find((p) => p.name === 'lineItems')!.displayOptions!.show!.rowsFrom).toEqual(['lineItems']);
	// Set, Update and Delete are retried anyway and Add never is: no Retry Unknown Outcomes.
	for (const options of shownFor('productRow').filter((p) => p.name === 'options')) {
		expect((options.options as INodeProperties[]).map((p) => p.name)).not.toContain('retryUnknownOutcome');
	}
});

test('an Entity Type given by expression leaves the workflow without issues (the smart process is checked at run time)', () => {
	const node = { id: '1', name: 'B', type: 'bitrix24', typeVersion: 1, position: [0, 0], parameters: { resource: 'productRow', operation: 'getMany', productRowEntityType: '={{ $json.type }}', recordId: '={{ $json.id }}' } } as INode;
	node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description)!;
	expect(NodeHelpers.getNodeParametersIssues(description.properties, node, description)).toBeNull();
});
