import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ENTITY_TYPES, ENTITY_TYPE_VALUES, type EntityType } from '../../helpers/entities';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

/** The record operations, the same for each CRM entity resource (Company, Contact, Deal, Invoice, Lead, Quote). */
export const OPERATIONS: Record<string, { properties: INodeProperties[]; execute(this: IExecuteFunctions, type: EntityType): Promise<INodeExecutionData[]> }> = {
	create,
	upsert,
	delete: deleteRecord,
	get,
	getMany,
	update,
};

/** One Operation list per resource, so each action reads "Create a deal", "Get many companies", as n8n's own nodes say it. */
const operationLists: INodeProperties[] = ENTITY_TYPES.map(({ value, name, path }) => {
	const a = `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name.toLowerCase()}`;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [value] } },
		options: [
			{ name: 'Create', value: 'create', action: `Create ${a}`, description: `Create ${a} with the mapped fields` },
			{
				name: 'Create or Update',
				value: 'upsert',
				action: `Create or update ${a}`,
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Delete', value: 'delete', action: `Delete ${a}`, description: `Delete ${a} by its ID` },
			{ name: 'Get', value: 'get', action: `Get ${a}`, description: `Get ${a} by its ID` },
			{ name: 'Get Many', value: 'getMany', action: `Get many ${path}`, description: `Search ${name.toLowerCase()} records by field conditions` },
			{ name: 'Update', value: 'update', action: `Update ${a}`, description: `Change fields of ${a} by its ID` },
		],
		default: 'get',
	};
});

export const description: INodeProperties[] = [
	...operationLists,
	...Object.entries(OPERATIONS).flatMap(([operation, { properties }]) =>
		updateDisplayOptions({ show: { resource: ENTITY_TYPE_VALUES, operation: [operation] } }, properties),
	),
];
