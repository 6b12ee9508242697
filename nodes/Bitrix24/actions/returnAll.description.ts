import type { INodeProperties } from 'n8n-workflow';

const RETURN_ALL: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const LIMIT: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/**
 * Return All and Limit, n8n's usual pair for a Get Many. `returnAll` is the default of Return All: on for the short
 * trigger list, off for CRM records, which can be many thousands.
 */
export function returnAllAndLimit(returnAll: boolean): INodeProperties[] {
	return [{ ...RETURN_ALL, default: returnAll }, LIMIT];
}
