/**
 * The sandbox's CRM record API (docs/sandbox.md, "CRM records"): /fields, create and update checks, the body's shape,
 * fields Bitrix24 drops or rewrites, the deal's user fields stored as Bitrix24 stores them, phone and email lists,
 * filters on unknown fields, delete, and stages an entity does not have. Plain HTTP, as a client sees it.
 */
import { createSandbox, DEFAULT_TRIGGERS, FIELDS, KEY_USER, type EntityType, type FieldDefinition } from '../../sandbox/server';
import { sandboxCaller, type SandboxAnswer } from '../../helpers/fixtures';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const PATHS: Record<EntityType, string> = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies', quote: 'quotes', invoice: 'invoices' };
const ENTITIES = Object.keys(PATHS) as EntityType[];

type Answer = SandboxAnswer;
const call = sandboxCaller(sandbox);

const fieldsOf = async (type: EntityType): Promise<Record<string, FieldDefinition>> => {
	const answer = await call('GET', `/v1/${PATHS[type]}/fields`);
	expect(answer.status).toBe(200);
	expect(answer.body.success).toBe(true);
	return answer.body.data.fields;
};
const search = (type: EntityType, filter: unknown, extra: Record<string, unknown> = {}) => call('POST', `/v1/${PATHS[type]}/search`, { filter, ...extra });
const ids = (answer: Answer) => (answer.body.data as Array<{ id: number }>).map((record) => record.id);

describe('GET /v1/{entity}/fields', () => {
	test.each(ENTITIES)('%s: every field has type, isRequired, isReadOnly, isMultiple and a title', async (type) => {
		const fields = await fieldsOf(type);
		expect(fields).toEqual(FIELDS[type]);
		for (const [name, field] of Object.entries(fields)) {
			expect({ name, type: typeof field.type, flags: [field.isRequired, field.isReadOnly, field.isMultiple].map((f) => typeof f), title: typeof field.title }).toEqual({
				name,
				type: 'string',
				flags: ['boolean', 'boolean', 'boolean'],
				title: 'string',
			});
			if (field.type === 'crm_status') expect(field.statusType).toEqual(expect.any(String));
			if (field.type === 'enumeration') expect(field.items!.length).toBeGreaterThan(0);
		}
		expect(fields.id).toMatchObject({ type: 'integer', isReadOnly: true });
		expect(fields.assignedById).toMatchObject({ type: 'user', isReadOnly: false });
		expect(fields.createdBy).toMatchObject({ type: 'user', isReadOnly: true });
		expect(fields.updatedBy).toMatchObject({ type: 'user', isReadOnly: true });
	});

	test('required fields: title for deals, companies, quotes and invoices, name for contacts, none for leads', async () => {
		const required: Record<string, string[]> = {};
		for (const type of ENTITIES) {
			required[type] = Object.entries(await fieldsOf(type))
				.filter(([, field]) => field.isRequired)
				.map(([name]) => name);
		}
		expect(required).toEqual({ deal: ['title'], lead: [], contact: ['name'], company: ['title'], quote: ['title'], invoice: ['title'] });
	});

	test('each entity has its own creation and update times, read-only', async () => {
		for (const type of ENTITIES) {
			const [created, updated] = ['deal', 'quote'].includes(type) ? ['createdAt', 'updatedAt'] : ['createdTime', 'updatedTime'];
			const fields = await fieldsOf(type);
			expect([fields[created], fields[updated]]).toEqual([expect.objectContaining({ type: 'datetime', isReadOnly: true }), expect.objectContaining({ type: 'datetime', isReadOnly: true })]);
			expect(fields[created === 'createdAt' ? 'createdTime' : 'createdAt']).toBeUndefined();
		}
	});

	test('stages and statuses name their list; pipelines, users and multi-fields have their types', async () => {
		const [deal, lead, quote, invoice, company, contact] = await Promise.all((['deal', 'lead', 'quote', 'invoice', 'company', 'contact'] as const).map(fieldsOf));
		expect(deal.stageId).toMatchObject({ type: 'crm_status', statusType: 'DEAL_STAGE' });
		expect(lead.statusId).toMatchObject({ type: 'crm_status', statusType: 'STATUS' });
		expect(quote.stageId).toMatchObject({ type: 'crm_status', statusType: 'QUOTE_STATUS' });
		expect(invoice.stageId).toMatchObject({ type: 'crm_status', statusType: 'SMART_INVOICE_STAGE_2' });
		expect(lead.sourceId).toMatchObject({ type: 'crm_status', statusType: 'SOURCE' });
		expect([deal.categoryId.type, invoice.categoryId.type]).toEqual(['crm_category', 'crm_category']);
		expect(lead.categoryId).toBeUndefined();
		for (const fields of [lead, contact, company]) {
			expect(fields.phone).toMatchObject({ type: 'crm_multifield', isMultiple: true });
			expect(fields.email).toMatchObject({ type: 'crm_multifield', isMultiple: true });
		}
		expect(company.web).toMatchObject({ type: 'crm_multifield', isMultiple: true });
		expect([deal.currency.type, company.currencyId.type, invoice.currencyId.type]).toEqual(['crm_currency', 'crm_currency', 'crm_currency']);
		expect([deal.companyId.type, deal.contactId.type, quote.dealId.type]).toEqual(['crm_company', 'crm_contact', 'crm_deal']);
		expect([deal.opened.type, lead.opened.type]).toEqual(['boolean', 'char']);
	});

	test('custom fields: one UF_CRM_ text field with a human title on every entity; the deal has order number and delivery type', async () => {
		for (const type of ENTITIES) {
			const custom = Object.entries(await fieldsOf(type)).filter(([name, field]) => name.startsWith('UF_CRM_') && field.type === 'string');
			expect(custom.length).toBeGreaterThanOrEqual(1);
			for (const [name, field] of custom) expect(field.title).not.toBe(name);
		}
		const deal = await fieldsOf('deal');
		expect(deal.UF_CRM_ORDER_NUMBER).toEqual({ type: 'string', isRequired: false, isReadOnly: false, isMultiple: false, title: 'Order number' });
		expect(deal.UF_CRM_DELIVERY_TYPE).toMatchObject({
			type: 'enumeration',
			items: [{ ID: '41', VALUE: 'Courier' }, { ID: '42', VALUE: 'Pickup' }, { ID: '43', VALUE: 'Post' }],
		});
	});

	test('every field a seeded record holds is in its table', async () => {
		for (const type of ENTITIES) {
			const fields = await fieldsOf(type);
			const { body } = await call('GET', `/v1/${PATHS[type]}?limit=500`);
			const used = new Set((body.data as Array<Record<string, unknown>>).flatMap((record) => Object.keys(record)));
			expect([...used].filter((name) => !fields[name])).toEqual([]);
		}
	});

	test('the fields the Bitrix24 Trigger filters and sorts on exist', async () => {
		for (const type of ENTITIES) {
			const fields = await fieldsOf(type);
			const stage = type === 'lead' ? ['statusId'] : ['deal', 'quote', 'invoice'].includes(type) ? ['stageId'] : [];
			const times = ['deal', 'quote'].includes(type) ? ['createdAt', 'updatedAt'] : ['createdTime', 'updatedTime'];
			for (const name of ['id', 'assignedById', ...times, ...stage, ...(type === 'deal' ? ['categoryId'] : [])]) expect(`${type}.${name}: ${typeof fields[name]}`).toBe(`${type}.${name}: object`);
		}
	});
});

