import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { CRM_RESOURCES, ENTITY_TYPES, OTHER_ENTITY, RECORD_RESOURCES, SMART_PROCESS_ITEM, type RecordType } from '../../helpers/entities';
import { smartProcessTypeParameter } from '../../helpers/smartProcesses';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

/**
 * The record operations, the same for each CRM entity resource (Company, Contact, Deal, Invoice, Lead, Quote) and,
 * but for Create or Update, for Other Entity.
 */
export const OPERATIONS: Record<string, { properties: INodeProperties[]; execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> }> = {
	create,
	upsert,
	delete: deleteRecord,
	get,
	getMany,
	update,
};

/**
 * The record engine's operations as a resource's Operation options, each action read as n8n's own nodes say it
 * ("Create a deal", "Get many companies"); Create or Update for the CRM resources only.
 */
export function recordOperationOptions(name: string, path: string, { upsert }: { upsert: boolean }): INodePropertyOptions[] {
	const a = `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name.toLowerCase()}`;
	return [
		{ name: 'Create', value: 'create', action: `Create ${a}`, description: `Create ${a} with the mapped fields` },
		...(upsert
			? [
					{
						name: 'Create or Update',
						value: 'upsert',
						action: `Create or update ${a}`,
						description: 'Create a new record, or update the current one if it already exists (upsert)',
					},
				]
			: []),
		{ name: 'Delete', value: 'delete', action: `Delete ${a}`, description: `Delete ${a} by its ID` },
		{ name: 'Get', value: 'get', action: `Get ${a}`, description: `Get ${a} by its ID` },
		{ name: 'Get Many', value: 'getMany', action: `Get many ${path}`, description: `Search ${name.toLowerCase()} records by field conditions` },
		{ name: 'Update', value: 'update', action: `Update ${a}`, description: `Change fields of ${a} by its ID` },
	];
}

/** One Operation list per CRM resource. A task's list is its own resource's (actions/task/), with these operations in it. */
const operationLists: INodeProperties[] = [...ENTITY_TYPES, { value: SMART_PROCESS_ITEM, name: 'Smart Process Item', path: 'smart process items' }].map(({ value, name, path }) => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [value] } },
	options: recordOperationOptions(name, path, { upsert: true }),
	default: 'get',
}));

/**
 * Create or Update stays with the CRM resources: it finds the record by a match field with one `$in` search per batch
 * and proves what it matched, which needs the entity's field list and filter rules the CRM pages document.
 */
export const OTHER_ENTITY_OPERATIONS = ['create', 'delete', 'get', 'getMany', 'update'];

/** Other Entity's Operation list and its Entity parameter: a path the key may use, from GET /v1/me, or by expression. */
const otherEntity: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [OTHER_ENTITY] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a record', description: 'Create a record of the chosen entity with the mapped fields' },
			{ name: 'Delete', value: 'delete', action: 'Delete a record', description: 'Delete a record of the chosen entity by its ID' },
			{ name: 'Get', value: 'get', action: 'Get a record', description: 'Get a record of the chosen entity by its ID' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many records', description: 'Search records of the chosen entity by field conditions' },
			{ name: 'Update', value: 'update', action: 'Update a record', description: 'Change fields of a record of the chosen entity by its ID' },
		],
		default: 'get',
	},
	{
		displayName: 'Entity Name or ID',
		name: OTHER_ENTITY,
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getOtherEntities' },
		required: true,
		default: '',
		displayOptions: { show: { resource: [OTHER_ENTITY] } },
		description:
			'The VibeCode entity, from the ones your key may use (tasks, calendar events…); the six CRM records have resources of their own. By expression, give its path, such as tasks. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		// The run takes one entity, as it takes one Resource and Operation (actions/router.ts).
		hint: 'Read once per run, from the first item',
	},
];

/**
 * The Smart Process Item resource's type: a smart process of the portal (GET /v1/smart-processes) by its entityTypeId,
 * or one by expression. Read once per run, as Other Entity's Entity is.
 */
const smartProcess: INodeProperties[] = [
	{ ...smartProcessTypeParameter({ resource: [SMART_PROCESS_ITEM] }, 'whose items to use', { required: true }), hint: 'Read once per run, from the first item' },
];

export const description: INodeProperties[] = [
	...operationLists,
	...otherEntity,
	...smartProcess,
	...Object.entries(OPERATIONS).flatMap(([operation, { properties }]) =>
		updateDisplayOptions(
			{ show: { resource: OTHER_ENTITY_OPERATIONS.includes(operation) ? [...RECORD_RESOURCES, OTHER_ENTITY] : CRM_RESOURCES, operation: [operation] } },
			properties,
		),
	),
];
