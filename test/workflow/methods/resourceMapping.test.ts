/**
 * The field mapper's fields (getRecordFields, from GET /v1/{entity}/fields) and the record resources' field and
 * dropdown lists, through n8n-core's LoadOptionsContext as the editor calls them, against the sandbox.
 */
import type { ResourceMapperField } from 'n8n-workflow';

import { ENTITY_TYPE_VALUES } from '../../../nodes/Bitrix24/helpers/entities';
import { loadMapperFields, loadNodeOptions } from '../../helpers/engine';
import { KEY_TYPES, personal } from '../../helpers/fixtures';
import { createSandbox, FIELDS } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const load = async (resource: string, operation: string, credentials = personal(sandbox)) =>
	(await loadMapperFields({ parameters: { resource, operation }, credentials })).fields;
const byId = (fields: ResourceMapperField[]) => Object.fromEntries(fields.map((field) => [field.id, field]));

test('a deal\'s fields for Create: every writable field with its type; the custom fields; enumeration choices', async () => {
	const fields = await load('deal', 'create');
	expect(fields.map(({ id, type, required }) => [id, type, required])).toEqual([
		['title', 'string', true],
		['amount', 'string', false],
		['currency', 'string', false],
		['probability', 'string', false],
		['companyId', 'string', false],
		['contactId', 'string', false],
		// Numbers as text: n8n's number box fills in 0 for a field shown without a value (helpers/fields.ts mapperType).
		// A multiple field takes a list too.
		['observers', 'string', false],
		['sourceId', 'string', false],
		['sourceDescription', 'string', false],
		['opened', 'boolean', false],
		['closedAt', 'dateTime', false],
		['comments', 'string', false],
		['UF_CRM_ORDER_NUMBER', 'string', false],
		['UF_CRM_DELIVERY_TYPE', 'options', false],
		['UF_CRM_PRIORITY', 'string', false],
		['UF_CRM_DISCOUNT', 'string', false],
		// Money takes "1250.50|EUR" too, which a number box would refuse.
		['UF_CRM_BUDGET', 'string', false],
		['UF_CRM_VIP', 'boolean', false],
		['UF_CRM_DUE_DATE', 'dateTime', false],
		['UF_CRM_CALL_AT', 'dateTime', false],
		['UF_CRM_CHANNELS', 'string', false],
		['UF_CRM_TAGS', 'string', false],
		['UF_CRM_SITE', 'string', false],
		['UF_CRM_MANAGER', 'string', false],
		['UF_CRM_ADDRESS', 'string', false],
		['UF_CRM_RELATED', 'string', false],
	]);
	const deal = byId(fields);
	expect(deal.title).toEqual({
		id: 'title',
		displayName: 'Deal name (title)',
		required: true,
		defaultMatch: false,
		canBeUsedToMatch: true,
		display: true,
		type: 'string',
		options: undefined,
	});
	expect(deal.UF_CRM_ORDER_NUMBER).toMatchObject({ displayName: 'Order number (UF_CRM_ORDER_NUMBER)', canBeUsedToMatch: true });
	expect(deal.UF_CRM_DELIVERY_TYPE.options).toEqual([
		{ name: 'Courier', value: '41' },
		{ name: 'Pickup', value: '42' },
		{ name: 'Post', value: '43' },
	]);
	expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /v1/deals/fields 200']);
});

test('a lead\'s and a contact\'s: phone and email as text, email the default field to match on; char as a boolean', async () => {
	for (const resource of ['lead', 'contact']) {
		const fields = byId(await load(resource, 'upsert'));
		expect(fields.email).toMatchObject({ type: 'string', defaultMatch: true, canBeUsedToMatch: true });
		expect(fields.phone).toMatchObject({ type: 'string', defaultMatch: false, canBeUsedToMatch: true });
		expect(fields.opened).toMatchObject({ type: 'boolean' });
	}
	expect(byId(await load('contact', 'create')).birthdate).toMatchObject({ type: 'dateTime', canBeUsedToMatch: false });
	// Each phone, email and website field says what a write to an existing record does with its entries.
	expect(byId(await load('lead', 'upsert')).phone.displayName).toBe('Phone (phone) – adds to the entries');
	// The match field finds the record by the value: what a write does with its entries is no concern of it.
	expect(byId(await load('lead', 'upsert')).email.displayName).toBe('Email (email)');
	const replacing = await loadMapperFields({ parameters: { resource: 'company', operation: 'update', options: { listEntries: 'replace' } }, credentials: personal(sandbox) });
	expect(byId(replacing.fields).web.displayName).toBe('Website (web) – replaces the entries');
	expect(byId(await load('contact', 'create')).phone.displayName).toBe('Phone (phone)');
	// A company has an email too, but is matched by its name more often: no default there.
	expect(byId(await load('company', 'upsert')).email).toMatchObject({ defaultMatch: false, canBeUsedToMatch: true });
});

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(ENTITY_TYPE_VALUES)('%s: read-only fields and the dropdowns\' fields are left out; the custom field is in', async (resource) => {
		const table = FIELDS[resource as keyof typeof FIELDS];
		const fields = await load(resource, 'create', credentials(sandbox));
		const offered = fields.map((field) => field.id);
		const writable = Object.keys(table).filter((name) => !table[name].isReadOnly && !['categoryId', 'stageId', 'statusId', 'assignedById'].includes(name));
		expect(offered).toEqual(writable);
		expect(offered.filter((name) => name.startsWith('UF_CRM_'))).not.toEqual([]);
		for (const name of ['id', 'createdBy', 'stageId', 'assignedById']) expect(offered).not.toContain(name);
		// Required for Create exactly where the portal says so.
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(Object.keys(table).filter((name) => table[name].isRequired));
	});
});

