/** The record resources' descriptions: which field shows for which resource and operation, without any network. */
import type { INodeProperties, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';
import { ENTITY_TYPE_VALUES } from '../../../../nodes/Bitrix24/helpers/entities';

const { description } = new Bitrix24();

/** The names of the parameters n8n's editor shows for these values, as n8n itself decides it. */
function shown(values: INodeParameters): string[] {
	return description.properties
		.filter((property) => NodeHelpers.displayParameter({ ...values }, property, { typeVersion: 1 } as never, description))
		.map((property) => property.name);
}

test.each(ENTITY_TYPE_VALUES)('%s offers the six record operations, alphabetical, each with its action', (resource) => {
	const operation = description.properties.find(
		(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	) as INodeProperties;
	const article = /^[aeiou]/.test(resource) ? 'an' : 'a';
	const PLURAL: Record<string, string> = { company: 'companies', contact: 'contacts', deal: 'deals', invoice: 'invoices', lead: 'leads', quote: 'quotes' };
	expect((operation.options as Array<{ value: string; action: string }>).map(({ value, action }) => [value, action])).toEqual([
		['create', `Create ${article} ${resource}`],
		['upsert', `Create or update ${article} ${resource}`],
		['delete', `Delete ${article} ${resource}`],
		['get', `Get ${article} ${resource}`],
		['getMany', `Get many ${PLURAL[resource]}`],
		['update', `Update ${article} ${resource}`],
	]);
});

test('Create shows the dropdowns that fit the record type, then the field mapper', () => {
	expect(shown({ resource: 'deal', operation: 'create' })).toEqual(['resource', 'operation', 'pipeline', 'stage', 'responsible', 'columns', 'options']);
	expect(shown({ resource: 'lead', operation: 'create' })).toEqual(['resource', 'operation', 'stage', 'responsible', 'columns', 'options']);
	expect(shown({ resource: 'quote', operation: 'create' })).toEqual(['resource', 'operation', 'stage', 'responsible', 'columns', 'options']);
	expect(shown({ resource: 'contact', operation: 'create' })).toEqual(['resource', 'operation', 'responsible', 'columns', 'options']);
	expect(shown({ resource: 'company', operation: 'upsert' })).toEqual(['resource', 'operation', 'responsible', 'columns', 'options']);
});

test('Get, Update and Delete find the record by the same Entity locator as Fire', () => {
	expect(shown({ resource: 'lead', operation: 'get' })).toEqual(['resource', 'operation', 'entity', 'options']);
	expect(shown({ resource: 'invoice', operation: 'delete' })).toEqual(['resource', 'operation', 'entity', 'options']);
	expect(shown({ resource: 'deal', operation: 'update' })).toEqual(['resource', 'operation', 'entity', 'pipeline', 'stage', 'responsible', 'columns', 'options']);
	const locators = description.properties.filter((property) => property.name === 'entity');
	expect(new Set(locators.map((locator) => JSON.stringify(locator.modes)))).toHaveProperty('size', 1);
});

test('Get Many: Return All, Limit, filters, sort', () => {
	expect(shown({ resource: 'deal', operation: 'getMany', returnAll: false })).toEqual(['resource', 'operation', 'noMatchNotice', 'returnAll', 'limit', 'filters', 'sort', 'options']);
	expect(shown({ resource: 'deal', operation: 'getMany', returnAll: true })).not.toContain('limit');
	// What to do when nothing matches, where the user builds the search.
	expect(shown({ resource: 'lead', operation: 'getMany' })).toContain('noMatchNotice');
	expect(shown({ resource: 'lead', operation: 'get' })).not.toContain('noMatchNotice');
});

test('the field mapper loads the portal fields: add, update, upsert with a match field', () => {
	const mappers = description.properties.filter((property) => property.name === 'columns');
	expect(mappers.map((mapper) => [mapper.displayOptions?.show?.operation, mapper.typeOptions?.resourceMapper?.mode])).toEqual([
		[['create'], 'add'],
		[['upsert'], 'upsert'],
		[['update'], 'add'],
	]);
	expect(mappers.map((mapper) => mapper.typeOptions?.resourceMapper?.addAllFields)).toEqual([false, false, false]);
	for (const mapper of mappers) expect(mapper.typeOptions?.resourceMapper).toMatchObject({ resourceMapperMethod: 'getRecordFields', supportAutoMap: true });
});

test('record options offer no Retry Unknown Outcomes: a create is never sent twice, the rest always may be', () => {
	const optionsOf = (operation: string) =>
		(description.properties.find((property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes(operation))?.options as INodeProperties[]).map(({ name }) => name);
	// Get Many searches page by page: no Batch Size; the operations that send per item have it.
	expect(optionsOf('getMany')).toEqual(['maxParallel', 'maxRetries', 'maxWait', 'timeout']);
	for (const operation of ['get', 'delete']) expect(optionsOf(operation)).toEqual(['batchSize', 'maxParallel', 'maxRetries', 'maxWait', 'timeout']);
	// Writes add Check Written Values; writes to an existing record also what happens to its phone, email and website entries.
	expect(optionsOf('create')).toEqual(['batchSize', 'checkWrittenValues', 'maxParallel', 'maxRetries', 'maxWait', 'timeout']);
	for (const operation of ['update', 'upsert']) {
		expect(optionsOf(operation)).toEqual(['batchSize', 'checkWrittenValues', 'maxParallel', 'maxRetries', 'maxWait', 'listEntries', 'timeout']);
	}
});
