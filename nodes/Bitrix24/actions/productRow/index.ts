import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as deleteRow from './delete.operation';
import * as getMany from './getMany.operation';
import { ownerProperties, RESOURCE } from './owner';
import * as set from './set.operation';
import * as update from './update.operation';

/** The Product Row operations by value, for the router. */
export const OPERATIONS: Record<string, { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> }> = { add, delete: deleteRow, getMany, set, update };

/**
 * A deal's, invoice's, lead's, quote's or smart-process item's product rows: what a payment's line items become, so
 * that the record's amount and its invoice are right.
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [RESOURCE] } },
		options: [
			{ name: 'Add', value: 'add', description: "Add one row to a record's products, keeping the others", action: 'Add a product row' },
			{ name: 'Delete', value: 'delete', description: 'Delete one row of a record by its row ID', action: 'Delete a product row' },
			{ name: 'Get Many', value: 'getMany', description: "Get a record's product rows", action: 'Get many product rows' },
			{ name: 'Set', value: 'set', description: "Replace all of a record's product rows with the rows given (rows not sent are removed)", action: 'Set the product rows of a record' },
			{ name: 'Update', value: 'update', description: 'Change one row of a record by its row ID', action: 'Update a product row' },
		],
		default: 'set',
	},
	...ownerProperties,
	...set.description,
	...add.description,
	...getMany.description,
	...update.description,
	...deleteRow.description,
];