describe('POST /v1/{entity}', () => {
	test('201 with the whole record; read-only and unknown fields are ignored; values get their field types', async () => {
		const answer = await call('POST', '/v1/deals', { title: 'Garden furniture', amount: '1250.50', probability: '40', opened: 'Y', UF_CRM_DELIVERY_TYPE: 42, id: 1, createdAt: '2020-01-01T00:00:00Z', createdBy: 9, nonsense: 'x' });
		expect(answer.status).toBe(201);
		const deal = answer.body.data;
		expect(deal).toMatchObject({ title: 'Garden furniture', amount: 1250.5, probability: 40, opened: true, UF_CRM_DELIVERY_TYPE: '42', createdBy: KEY_USER, updatedBy: KEY_USER });
		expect(deal.id).not.toBe(1);
		expect(deal.createdAt).not.toBe('2020-01-01T00:00:00Z');
		expect(deal).not.toHaveProperty('nonsense');
		// What Bitrix24 fills in: the default pipeline, its first stage, the key's user as responsible.
		expect(deal).toMatchObject({ categoryId: 0, stageId: 'NEW', assignedById: KEY_USER });
		expect((await call('GET', `/v1/deals/${deal.id}`)).body.data).toEqual(deal);

		const lead = await call('POST', '/v1/leads', { opened: true, amount: 10 });
		expect(lead.status).toBe(201);
		expect(lead.body.data).toMatchObject({ opened: 'Y', amount: 10, statusId: 'NEW' });
	});

	test('a missing required field is 400 VALIDATION_ERROR naming it; nothing is created', async () => {
		for (const [type, fields, name] of [
			['deal', { amount: 5 }, 'title'],
			['company', { title: '  ' }, 'title'],
			['quote', {}, 'title'],
			['invoice', { opportunity: 1 }, 'title'],
			['contact', { lastName: 'Only' }, 'name'],
		] as Array<[EntityType, Record<string, unknown>, string]>) {
			const before = (await call('GET', `/v1/${PATHS[type]}`)).body.total;
			const answer = await call('POST', `/v1/${PATHS[type]}`, fields);
			expect({ type, status: answer.status, error: answer.body.error }).toEqual({
				type,
				status: 400,
				error: { code: 'VALIDATION_ERROR', message: expect.stringContaining(`fields.${name}: Required`) },
			});
			expect((await call('GET', `/v1/${PATHS[type]}`)).body.total).toBe(before);
		}
		expect((await call('POST', '/v1/leads', {})).status).toBe(201);
	});

	test('a value that does not fit its field is 400 VALIDATION_ERROR naming the field', async () => {
		const answer = await call('POST', '/v1/deals', { title: 'T', amount: 'lots', UF_CRM_DELIVERY_TYPE: '44', closedAt: 'someday' });
		expect(answer.status).toBe(400);
		expect(answer.body.error.code).toBe('VALIDATION_ERROR');
		expect(answer.body.error.message).toMatch(/fields\.amount: Expected number/);
		expect(answer.body.error.message).toMatch(/fields\.UF_CRM_DELIVERY_TYPE: Expected one of 41 \(Courier\), 42 \(Pickup\), 43 \(Post\)/);
		expect(answer.body.error.message).toMatch(/fields\.closedAt: Expected ISO 8601 date/);
	});

	test('a PATCH answers the whole updated record and may not empty a required field', async () => {
		const patched = await call('PATCH', '/v1/deals/5142', { amount: '5000', UF_CRM_ORDER_NUMBER: 'ORD-2002', updatedAt: '2000-01-01T00:00:00Z' });
		expect(patched.status).toBe(200);
		expect(patched.body.data).toMatchObject({ id: 5142, title: 'Annual support contract', amount: 5000, stageId: 'PREPARATION', UF_CRM_ORDER_NUMBER: 'ORD-2002', updatedBy: KEY_USER });
		expect(patched.body.data.updatedAt).not.toBe('2000-01-01T00:00:00Z');
		const emptied = await call('PATCH', '/v1/deals/5142', { title: '' });
		expect([emptied.status, emptied.body.error]).toEqual([400, { code: 'VALIDATION_ERROR', message: 'fields.title: Required' }]);
	});
});

