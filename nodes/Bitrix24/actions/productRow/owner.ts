/**
 * The record whose product rows every Product Row operation reads or writes: its Entity Type (a parameter of its own,
 * `productRowEntityType`, since Automation Trigger's `entityType` lists other types), the smart process for a
 * smart-process item (the Smart Process Item resource's `smartProcessType` dropdown), and its Record ID. Read per
 * item, checked before any request.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { entityType, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE, smartProcessType } from '../../helpers/entities';
import type { RowOwner } from '../../helpers/productRows';
import { parseSmartProcessId, smartProcessTypeParameter } from '../../helpers/smartProcesses';
import { positiveId } from '../../helpers/validate';
import { requestOptions } from '../requestOptions';

export const RESOURCE = 'productRow';
export const ENTITY_TYPE = 'productRowEntityType';

/** The record types VibeCode gives product rows (the older docs' Products pages of each). */
const OWNER_TYPES = [
	{ name: 'Deal', value: 'deal' },
	{ name: 'Invoice', value: 'invoice' },
	{ name: 'Lead', value: 'lead' },
	{ name: 'Quote', value: 'quote' },
	{ name: 'Smart Process Item', value: SMART_PROCESS_ITEM },
];

export const ownerProperties: INodeProperties[] = [
	{
		displayName: 'Entity Type',
		name: ENTITY_TYPE,
		type: 'options',
		options: OWNER_TYPES,
		default: 'deal',
		required: true,
		description: 'The kind of CRM record whose product rows to use',
		displayOptions: { show: { resource: [RESOURCE] } },
	},
	smartProcessTypeParameter({ resource: [RESOURCE], [ENTITY_TYPE]: [SMART_PROCESS_ITEM] }, 'the item belongs to'),
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5141',
		description: "The record's ID: the number in its Bitrix24 address (5141 in /crm/deal/details/5141/)",
		displayOptions: { show: { resource: [RESOURCE] } },
	},
];

/** The item's record: its type and ID, each refused by its label. */
export function readOwner(context: IExecuteFunctions, itemIndex: number): RowOwner {
	const chosen = context.getNodeParameter(ENTITY_TYPE, itemIndex, 'deal');
	const value = typeof chosen === 'string' ? chosen.trim() : chosen;
	let type;
	if (value === SMART_PROCESS_ITEM) type = smartProcessType(parseSmartProcessId(context.getNodeParameter(SMART_PROCESS_TYPE, itemIndex, '')));
	else if (typeof value === 'string' && OWNER_TYPES.some((option) => option.value === value)) type = entityType(value)!;
	else {
		throw new InputError(
			`Entity Type must be one of ${OWNER_TYPES.map(({ name }) => name).join(', ')}; got ${quote(chosen)}`,
			`Pick the record type from the list, or make the expression return one of: ${OWNER_TYPES.map((option) => option.value).join(', ')}.`,
		);
	}
	const raw = context.getNodeParameter('recordId', itemIndex, '');
	const id = positiveId(raw);
	if (id === undefined) {
		throw new InputError(
			`Record ID must be a positive whole number; got ${quote(raw)}`,
			`Use the ${type.name.toLowerCase()}'s ID from Bitrix24 (the number in its address). Check that the expression does not return an empty value, a decimal or text.`,
		);
	}
	return { type, id };
}

/** A Row ID, refused by its label. */
export function readRowId(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNodeParameter('rowId', itemIndex, '');
	const id = positiveId(raw);
	if (id !== undefined) return id;
	throw new InputError(
		`Row ID must be a positive whole number; got ${quote(raw)}`,
		"Use the row's own ID (rowId in Get Many's output), not the catalog product's ID.",
	);
}

export const rowIdProperty: INodeProperties = {
	displayName: 'Row ID',
	name: 'rowId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1465',
	description: "The product row's own ID (rowId in Get Many's output), not the catalog product's ID",
};

/** The input fields an error item repeats, so that it can be matched to its input. */
export const ownerFields = (owner: RowOwner | undefined, extra: IDataObject = {}): IDataObject =>
	owner ? { entityType: owner.type.value, recordId: owner.id, ...extra } : {};

/** Options → Check Written Values: on by default, so that no write reports success without proof. */
const checkWrittenValues: INodeProperties = {
	displayName: 'Check Written Values',
	name: 'checkWrittenValues',
	type: 'boolean',
	default: true,
	description:
		'Whether to compare every row sent with the rows VibeCode answers, field by field, and fail the item when one was not stored as sent. Turn off only if Bitrix24 or a robot rewrites row values on purpose.',
};

/**
 * The Options of an operation: how requests are sent and retried (Retry Unknown Outcomes is not offered: a Set, an
 * Update and a Delete are retried anyway, an Add never is), and for writes Check Written Values.
 */
export function rowOptions(write: boolean): INodeProperties {
	const options = requestOptions.filter(({ name }) => name !== 'retryUnknownOutcome');
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: (write ? [...options, checkWrittenValues] : options).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Whether the item's writes are to be proven (Options → Check Written Values, on unless turned off). */
export const checksWrites = (context: IExecuteFunctions, itemIndex: number): boolean =>
	(context.getNodeParameter('options', itemIndex, {}) as IDataObject).checkWrittenValues !== false;
