/** The one conversion of mapped values into VibeCode's `fields`, and how the field mapper shows each portal type. */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/Bitrix24/errors';
import { fetchFields, isNumberField, mapperType, portalField, prepareFields, type PortalField } from '../../../nodes/Bitrix24/helpers/fields';
import { DEFAULT_SETTINGS, type VibeContext, type VibeSession } from '../../../nodes/Bitrix24/transport';
import { sharedPacers } from '../../../nodes/Bitrix24/transport/sharedPacers';
import { entityType } from '../../../nodes/Bitrix24/helpers/entities';

const field = portalField;

/** A deal's fields as a portal describes them, one of every kind the node converts. */
const DEAL: PortalField[] = [
	field('id', 'integer', { readOnly: true, title: 'ID' }),
	field('title', 'string', { required: true, title: 'Deal name' }),
	field('amount', 'double', { title: 'Amount' }),
	field('price', 'money', { title: 'Price' }),
	field('probability', 'integer', { title: 'Probability, %' }),
	field('companyId', 'crm_company', { title: 'Company' }),
	field('observers', 'user', { multiple: true, title: 'Observers' }),
	field('opened', 'boolean', { title: 'Available to everyone' }),
	field('closedAt', 'date', { title: 'Expected close date' }),
	field('movedAt', 'datetime', { title: 'Moved on' }),
	field('stageId', 'crm_status', { required: true, title: 'Stage' }),
	field('createdAt', 'datetime', { readOnly: true, required: true, title: 'Created on' }),
	field('UF_CRM_ORDER_NUMBER', 'string', { title: 'Order number' }),
	field('UF_CRM_DELIVERY_TYPE', 'enumeration', {
		title: 'Delivery type',
		items: [
			{ id: '41', label: 'Courier' },
			{ id: '42', label: 'Pickup' },
			{ id: '43', label: 'Post' },
		],
	}),
];
const LEAD: PortalField[] = [
	field('title', 'string', { title: 'Lead name' }),
	field('opened', 'char', { title: 'Available to everyone' }),
	field('phone', 'crm_multifield', { multiple: true, title: 'Phone' }),
	field('email', 'crm_multifield', { multiple: true, title: 'Email' }),
	field('web', 'crm_multifield', { multiple: true, title: 'Website' }),
];

const deal = (values: IDataObject, options = {}) => prepareFields(DEAL, values, { entity: 'deal', ...options });
const lead = (values: IDataObject, options = {}) => prepareFields(LEAD, values, { entity: 'lead', ...options });
/** The InputError a conversion throws, so its message and hint can be checked. */
function refusal(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected a refusal');
}

describe('mapperType: how the field mapper shows each portal type', () => {
	test.each([
		['string', {}, 'string'],
		['crm_currency', {}, 'string'],
		['crm_status', {}, 'string'],
		['url', {}, 'string'],
		['integer', {}, 'string'],
		['double', {}, 'string'],
		// Numbers are text boxes: n8n's number box fills in 0 for a shown field without a value, which would be sent.
		['money', {}, 'string'],
		['user', {}, 'string'],
		['crm_company', {}, 'string'],
		['crm_contact', {}, 'string'],
		['boolean', {}, 'boolean'],
		['char', {}, 'boolean'],
		['date', {}, 'dateTime'],
		['datetime', {}, 'dateTime'],
		['enumeration', { items: [{ id: '41', label: 'Courier' }] }, 'options'],
		['enumeration', {}, 'string'],
		['crm_multifield', { multiple: true }, 'string'],
		// n8n checks a mapped value against the type before the node sees it: a list is no number and no option.
		['user', { multiple: true }, 'string'],
		['enumeration', { multiple: true, items: [{ id: '41', label: 'Courier' }] }, 'string'],
	] as const)('%s %j → %s', (type, extra, shown) => {
		expect(mapperType(field('f', type, extra as Partial<PortalField>))).toBe(shown);
	});

	test('number fields include user and CRM record IDs, multiple ones too', () => {
		expect(DEAL.filter(isNumberField).map(({ name }) => name)).toEqual(['id', 'amount', 'price', 'probability', 'companyId', 'observers']);
	});
});