test('required for Create and Create or Update only: an update changes what is given', async () => {
	expect(byId(await load('contact', 'create')).name.required).toBe(true);
	expect(byId(await load('contact', 'upsert')).name.required).toBe(true);
	expect((await load('contact', 'update')).filter((field) => field.required)).toEqual([]);
	// No entity requires anything of a lead.
	expect((await load('lead', 'create')).filter((field) => field.required)).toEqual([]);
});

test('without a record resource the editor is told to choose one', async () => {
	await expect(load('automationTrigger', 'fire')).rejects.toMatchObject({ message: 'Choose a CRM record resource first' });
	expect(sandbox.requests).toEqual([]);
});

test('a loader error says why', async () => {
	await expect(load('deal', 'create', { ...personal(sandbox), apiKey: sandbox.keys.noCrm })).rejects.toMatchObject({ message: expect.stringContaining('SCOPE_DENIED') });
});

describe('the record resources\' other lists', () => {
	test('Get Many\'s field list: every field, read-only ones too, by name', async () => {
		const options = await loadNodeOptions('getRecordFieldNames', { parameters: { resource: 'deal', operation: 'getMany' }, credentials: personal(sandbox) });
		expect(options).toHaveLength(Object.keys(FIELDS.deal).length);
		expect(options).toEqual(expect.arrayContaining([
			{ name: 'ID (id)', value: 'id' },
			{ name: 'Created on (createdAt)', value: 'createdAt' },
			{ name: 'Order number (UF_CRM_ORDER_NUMBER)', value: 'UF_CRM_ORDER_NUMBER' },
		]));
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test('a deal\'s stages follow its Pipeline; a lead\'s statuses; users for Responsible Person', async () => {
		const stages = (parameters: Record<string, unknown>) => loadNodeOptions('getStagesOptional', { parameters: { operation: 'create', ...parameters }, credentials: personal(sandbox) });
		// Every one of these dropdowns is optional: "(Not Set)", an empty value, comes first (see loadOptions.ts).
		expect((await stages({ resource: 'deal', pipeline: 1 })).map((option) => option.value)).toEqual(['', 'C1:NEW', 'C1:NEGOTIATION', 'C1:WON', 'C1:LOSE']);
		expect((await stages({ resource: 'deal', pipeline: 0 })).map((option) => option.value)).toEqual(['', 'NEW', 'PREPARATION', 'EXECUTING', 'WON', 'LOSE']);
		expect(await stages({ resource: 'deal', pipeline: '' })).toHaveLength(10);
		expect((await stages({ resource: 'lead' })).map((option) => option.value)).toEqual(['', 'NEW', 'IN_PROCESS', 'CONVERTED', 'JUNK']);
		expect(await loadNodeOptions('getPipelinesOptional', { parameters: { resource: 'deal', operation: 'create' }, credentials: personal(sandbox) })).toEqual([
			{ name: '(Not Set)', value: '' },
			{ name: 'General', value: 0 },
			{ name: 'Wholesale', value: 1 },
		]);
		expect((await loadNodeOptions('getUsersOptional', { parameters: { resource: 'deal', operation: 'create' }, credentials: personal(sandbox) })).map((option) => option.value)).toEqual(['', 1, 7]);
	});
});

describe('Create or Update: the match field comes first and is required, so n8n shows its value box from the start', () => {
	const upsert = async (resource: string, columns?: object) =>
		(await loadMapperFields({ parameters: { resource, operation: 'upsert', ...(columns ? { columns } : {}) }, credentials: personal(sandbox) })).fields;

	test('a lead or contact: Email, the default match, first and required; the other fields as they were', async () => {
		for (const resource of ['lead', 'contact']) {
			const fields = await upsert(resource);
			expect(fields[0]).toMatchObject({ id: 'email', required: true, defaultMatch: true, canBeUsedToMatch: true });
			const portalRequired = (await load(resource, 'create')).filter((field) => field.required).map((field) => field.id);
			expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['email', ...portalRequired]);
			expect(fields.filter((field) => field.defaultMatch).map((field) => field.id)).toEqual(['email']);
		}
		// Create leaves email optional.
		expect(byId(await load('lead', 'create')).email.required).toBe(false);
	});

	test('a match field the user chose (the order number of a deal) is the one first and required after Refresh', async () => {
		const fields = await upsert('deal', { mappingMode: 'defineBelow', value: null, matchingColumns: ['UF_CRM_ORDER_NUMBER'] });
		expect(fields[0]).toMatchObject({ id: 'UF_CRM_ORDER_NUMBER', required: true });
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['UF_CRM_ORDER_NUMBER', 'title']);
		// No default match for a deal: nothing required beyond the portal's own until one is chosen.
		expect((await upsert('deal')).filter((field) => field.required).map((field) => field.id)).toEqual(['title']);
	});
});