describe('the body of a create or update (bodyShape)', () => {
	const config = (changes: Record<string, unknown>) => call('POST', '/__sandbox/config', changes);

	test('documented (the default): the fields are the top-level keys; a { fields } wrapper is an unknown field, dropped', async () => {
		expect(sandbox.config.bodyShape).toBe('documented');
		const before = (await call('GET', '/v1/deals')).body.total;
		const deal = await call('POST', '/v1/deals', { fields: { title: 'Wrapped deal', amount: 150000 } });
		expect([deal.status, deal.body.error]).toEqual([400, { code: 'VALIDATION_ERROR', message: 'fields.title: Required' }]);
		expect((await call('GET', '/v1/deals')).body.total).toBe(before);

		// A lead requires nothing: the real API creates an empty one.
		const lead = await call('POST', '/v1/leads', { fields: { title: 'Wrapped lead', name: 'Anna', amount: 10, comments: 'lost' } });
		expect(lead.status).toBe(201);
		for (const name of ['title', 'name', 'amount', 'comments', 'fields']) expect(lead.body.data).not.toHaveProperty(name);
		expect(lead.body.data).toMatchObject({ statusId: 'NEW', assignedById: KEY_USER });

		const top = await call('POST', '/v1/deals', { title: 'New deal', stageId: 'NEW', amount: 150000 });
		expect([top.status, top.body.data.title, top.body.data.amount]).toEqual([201, 'New deal', 150000]);
	});

	test('documented: a PATCH with a wrapper changes nothing but the update time and author', async () => {
		const { updatedAt, updatedBy, ...before } = (await call('GET', '/v1/deals/5142')).body.data;
		const patched = await call('PATCH', '/v1/deals/5142', { fields: { title: 'Changed', amount: 1, stageId: 'WON' } });
		expect(patched.status).toBe(200);
		const { updatedAt: after, updatedBy: by, ...rest } = patched.body.data;
		expect(rest).toEqual(before);
		expect([after, by]).not.toEqual([updatedAt, updatedBy]);
		expect(by).toBe(KEY_USER);
		expect((await call('PATCH', '/v1/deals/5142', { stageId: 'WON', amount: 200000 })).body.data).toMatchObject({ stageId: 'WON', amount: 200000 });
	});

	test('wrapped: only body.fields is read; top-level keys are ignored', async () => {
		sandbox.configure({ bodyShape: 'wrapped' });
		const wrapped = await call('POST', '/v1/deals', { title: 'Top', comments: 'top', fields: { title: 'Wrapped', amount: '7' } });
		expect(wrapped.status).toBe(201);
		expect(wrapped.body.data).toMatchObject({ title: 'Wrapped', amount: 7 });
		expect(wrapped.body.data).not.toHaveProperty('comments');
		const top = await call('POST', '/v1/deals', { title: 'Top only' });
		expect([top.status, top.body.error]).toEqual([400, { code: 'VALIDATION_ERROR', message: 'fields.title: Required' }]);
		const patched = await call('PATCH', '/v1/deals/5141', { amount: 1, fields: { comments: 'from the wrapper' } });
		expect(patched.body.data).toMatchObject({ amount: 12000, comments: 'from the wrapper' });
	});

	test('either: the wrapper when there is one, else the top level', async () => {
		sandbox.configure({ bodyShape: 'either' });
		expect((await call('POST', '/v1/deals', { fields: { title: 'Wrapped' } })).body.data.title).toBe('Wrapped');
		expect((await call('POST', '/v1/deals', { title: 'Top' })).body.data.title).toBe('Top');
		expect((await call('POST', '/v1/deals', { title: 'Top', fields: { title: 'Wrapped' } })).body.data.title).toBe('Wrapped');
		expect((await call('PATCH', '/v1/deals/5141', { fields: { amount: 2 } })).body.data.amount).toBe(2);
		expect((await call('PATCH', '/v1/deals/5141', { amount: 3 })).body.data.amount).toBe(3);
	});

	test('set by createSandbox, configure and POST /__sandbox/config; reset restores the options; a wrong shape is refused', async () => {
		expect(createSandbox({ bodyShape: 'wrapped' }).reset().config.bodyShape).toBe('wrapped');
		expect(() => createSandbox({ bodyShape: 'fields' as never })).toThrow(/bodyShape must be one of documented, wrapped, either/);
		expect(() => sandbox.configure({ bodyShape: 'fields' as never })).toThrow(/bodyShape/);
		const set = await config({ bodyShape: 'either' });
		expect([set.status, set.body.config.bodyShape]).toEqual([200, 'either']);
		const refused = await config({ bodyShape: 'top' });
		expect([refused.status, refused.body.error]).toEqual([400, expect.stringContaining('bodyShape')]);
		expect(sandbox.config.bodyShape).toBe('either');
		await call('POST', '/__sandbox/reset');
		expect(sandbox.config.bodyShape).toBe('documented');
	});
});