describe('prepareFields: every field type', () => {
	test('text stays text; numbers become text in a string field; custom UF_CRM_ fields like any other', () => {
		expect(deal({ title: 'Website redesign', UF_CRM_ORDER_NUMBER: 1001 })).toEqual({ title: 'Website redesign', UF_CRM_ORDER_NUMBER: '1001' });
	});

	test('an object in a text field is refused with the field named', () => {
		expect(refusal(() => deal({ title: { nested: true } })).message).toBe('Deal name (title) must be text; got {"nested":true}');
	});

	test.each([
		['amount', '1250.50', 1250.5],
		['amount', ' 7 ', 7],
		['amount', 0, 0],
		['price', 99.99, 99.99],
		['probability', '42', 42],
		['companyId', 301, 301],
	])('number field %s: %j → %j', (name, given, sent) => {
		expect(deal({ [name]: given })).toEqual({ [name]: sent });
	});

	test.each([
		['amount', 'abc', 'Amount (amount) must be a number; got "abc"', 'Give Amount (amount) a number such as 1250.50.'],
		['amount', true, 'Amount (amount) must be a number; got true', 'Give Amount (amount) a number such as 1250.50.'],
		['probability', '4.5', 'Probability, % (probability) must be a whole number; got "4.5"', 'Give Probability, % (probability) a whole number such as 42.'],
		['companyId', 'Acme', 'Company (companyId) must be a whole number; got "Acme"', 'Give Company (companyId) a whole number such as 42.'],
	])('number field %s refuses %j', (name, given, message, hint) => {
		const error = refusal(() => deal({ [name]: given }));
		expect(error.message).toBe(message);
		expect(error.description).toBe(hint);
	});

	test.each([
		[true, true],
		['true', true],
		['Y', true],
		['yes', true],
		[1, true],
		['1', true],
		[false, false],
		['N', false],
		['no', false],
		[0, false],
	])('boolean field: %j → %j; the same as Y/N in a char field', (given, yes) => {
		expect(deal({ opened: given })).toEqual({ opened: yes });
		expect(lead({ opened: given })).toEqual({ opened: yes ? 'Y' : 'N' });
	});

	test('a boolean that is neither is refused', () => {
		expect(refusal(() => lead({ opened: 'maybe' })).message).toBe('Available to everyone (opened) must be true or false; got "maybe"');
	});

	test('dates: a date field keeps the day, a datetime field the moment, from text, a Date or a Luxon DateTime', () => {
		expect(deal({ closedAt: '2026-12-31T17:00:00+03:00', movedAt: '2026-12-31T17:00:00+03:00' })).toEqual({
			closedAt: '2026-12-31',
			movedAt: '2026-12-31T17:00:00+03:00',
		});
		expect(deal({ closedAt: '2026-12-31', movedAt: new Date('2026-12-31T14:00:00Z') })).toEqual({
			closedAt: '2026-12-31',
			movedAt: '2026-12-31T14:00:00.000Z',
		});
		// n8n hands a mapped dateTime value over as a Luxon DateTime.
		const luxon = DateTime.fromISO('2026-12-31T17:00:00+03:00', { setZone: true });
		expect(deal({ closedAt: luxon, movedAt: luxon })).toEqual({ closedAt: '2026-12-31', movedAt: '2026-12-31T17:00:00.000+03:00' });
	});

	test.each([['next Tuesday'], [20261231]])('a date that is none is refused: %j', (given) => {
		const error = refusal(() => deal({ closedAt: given }));
		expect(error.message).toMatch(/^Expected close date \(closedAt\) must be a date; got /);
		expect(error.description).toMatch(/ISO date such as 2026-12-31/);
	});

	test.each([
		['Courier', '41'],
		['pickup', '42'],
		[' Post ', '43'],
		['41', '41'],
		[43, '43'],
	])('enumeration by label (any case) or by ID: %j → %j', (given, id) => {
		expect(deal({ UF_CRM_DELIVERY_TYPE: given })).toEqual({ UF_CRM_DELIVERY_TYPE: id });
	});

	test('an unknown enumeration choice is refused with the choices', () => {
		const error = refusal(() => deal({ UF_CRM_DELIVERY_TYPE: 'Drone' }));
		expect(error.message).toBe('Delivery type (UF_CRM_DELIVERY_TYPE) has no choice "Drone"');
		expect(error.description).toBe('Choose one of: Courier, Pickup, Post.');
	});

	test.each([
		['a string', '+15550100101', [{ value: '+15550100101', typeId: 'WORK' }]],
		['a comma list', '+1555 0100, +1555 0200', [{ value: '+1555 0100', typeId: 'WORK' }, { value: '+1555 0200', typeId: 'WORK' }]],
		['a semicolon list', '+1555 0100;+1555 0200', [{ value: '+1555 0100', typeId: 'WORK' }, { value: '+1555 0200', typeId: 'WORK' }]],
		['an array', ['+1555 0100', ' +1555 0200 '], [{ value: '+1555 0100', typeId: 'WORK' }, { value: '+1555 0200', typeId: 'WORK' }]],
		['entries with their type', [{ value: '+1555 0100', typeId: 'MOBILE' }, { VALUE: '+1555 0200', VALUE_TYPE: 'HOME' }], [{ value: '+1555 0100', typeId: 'MOBILE' }, { value: '+1555 0200', typeId: 'HOME' }]],
		['a number', 15550100101, [{ value: '15550100101', typeId: 'WORK' }]],
	])('phone as %s', (_label, given, sent) => {
		expect(lead({ phone: given })).toEqual({ phone: sent });
	});

	test('email as a string, a comma list or an array, each in VibeCode\'s shape', () => {
		expect(lead({ email: 'anna@mail.example' })).toEqual({ email: [{ value: 'anna@mail.example', typeId: 'WORK' }] });
		expect(lead({ email: 'anna@mail.example, a.s@home.example' }).email).toEqual([
			{ value: 'anna@mail.example', typeId: 'WORK' },
			{ value: 'a.s@home.example', typeId: 'WORK' },
		]);
		expect(lead({ email: ['anna@mail.example'], web: 'https://acme.example' })).toEqual({
			email: [{ value: 'anna@mail.example', typeId: 'WORK' }],
			web: [{ value: 'https://acme.example', typeId: 'WORK' }],
		});
	});

	test.each([['anna.mail.example'], ['anna@'], ['anna smirnova@mail.example'], ['ok@mail.example, nope']])('a bad email is refused: %j', (given) => {
		const error = refusal(() => lead({ email: given }));
		expect(error.message).toMatch(/^Email \(email\) is not an email address; got "/);
	});

	test('an empty entry in a list is refused; a phone is not checked as an email', () => {
		expect(refusal(() => lead({ phone: ['+1555', ' '] })).message).toBe('Phone (phone) has an empty entry');
		expect(refusal(() => lead({ email: [{ typeId: 'HOME' }] })).message).toBe('Email (email) has an empty entry');
		expect(lead({ phone: 'ext. 12' })).toEqual({ phone: [{ value: 'ext. 12', typeId: 'WORK' }] });
	});

	test('a multiple field takes a list of its type', () => {
		expect(deal({ observers: '1, 7' })).toEqual({ observers: [1, 7] });
		expect(deal({ observers: [1, '7'] })).toEqual({ observers: [1, 7] });
		expect(deal({ observers: 9 })).toEqual({ observers: [9] });
		expect(refusal(() => deal({ observers: '1, Olga' })).message).toBe('Observers (observers) must be a whole number; got "Olga"');
	});
});

describe('prepareFields: which values are sent at all', () => {
	test('empty values are left out', () => {
		expect(deal({ title: 'T', amount: '', comments: '   ', probability: null, companyId: undefined })).toEqual({ title: 'T' });
	});

	test('a field the portal does not have is refused, unless the values were mapped automatically', () => {
		const error = refusal(() => deal({ title: 'T', colour: 'red' }));
		expect(error.message).toBe('The deal has no field "colour"');
		expect(deal({ title: 'T', colour: 'red' }, { ignoreUnknown: true })).toEqual({ title: 'T' });
	});

	test('a read-only field is refused, unless the values were mapped automatically', () => {
		expect(refusal(() => deal({ id: 5 })).message).toBe('ID (id) is read-only');
		expect(deal({ id: 5, title: 'T' }, { ignoreUnknown: true })).toEqual({ title: 'T' });
	});

	test('a create needs every required field; an update does not', () => {
		const error = refusal(() => deal({ amount: 5 }, { required: true }));
		expect(error.message).toBe('Deal name (title) is required for a new deal');
		expect(error.description).toMatch(/Map a value to every required field/);
		expect(deal({ amount: 5 })).toEqual({ amount: 5 });
		// An empty value does not count as given.
		expect(refusal(() => deal({ title: '  ' }, { required: true })).message).toMatch(/Deal name \(title\) is required/);
	});

	test('several missing required fields are named together', () => {
		const fields = [field('name', 'string', { required: true, title: 'First name' }), field('title', 'string', { required: true })];
		expect(refusal(() => prepareFields(fields, {}, { required: true, entity: 'contact' })).message).toBe('First name (name), title are required for a new contact');
	});

	test('required read-only fields and the dropdowns\' fields (stage, pipeline, responsible) are not demanded', () => {
		// stageId and createdAt are required in DEAL, but one is set by its dropdown and the other by Bitrix24.
		expect(deal({ title: 'T' }, { required: true })).toEqual({ title: 'T' });
	});
});

describe('fetchFields: GET /v1/{entity}/fields as PortalField', () => {
	/** A context whose one HTTP call answers `body`; what the node asked is kept in `asked`. */
	function contextAnswering(body: unknown) {
		const asked: IDataObject[] = [];
		const context = {
			getNode: () => ({ name: 'Bitrix24', type: 'bitrix24', typeVersion: 1, position: [0, 0], parameters: {} }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IDataObject) => {
					asked.push(options);
					return { statusCode: 200, headers: {}, body: JSON.stringify(body) };
				},
			},
		} as unknown as VibeContext;
		const session: VibeSession = {
			keyType: 'personal',
			root: 'http://127.0.0.1:1',
			secrets: [],
			triggerCodes: [],
			settings: DEFAULT_SETTINGS,
			pacer: sharedPacers.pacerFor({ baseUrl: 'http://127.0.0.1:1', apiKey: 'vibe_api_unit_fields' }),
		};
		return { context, session, asked };
	}

	test('camelCase flags, titles and enumeration items, in the portal\'s order', async () => {
		const { context, session, asked } = contextAnswering({
			success: true,
			data: {
				fields: {
					id: { type: 'integer', isReadOnly: true, isRequired: false, isMultiple: false, title: 'ID' },
					title: { type: 'string', isRequired: true, title: 'Deal name' },
					UF_CRM_DELIVERY_TYPE: { type: 'enumeration', title: 'Delivery type', items: [{ ID: '41', VALUE: 'Courier' }, { id: 42, value: 'Pickup' }] },
				},
			},
		});
		const fields = await fetchFields.call(context, session, entityType('deal')!);
		expect(asked[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:1/v1/deals/fields' });
		expect(fields).toEqual([
			{ name: 'id', type: 'integer', title: 'ID', required: false, readOnly: true, multiple: false, items: [] },
			{ name: 'title', type: 'string', title: 'Deal name', required: true, readOnly: false, multiple: false, items: [] },
			{
				name: 'UF_CRM_DELIVERY_TYPE',
				type: 'enumeration',
				title: 'Delivery type',
				required: false,
				readOnly: false,
				multiple: false,
				items: [
					{ id: '41', label: 'Courier' },
					{ id: '42', label: 'Pickup' },
				],
			},
		]);
	});

	test('Bitrix24\'s upper-case Y/N flags and labels, and a table sent without the `fields` wrapper', async () => {
		const { context, session } = contextAnswering({
			success: true,
			data: {
				PHONE: { type: 'crm_multifield', isRequired: false, IS_MULTIPLE: 'Y', formLabel: 'Phone' },
				UF_CRM_1: { type: 'string', IS_REQUIRED: 'Y', IS_READ_ONLY: 'N', listLabel: 'Custom' },
				broken: 'not a field',
			},
		});
		expect(await fetchFields.call(context, session, entityType('lead')!)).toEqual([
			{ name: 'PHONE', type: 'crm_multifield', title: 'Phone', required: false, readOnly: false, multiple: true, items: [] },
			{ name: 'UF_CRM_1', type: 'string', title: 'Custom', required: true, readOnly: false, multiple: false, items: [] },
		]);
	});
});
