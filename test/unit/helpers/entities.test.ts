import { ENTITY_TYPES, entityLabel, entityType } from '../../../nodes/Bitrix24/helpers/entities';

test('entity labels: the title, or first and last name for people, else the type and ID', () => {
	expect(entityLabel(entityType('contact')!, { id: 1, name: 'Ivan', lastName: 'Petrov' })).toBe('Ivan Petrov');
	expect(entityLabel(entityType('deal')!, { ID: 5, TITLE: 'Upper' })).toBe('Upper');
	expect(entityLabel(entityType('deal')!, { id: 5 })).toBe('Deal 5');
});

test("the six types, alphabetical, with VibeCode's paths and Bitrix24's links", () => {
	expect(ENTITY_TYPES.map((type) => [type.value, type.path, type.url('9')])).toEqual([
		['company', 'companies', '/crm/company/details/9/'],
		['contact', 'contacts', '/crm/contact/details/9/'],
		['deal', 'deals', '/crm/deal/details/9/'],
		['invoice', 'invoices', '/crm/type/31/details/9/'],
		['lead', 'leads', '/crm/lead/details/9/'],
		['quote', 'quotes', '/crm/type/7/details/9/'],
	]);
	expect(entityType('banana')).toBeUndefined();
});