describe('fields Bitrix24 drops or rewrites without a word (dropOnWrite, rewriteOnWrite)', () => {
	test('dropOnWrite: /fields still lists the field as writable; a create or update accepts it and does not store it', async () => {
		expect([sandbox.config.dropOnWrite, sandbox.config.rewriteOnWrite]).toEqual([[], {}]);
		sandbox.configure({ dropOnWrite: ['comments', 'UF_CRM_ORDER_NUMBER', 'stageId'] });
		expect((await fieldsOf('deal')).UF_CRM_ORDER_NUMBER.isReadOnly).toBe(false);
		const created = await call('POST', '/v1/deals', { title: 'Dropped', amount: 5, comments: 'gone', UF_CRM_ORDER_NUMBER: 'ORD-9', stageId: 'WON' });
		expect(created.status).toBe(201);
		expect(created.body.data).toMatchObject({ title: 'Dropped', amount: 5, stageId: 'NEW' });
		expect(created.body.data).not.toHaveProperty('comments');
		expect(created.body.data).not.toHaveProperty('UF_CRM_ORDER_NUMBER');
		const patched = await call('PATCH', '/v1/deals/5141', { UF_CRM_ORDER_NUMBER: 'ORD-9', amount: 3 });
		expect(patched.body.data).toMatchObject({ UF_CRM_ORDER_NUMBER: 'ORD-1001', amount: 3 });
		// Keyed by name: every entity with the field drops it.
		expect((await call('POST', '/v1/leads', { title: 'L', comments: 'gone' })).body.data).not.toHaveProperty('comments');
	});

	test('rewriteOnWrite: a write that sets the field stores the configured value; one that does not leaves it', async () => {
		sandbox.configure({ rewriteOnWrite: { UF_CRM_ORDER_NUMBER: 'ORD-ROBOT', stageId: 'EXECUTING' } });
		const created = await call('POST', '/v1/deals', { title: 'Rewritten', UF_CRM_ORDER_NUMBER: 'ORD-1' });
		expect(created.body.data).toMatchObject({ UF_CRM_ORDER_NUMBER: 'ORD-ROBOT', stageId: 'NEW' });
		const moved = await call('PATCH', '/v1/deals/5142', { stageId: 'WON' });
		expect(moved.body.data.stageId).toBe('EXECUTING');
		expect((await call('GET', '/v1/deals/5142')).body.data.stageId).toBe('EXECUTING');
		expect((await call('PATCH', '/v1/deals/5141', { amount: 1 })).body.data.UF_CRM_ORDER_NUMBER).toBe('ORD-1001');
	});

	test('both through POST /__sandbox/config; reset restores the defaults', async () => {
		const set = await call('POST', '/__sandbox/config', { dropOnWrite: ['amount'], rewriteOnWrite: { title: 'By robot' } });
		expect(set.body.config).toMatchObject({ dropOnWrite: ['amount'], rewriteOnWrite: { title: 'By robot' } });
		expect((await call('POST', '/v1/deals', { title: 'Mine', amount: 9 })).body.data).toMatchObject({ title: 'By robot' });
		expect((await call('POST', '/__sandbox/config', { dropOnWrite: 'amount' })).status).toBe(400);
		sandbox.reset();
		expect([sandbox.config.dropOnWrite, sandbox.config.rewriteOnWrite]).toEqual([[], {}]);
		// reset() restores createSandbox's options even after a test changed the config's list in place.
		const own = createSandbox({ dropOnWrite: ['amount'] });
		own.config.dropOnWrite.push('title');
		expect(own.reset().config.dropOnWrite).toEqual(['amount']);
		expect((await call('POST', '/v1/deals', { title: 'Mine', amount: 9 })).body.data).toMatchObject({ title: 'Mine', amount: 9 });
	});
});

