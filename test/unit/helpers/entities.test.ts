import { ENTITY_TYPES, entityLabel, entityType } from '../../../nodes/Bitrix24/helpers/entities';

test('entity labels: the title, or first and last name for people, else the type and ID', () => {
	expect(entityLabel(entityType('contact')!, { id: 1, name: 'Ivan', lastName: 'Petrov' })).toBe('Ivan Petrov');
	expect(entityLabel(entityType('deal')!, { ID: 5, TITLE: 'Upper' })).toBe('Upper');
	expect(entityLabel(entityType('deal')!, { id: 5 })).toBe('Deal 5');
	// A lead shows its title with the person's name, and either alone when the other is missing.
	expect(entityLabel(entityType('lead')!, { id: 7, title: 'Web form: pricing', name: 'Oleg', lastName: 'Volkov' })).toBe('Web form: pricing — Oleg Volkov');
	expect(entityLabel(entityType('lead')!, { id: 7, name: 'Oleg' })).toBe('Oleg');
	expect(entityLabel(entityType('lead')!, { id: 7, TITLE: 'Inbound call' })).toBe('Inbound call');
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
