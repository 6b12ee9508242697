import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { OTHER_ENTITY, type RecordType } from '../../helpers/entities';
import { fetchFieldsIfListed, isNumberField, label, portalField, type PortalField } from '../../helpers/fields';
import { searchAll } from '../../helpers/records';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';
import { searchOptions } from './options.description';

/** The contract's filter operators, as VibeCode's Mongo-style keys; equals is a plain value. */
export const OPERATORS = {
	equals: undefined,
	notEquals: '$ne',
	greater: '$gt',
	greaterOrEqual: '$gte',
	less: '$lt',
	lessOrEqual: '$lte',
	contains: '$contains',
	in: '$in',
} as const;
type Operator = keyof typeof OPERATORS;

/** A field of the resource: the portal's list (custom fields included, read-only ones too), or a name by expression. */
const fieldPicker = (defaultValue: string, purpose: string): INodeProperties => ({
	displayName: 'Field Name or ID',
	name: 'field',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getRecordFieldNames', loadOptionsDependsOn: ['resource', OTHER_ENTITY] },
	default: defaultValue,
	description: `${purpose}Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
});

export const properties: INodeProperties[] = [
	{
		// n8n runs the next node only for items: a search that finds nothing ends a chain such as "payment → find
		// the deal → fire" without a word. n8n's own setting keeps it going.
		displayName:
			'When no record matches, this node outputs nothing and the nodes after it do not run. To go on (to answer "not found", or to branch with an If node), turn on Always Output Data in this node\'s Settings.',
		name: 'noMatchNotice',
		type: 'notice',
		default: '',
	},
	...returnAllAndLimit(false),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add condition',
		default: {},
		description: 'Conditions every returned record meets (all of them)',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					fieldPicker('', 'The field to compare, custom fields included. '),
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Equals', value: 'equals' },
							{ name: 'Greater Than', value: 'greater' },
							{ name: 'Greater Than or Equal', value: 'greaterOrEqual' },
							{ name: 'In List', value: 'in', description: 'One of several values, separated by commas' },
							{ name: 'Less Than', value: 'less' },
							{ name: 'Less Than or Equal', value: 'lessOrEqual' },
							{ name: 'Not Equals', value: 'notEquals' },
						],
						default: 'equals',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The value to compare with; dates as ISO text such as 2026-12-31T00:00:00',
					},
				],
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		placeholder: 'Add sort',
		default: {},
		options: [
			{
				displayName: 'Sort By',
				name: 'by',
				values: [
					fieldPicker('id', 'The field to sort by. '),
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Ascending', value: 'asc' },
							{ name: 'Descending', value: 'desc' },
						],
						default: 'asc',
					},
				],
			},
		],
	},
	searchOptions,
];

interface Condition {
	field: string;
	operator: Operator;
	value: unknown;
}

interface SearchRequest {
	conditions: Condition[];
	sort: Record<string, 'asc' | 'desc'>;
	limit: number;
	/** VibeCode's filter, built by the check once the portal's fields are known. */
	filter?: IDataObject;
}

/** A condition's value in its field's type: numbers as numbers, In List as a list. */
function filterValue(field: PortalField, { operator, value }: Condition): unknown {
	const one = (entry: unknown) => {
		if (!isNumberField(field)) return typeof entry === 'string' ? entry.trim() : entry;
		// An empty value is no number (Number('') would be 0, a filter the user never asked for).
		const text = String(entry ?? '').trim();
		const number = typeof entry === 'number' ? entry : text === '' ? NaN : Number(text);
		if (!Number.isFinite(number)) throw new InputError(`Filter on ${label(field)} needs a number; got ${quote(entry)}`, `${label(field)} holds numbers: compare it with a number such as 42.`);
		return number;
	};
	if (operator !== 'in') return one(value);
	const list = Array.isArray(value) ? value : String(value).split(',').map((part) => part.trim()).filter(Boolean);
	return list.map(one);
}

/** Rows of field / operator / value as VibeCode's filter; several conditions on one field all apply. */
export function buildFilter(fields: PortalField[], conditions: Condition[]): IDataObject | undefined {
	const byName = new Map(fields.map((field) => [field.name, field]));
	const filter: IDataObject = {};
	for (const condition of conditions) {
		const field = byName.get(condition.field);
		if (!field) throw new InputError(`Filter field "${condition.field}" is not a field of this record type`, 'Choose the field from the list.');
		const value = filterValue(field, condition) as IDataObject[string];
		const key = OPERATORS[condition.operator];
		const earlier = filter[field.name];
		// Equals is VibeCode's plain value, which cannot sit beside an operator on the same field.
		if (earlier !== undefined && (key === undefined || typeof earlier !== 'object' || earlier === null || Array.isArray(earlier) || key in earlier)) {
			throw new InputError(`The filters compare ${label(field)} twice in a way VibeCode cannot combine`, 'Keep one Equals condition per field, or one condition per operator (such as Greater Than or Equal and Less Than for a range).');
		}
		filter[field.name] = key === undefined ? value : { ...(earlier as IDataObject | undefined), [key]: value };
	}
	return Object.keys(filter).length > 0 ? filter : undefined;
}

/** POST /v1/{entity}/search for each item: one output item per record, all pages when Return All is on. */
export async function execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> {
	let portal: Promise<PortalField[] | undefined> | undefined;
	const getMany: ItemOperation<SearchRequest> = {
		read: (itemIndex) => {
			const rows = ((this.getNodeParameter('filters', itemIndex, {}) as IDataObject).conditions ?? []) as IDataObject[];
			const by = ((this.getNodeParameter('sort', itemIndex, {}) as IDataObject).by ?? {}) as IDataObject;
			const conditions = rows.map((row, n) => {
				const field = String(row.field ?? '').trim();
				if (!field) throw new InputError(`Filter ${n + 1} has no field`, 'Choose the field to compare, or remove the condition.');
				const operator = String(row.operator ?? 'equals') as Operator;
				if (!(operator in OPERATORS)) throw new InputError(`Filter ${n + 1} has an unknown operator "${operator}"`, 'Choose the operator from the list.');
				return { field, operator, value: row.value ?? '' };
			});
			const sortField = String(by.field ?? '').trim();
			return {
				conditions,
				sort: sortField ? { [sortField]: by.direction === 'desc' ? 'desc' : 'asc' } : { id: 'asc' },
				limit: this.getNodeParameter('returnAll', itemIndex, false) ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number),
			};
		},
		check: async (session, items) => {
			portal ??= fetchFieldsIfListed.call(this, session, type, items[0].itemIndex);
			const listed = await portal;
			const refused = new Map<number, unknown>();
			for (const { itemIndex, request } of items) {
				try {
					// An Other Entity path without a field list: each condition's field is taken as named, its value as text,
					// and VibeCode says which fields it filters and sorts on.
					const fields = listed ?? request.conditions.map(({ field }) => portalField(field));
					request.filter = buildFilter(fields, request.conditions);
					for (const name of listed ? Object.keys(request.sort) : []) {
						if (!fields.some((field) => field.name === name)) throw new InputError(`Sort field "${name}" is not a field of this record type`, 'Choose the field from the list.');
					}
				} catch (error) {
					refused.set(itemIndex, error);
				}
			}
			return refused;
		},
		send: async (session, { filter, sort, limit }, itemIndex) => await searchAll.call(this, session, type, { filter, sort }, limit, itemIndex),
	};
	return await runItems.call(this, getMany);
}