describe('the deal\'s user fields of every type, stored as Bitrix24 stores them', () => {
	test('/fields describes them', async () => {
		const deal = await fieldsOf('deal');
		const described = Object.fromEntries(Object.entries(deal).filter(([name]) => /^UF_CRM_/.test(name)).map(([name, { type, isMultiple }]) => [name, `${type}${isMultiple ? '[]' : ''}`]));
		expect(described).toEqual({
			UF_CRM_ORDER_NUMBER: 'string',
			UF_CRM_DELIVERY_TYPE: 'enumeration',
			UF_CRM_PRIORITY: 'integer',
			UF_CRM_DISCOUNT: 'double',
			UF_CRM_BUDGET: 'money',
			UF_CRM_VIP: 'boolean',
			UF_CRM_DUE_DATE: 'date',
			UF_CRM_CALL_AT: 'datetime',
			UF_CRM_CHANNELS: 'enumeration[]',
			UF_CRM_TAGS: 'string[]',
			UF_CRM_SITE: 'url',
			UF_CRM_MANAGER: 'employee',
			UF_CRM_ADDRESS: 'address',
			UF_CRM_RELATED: 'crm',
		});
		expect(deal.UF_CRM_CHANNELS.items).toEqual([{ ID: '51', VALUE: 'Email' }, { ID: '52', VALUE: 'Phone' }, { ID: '53', VALUE: 'Messenger' }]);
	});

	test.each([
		['UF_CRM_PRIORITY', '5', 5],
		['UF_CRM_DISCOUNT', '12.5', 12.5],
		['UF_CRM_BUDGET', 150, '150|USD'],
		['UF_CRM_BUDGET', '150', '150|USD'],
		['UF_CRM_BUDGET', '150.50|EUR', '150.50|EUR'],
		['UF_CRM_BUDGET', '1e3|eur', '1000|EUR'],
		['UF_CRM_VIP', true, 1],
		['UF_CRM_VIP', 'N', 0],
		['UF_CRM_VIP', '1', 1],
		['UF_CRM_VIP', 'false', 0],
		['UF_CRM_DUE_DATE', '2026-12-31', '2026-12-31T00:00:00+03:00'],
		['UF_CRM_DUE_DATE', '2026-12-31T22:30:00Z', '2027-01-01T00:00:00+03:00'],
		['UF_CRM_DUE_DATE', '2026-12-31T10:00:00+03:00', '2026-12-31T00:00:00+03:00'],
		['UF_CRM_CALL_AT', '2026-12-31T14:00:00Z', '2026-12-31T17:00:00+03:00'],
		['UF_CRM_CALL_AT', '2026-12-31T14:00:00.123Z', '2026-12-31T17:00:00+03:00'],
		['UF_CRM_CALL_AT', '2026-12-31T14:00:00', '2026-12-31T14:00:00+03:00'],
		['UF_CRM_CALL_AT', '2026-12-31T20:00:00-05:00', '2027-01-01T04:00:00+03:00'],
		['UF_CRM_CHANNELS', ['51', 53], [51, 53]],
		['UF_CRM_CHANNELS', '52', [52]],
		['UF_CRM_TAGS', ['vip', 'wholesale'], ['vip', 'wholesale']],
		['UF_CRM_TAGS', 'vip', ['vip']],
		['UF_CRM_SITE', 'https://acme.example/offer', 'https://acme.example/offer'],
		['UF_CRM_MANAGER', '7', 7],
		['UF_CRM_ADDRESS', 'Main st 1', 'Main st 1|;|'],
		['UF_CRM_RELATED', 'C_201', 'C_201'],
		['UF_CRM_RELATED', 'CO_301', 'CO_301'],
	])('%s given %j is stored and answered as %j, on create and on update', async (name, sent, stored) => {
		const created = await call('POST', '/v1/deals', { title: 'Custom', [name]: sent });
		expect([created.status, created.body.data[name]]).toEqual([201, stored]);
		expect((await call('GET', `/v1/deals/${created.body.data.id}`)).body.data[name]).toEqual(stored);
		const patched = await call('PATCH', '/v1/deals/5141', { [name]: sent });
		expect([patched.status, patched.body.data[name]]).toEqual([200, stored]);
		expect((await call('GET', '/v1/deals/5141')).body.data[name]).toEqual(stored);
	});

	test('a value that does not fit is 400 VALIDATION_ERROR naming the field; nothing is created', async () => {
		const answer = await call('POST', '/v1/deals', {
			title: 'Bad',
			UF_CRM_PRIORITY: '1.5',
			UF_CRM_BUDGET: 'lots',
			UF_CRM_VIP: 'maybe',
			UF_CRM_DUE_DATE: 'someday',
			UF_CRM_CALL_AT: '2026-02-30T10:00:00Z',
			UF_CRM_CHANNELS: ['51', '54'],
			UF_CRM_MANAGER: 'olga',
			UF_CRM_ADDRESS: { street: 'Main' },
		});
		expect([answer.status, answer.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
		for (const name of ['PRIORITY', 'BUDGET', 'VIP', 'DUE_DATE', 'CALL_AT', 'CHANNELS', 'MANAGER', 'ADDRESS']) expect(answer.body.error.message).toContain(`fields.UF_CRM_${name}: Expected`);
		expect((await call('POST', '/v1/deals', { title: 'Bad', UF_CRM_BUDGET: '150|EURO' })).body.error.message).toBe('fields.UF_CRM_BUDGET: Expected a number or "amount|currency", received "150|EURO"');
		expect((await call('GET', '/v1/deals')).body.total).toBe(3);
	});

	test('standard fields and the older custom fields keep the sandbox\'s storage; createRecord stays unchecked', async () => {
		const deal = (await call('POST', '/v1/deals', { title: 'Plain', opened: 'Y', closedAt: '2026-12-31', UF_CRM_DELIVERY_TYPE: 42 })).body.data;
		expect(deal).toMatchObject({ opened: true, closedAt: '2026-12-31', UF_CRM_DELIVERY_TYPE: '42' });
		const set = sandbox.createRecord('deal', { title: 'Set up', UF_CRM_VIP: true, UF_CRM_DUE_DATE: '2026-12-31' });
		expect((await call('GET', `/v1/deals/${set.id}`)).body.data).toMatchObject({ UF_CRM_VIP: true, UF_CRM_DUE_DATE: '2026-12-31' });
	});

	test('filters find them by the value as sent or as stored; money sorts by its amount', async () => {
		const a = (await call('POST', '/v1/deals', { title: 'A', UF_CRM_VIP: true, UF_CRM_CHANNELS: [51, 53], UF_CRM_BUDGET: 1000, UF_CRM_DUE_DATE: '2026-12-31', UF_CRM_CALL_AT: '2026-12-31T14:00:00Z', UF_CRM_TAGS: ['vip'] })).body.data.id;
		const b = (await call('POST', '/v1/deals', { title: 'B', UF_CRM_VIP: 'N', UF_CRM_CHANNELS: [52], UF_CRM_BUDGET: '150', UF_CRM_DUE_DATE: '2027-01-15', UF_CRM_CALL_AT: '2027-01-15T09:00:00+03:00', UF_CRM_TAGS: ['new'] })).body.data.id;
		expect(ids(await search('deal', { UF_CRM_VIP: true }))).toEqual([a]);
		expect(ids(await search('deal', { UF_CRM_VIP: 0 }))).toEqual([b]);
		expect(ids(await search('deal', { UF_CRM_CHANNELS: '53' }))).toEqual([a]);
		expect(ids(await search('deal', { UF_CRM_CHANNELS: { $in: [52, 99] } }))).toEqual([b]);
		expect(ids(await search('deal', { UF_CRM_TAGS: 'new' }))).toEqual([b]);
		expect(ids(await search('deal', { UF_CRM_BUDGET: 150 }))).toEqual([b]);
		expect(ids(await search('deal', { UF_CRM_BUDGET: '1000|USD' }))).toEqual([a]);
		expect(ids(await search('deal', { '>UF_CRM_BUDGET': 500 }))).toEqual([a]);
		expect(ids(await search('deal', { UF_CRM_DUE_DATE: '2026-12-31' }))).toEqual([a]);
		expect(ids(await search('deal', { '>=UF_CRM_CALL_AT': '2027-01-01T00:00:00Z' }))).toEqual([b]);
		expect(ids(await call('GET', '/v1/deals?filter[UF_CRM_VIP]=Y'))).toEqual([a]);
		expect(ids(await search('deal', { id: [a, b] }, { sort: { UF_CRM_BUDGET: 'desc' } }))).toEqual([a, b]);
		expect(ids(await search('deal', { id: [a, b] }, { sort: { UF_CRM_BUDGET: 'asc' } }))).toEqual([b, a]);
	});
});

describe('phone, email and website lists', () => {
	test('seeded leads and contacts have them as [{ id, value, typeId }]', async () => {
		for (const path of ['/v1/leads/101', '/v1/contacts/201', '/v1/contacts/202']) {
			const record = (await call('GET', path)).body.data;
			for (const name of ['phone', 'email']) {
				expect(record[name].length).toBeGreaterThan(0);
				for (const entry of record[name]) expect(entry).toEqual({ id: expect.any(Number), value: expect.any(String), typeId: expect.any(String) });
			}
		}
	});

	test('a string, a list of strings or a list of { value, typeId | valueType } are stored in one shape, WORK by default', async () => {
		const answer = await call('POST', '/v1/contacts', { name: 'Nina', phone: ['+15550109001', '+15550109002'], email: [{ value: 'nina@work.example', typeId: 'WORK' }, { value: 'nina@home.example', valueType: 'HOME' }] });
		expect(answer.status).toBe(201);
		const { phone, email, id } = answer.body.data;
		expect(phone).toEqual([
			{ id: expect.any(Number), value: '+15550109001', typeId: 'WORK' },
			{ id: expect.any(Number), value: '+15550109002', typeId: 'WORK' },
		]);
		expect(email).toEqual([
			{ id: expect.any(Number), value: 'nina@work.example', typeId: 'WORK' },
			{ id: expect.any(Number), value: 'nina@home.example', typeId: 'HOME' },
		]);
		const company = await call('POST', '/v1/companies', { title: 'Nina Ltd', web: 'https://nina.example' });
		expect(company.body.data.web).toEqual([{ id: expect.any(Number), value: 'https://nina.example', typeId: 'WORK' }]);

		// As in Bitrix24: an entry without an id is added; with its id it is changed, or removed when its value is empty.
		const [work, home] = email as Array<{ id: number }>;
		const patched = await call('PATCH', `/v1/contacts/${id}`, { email: [{ id: work.id, value: 'nina@new.example' }, { id: home.id, value: '' }, 'nina@third.example'] });
		expect(patched.status).toBe(200);
		expect(patched.body.data.email).toEqual([
			{ id: work.id, value: 'nina@new.example', typeId: 'WORK' },
			{ id: expect.any(Number), value: 'nina@third.example', typeId: 'WORK' },
		]);
		expect(patched.body.data.phone).toEqual(phone);
	});

	test('an entry that is not text is 400 VALIDATION_ERROR', async () => {
		const answer = await call('POST', '/v1/leads', { email: [{ value: { address: 'x' } }] });
		expect([answer.status, answer.body.error.code, answer.body.error.message]).toEqual([400, 'VALIDATION_ERROR', 'fields.email: Expected string, received object']);
	});

	test('a filter on email matches any entry, case-insensitively: equals, $contains, $in, !', async () => {
		expect(ids(await search('lead', { email: 'OLEG.VOLKOV@mail.example' }))).toEqual([102]);
		expect(ids(await search('lead', { email: { $contains: 'smirnova' } }))).toEqual([101]);
		expect(ids(await search('lead', { '%email': 'MAIL.EXAMPLE' }))).toEqual([101, 102]);
		expect(ids(await search('contact', { email: 'maria@home.example' }))).toEqual([202]);
		expect(ids(await search('contact', { email: { $in: ['nobody@x.example', 'Ivan.Petrov@acme.example'] } }))).toEqual([201]);
		expect(ids(await search('contact', { '!email': 'maria@home.example' }))).toEqual([201]);
		expect(ids(await search('contact', { email: { $ne: 'MARIA.IVANOVA@globex.example' } }))).toEqual([201]);
		expect(ids(await search('contact', { phone: '+15550100299' }))).toEqual([201]);
		expect(ids(await call('GET', `/v1/leads?filter[email]=${encodeURIComponent('anna.smirnova@MAIL.example')}`))).toEqual([101]);
	});
});

describe('filters and sorts on fields the entity does not have', () => {
	test('400 INVALID_FILTER_FIELD "Unknown filter field: X", in every filter syntax', async () => {
		for (const [type, filter, field] of [
			['deal', { bogus: 1 }, 'bogus'],
			['lead', { '>=createdAt': '2026-01-01T00:00:00Z' }, 'createdAt'],
			['contact', { createdAt: { $gte: '2026-01-01T00:00:00Z' } }, 'createdAt'],
			['company', { '!stageId': 'NEW' }, 'stageId'],
			['deal', { statusId: { '!': 'NEW' } }, 'statusId'],
		] as Array<[EntityType, Record<string, unknown>, string]>) {
			const answer = await search(type, filter);
			expect({ type, filter, status: answer.status, error: answer.body.error }).toEqual({
				type,
				filter,
				status: 400,
				error: { code: 'INVALID_FILTER_FIELD', message: `Unknown filter field: ${field}` },
			});
		}
		const query = await call('GET', '/v1/quotes?filter[statusId]=DRAFT');
		expect([query.status, query.body.error.code]).toEqual([400, 'INVALID_FILTER_FIELD']);
	});

	test('the entity\'s own fields filter as before', async () => {
		expect(ids(await search('lead', { '>=createdTime': '2026-01-01T00:00:00Z', statusId: 'NEW' }))).toEqual([101]);
		expect(ids(await search('deal', { categoryId: 0, assignedById: '1', '>id': 5141 }))).toEqual([5142, 5143]);
		expect(ids(await search('deal', { UF_CRM_ORDER_NUMBER: 'ORD-1002' }))).toEqual([5142]);
	});

	test('an unknown operator is 400 INVALID_FILTER_OPERATOR; an unknown sort field 400 UNKNOWN_SORT_FIELD', async () => {
		expect((await search('deal', { amount: { $between: [1, 2] } })).body.error.code).toBe('INVALID_FILTER_OPERATOR');
		const sorted = await search('deal', {}, { sort: { closedDate: 'desc' } });
		expect([sorted.status, sorted.body.error]).toEqual([400, { code: 'UNKNOWN_SORT_FIELD', message: 'Unknown sort field: closedDate' }]);
		expect(ids(await search('deal', {}, { sort: { amount: 'desc' } }))).toEqual([5141, 5142, 5143]);
	});
});

describe('DELETE /v1/{entity}/:id', () => {
	test('204 with an empty body; the record is gone; a second delete is 404 ENTITY_NOT_FOUND', async () => {
		const answer = await call('DELETE', '/v1/deals/5143');
		expect([answer.status, answer.text]).toEqual([204, '']);
		expect((await call('GET', '/v1/deals/5143')).body.error.code).toBe('ENTITY_NOT_FOUND');
		const again = await call('DELETE', '/v1/deals/5143');
		expect([again.status, again.body.error]).toEqual([404, { code: 'ENTITY_NOT_FOUND', message: 'Item not found' }]);
	});

	test('a read-only key may not create, change or delete: 403 WRITE_BLOCKED_READONLY_KEY, nothing changes', async () => {
		const key = sandbox.keys.readonly;
		for (const [method, path, body, action] of [
			['DELETE', '/v1/contacts/201', undefined, 'crm.contact.delete'],
			['DELETE', '/v1/contacts/999', undefined, 'crm.contact.delete'],
			['PATCH', '/v1/contacts/201', { post: 'CEO' }, 'crm.contact.update'],
			['POST', '/v1/contacts', { name: 'New' }, 'crm.contact.add'],
		] as Array<[string, string, unknown, string]>) {
			const answer = await call(method, path, body, key);
			expect({ method, path, status: answer.status, error: answer.body.error }).toEqual({
				method,
				path,
				status: 403,
				error: { code: 'WRITE_BLOCKED_READONLY_KEY', message: `Write blocked: ${action}` },
			});
		}
		expect((await call('GET', '/v1/contacts/201', undefined, key)).body.data.post).toBe('Buyer');
		expect((await call('GET', '/v1/contacts', undefined, key)).body.total).toBe(2);
	});
});

describe('stages and statuses an entity does not have', () => {
	test('create: 422 BITRIX_ERROR with a plain message; a deal\'s stages follow its pipeline', async () => {
		for (const [type, fields] of [
			['deal', { title: 'T', stageId: 'C1:WON' }],
			['deal', { title: 'T', categoryId: 1, stageId: 'WON' }],
			['deal', { title: 'T', categoryId: 7 }],
			['lead', { statusId: 'WON' }],
			['quote', { title: 'T', stageId: 'NEW' }],
			['invoice', { title: 'T', stageId: 'DT31_3:P' }],
		] as Array<[EntityType, Record<string, unknown>]>) {
			const answer = await call('POST', `/v1/${PATHS[type]}`, fields);
			expect({ type, fields, status: answer.status, code: answer.body.error?.code }).toEqual({ type, fields, status: 422, code: 'BITRIX_ERROR' });
			expect(answer.body.error.message).toMatch(/^(Stage|Status|Pipeline) /);
		}
		const wholesale = await call('POST', '/v1/deals', { title: 'Bulk', categoryId: 1, stageId: 'C1:NEGOTIATION' });
		expect([wholesale.status, wholesale.body.data.stageId]).toEqual([201, 'C1:NEGOTIATION']);
		const first = await call('POST', '/v1/deals', { title: 'Bulk', categoryId: '1' });
		expect(first.body.data).toMatchObject({ categoryId: 1, stageId: 'C1:NEW' });
		expect((await call('POST', '/v1/invoices', { title: 'Paid', stageId: 'DT31_2:P' })).body.data).toMatchObject({ categoryId: 2, stageId: 'DT31_2:P' });
		expect((await call('POST', '/v1/quotes', { title: 'Q' })).body.data.stageId).toBe('DRAFT');
	});

	test('update: a stage outside the record\'s list is refused and the record stays as it was', async () => {
		const refused = await call('PATCH', '/v1/deals/5141', { stageId: 'C1:WON', title: 'Changed' });
		expect([refused.status, refused.body.error.code]).toEqual([422, 'BITRIX_ERROR']);
		expect(refused.body.error.message).toContain('"C1:WON"');
		expect((await call('GET', '/v1/deals/5141')).body.data).toMatchObject({ title: 'Website redesign', stageId: 'NEW' });
		expect((await call('PATCH', '/v1/leads/101', { statusId: 'DEAL_WON' })).body.error.code).toBe('BITRIX_ERROR');
		expect((await call('PATCH', '/v1/deals/5141', { stageId: 'WON' })).body.data.stageId).toBe('WON');
		// Moving to another pipeline needs a stage of that pipeline.
		expect((await call('PATCH', '/v1/deals/5142', { categoryId: 1 })).body.error.code).toBe('BITRIX_ERROR');
		expect((await call('PATCH', '/v1/deals/5142', { categoryId: 1, stageId: 'C1:NEW' })).status).toBe(200);
	});
});

test('the seeds the tests rely on: deals with order numbers in pipeline 0, and a fourth trigger', async () => {
	const deals = (await call('GET', '/v1/deals')).body.data as Array<Record<string, unknown>>;
	expect(deals.map(({ id, title, stageId, categoryId, assignedById, UF_CRM_ORDER_NUMBER }) => ({ id, title, stageId, categoryId, assignedById, UF_CRM_ORDER_NUMBER }))).toEqual([
		{ id: 5141, title: 'Website redesign', stageId: 'NEW', categoryId: 0, assignedById: 1, UF_CRM_ORDER_NUMBER: 'ORD-1001' },
		{ id: 5142, title: 'Annual support contract', stageId: 'PREPARATION', categoryId: 0, assignedById: 1, UF_CRM_ORDER_NUMBER: 'ORD-1002' },
		{ id: 5143, title: 'Office chairs for Globex', stageId: 'EXECUTING', categoryId: 0, assignedById: 1, UF_CRM_ORDER_NUMBER: undefined },
	]);
	expect(DEFAULT_TRIGGERS.map((trigger) => trigger.CODE)).toEqual(['payment_received', 'delivery_confirmed', 'contract_signed', 'form_submitted']);
});

test('smart-process items have no batch call (no page documents one): 404 NOT_FOUND, nothing created', async () => {
	const before = sandbox.recordsOf('dynamic_1038').length;
	const answer = await call('POST', '/v1/items/1038/batch', { action: 'create', items: [{ title: 'Batched' }] });
	expect([answer.status, answer.body.error.code]).toEqual([404, 'NOT_FOUND']);
	expect(sandbox.recordsOf('dynamic_1038')).toHaveLength(before);
});
