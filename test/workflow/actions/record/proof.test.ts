/**
 * Every write proves that it landed (actions/record/proof.ts), run by n8n-core's engine against the sandbox over real
 * HTTP: every field type round-trips without a false alarm; a field Bitrix24 drops (an unknown custom field, a
 * read-only one) or a value it rewrites fails the item with WRITE_NOT_APPLIED naming the field; the older
 * `{ fields }` body reading makes every write fail loudly.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { personal, RECORD_IDS, recordParameters, startProxy } from '../../../helpers/fixtures';
import { recordSuite } from '../../../helpers/recordSuite';

const suite = recordSuite('create', 'update', 'upsert');
const { sandbox, schemasOf: schemas, write: run, stored, writes } = suite;

/** A deal's custom fields of every user-field type, and the form Bitrix24 keeps each in (test/sandbox/families/crm/tables.js, common/values.js). */
const EVERY_TYPE: IDataObject = {
	UF_CRM_PRIORITY: 5,
	UF_CRM_DISCOUNT: 12.5,
	UF_CRM_BUDGET: '150',
	UF_CRM_VIP: true,
	UF_CRM_DUE_DATE: '2026-12-31',
	UF_CRM_CALL_AT: '2026-12-31T14:00:00Z',
	UF_CRM_CHANNELS: '51, 53',
	UF_CRM_TAGS: 'vip, wholesale',
	UF_CRM_SITE: 'https://acme.example/order',
	UF_CRM_MANAGER: 7,
	UF_CRM_ADDRESS: 'Main st 1',
	UF_CRM_RELATED: 'C_201',
	UF_CRM_DELIVERY_TYPE: '42',
	UF_CRM_ORDER_NUMBER: 'ORD-7001',
	amount: 1250.5,
	probability: 40,
	opened: true,
	closedAt: '2026-12-31',
	observers: '1, 7',
	companyId: 301,
	contactId: 201,
	sourceId: 'WEB',
	currency: 'EUR',
	comments: 'Line one\nLine two',
};
const KEPT_AS: IDataObject = {
	UF_CRM_BUDGET: '150|USD',
	UF_CRM_VIP: 1,
	UF_CRM_DUE_DATE: '2026-12-31T00:00:00+03:00',
	UF_CRM_CALL_AT: '2026-12-31T17:00:00+03:00',
	UF_CRM_CHANNELS: [51, 53],
	UF_CRM_TAGS: ['vip', 'wholesale'],
	UF_CRM_ADDRESS: 'Main st 1|;|',
};

describe('every field type round-trips without a false alarm', () => {
	test('Create of a deal with every field type, pipeline, stage and responsible person: the record as stored', async () => {
		const { items, error } = await run({ resource: 'deal', operation: 'create', values: { title: 'Every type', ...EVERY_TYPE }, pipeline: 1, stage: 'C1:NEGOTIATION', responsible: 7 });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ ...KEPT_AS, categoryId: 1, stageId: 'C1:NEGOTIATION', assignedById: 7, UF_CRM_MANAGER: 7, amount: 1250.5 });
		expect(items![0].json).toEqual(await stored('deal', Number(items![0].json.id)));
	});

	test('Update of a deal with every field type, money with its currency, a date-time without a zone', async () => {
		// n8n reads a date-time without a zone in the workflow's zone (UTC here) and hands the node that instant.
		const values = { ...EVERY_TYPE, UF_CRM_BUDGET: '99.90|EUR', UF_CRM_CALL_AT: '2027-01-15T09:30:00', UF_CRM_VIP: false };
		const { items, error } = await run({ resource: 'deal', operation: 'update', entity: 5141, values, stage: 'WON' });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ UF_CRM_BUDGET: '99.9|EUR', UF_CRM_CALL_AT: '2027-01-15T12:30:00+03:00', UF_CRM_VIP: 0, stageId: 'WON' });
	});

	test.each([
		['lead', { title: 'Typed lead', name: 'Anna', opened: true, amount: 250, phone: '+1 555 0100, +1 555 0101', email: 'New.Lead@Mail.Example' }],
		['contact', { name: 'Ivan', birthdate: '1990-05-17', export: false, leadId: 101, email: 'ivan@new.example' }],
		['company', { title: 'Initech', revenue: 1000000, web: 'https://Initech.example/', industry: 'IT', companyType: 'PARTNER', opened: false }],
		['quote', { title: 'Quote', dealId: 5141, beginDate: '2026-12-01', closeDate: '2026-12-31', amount: 10 }],
		['invoice', { title: 'Invoice', opportunity: 99.5, mycompanyId: 301, opened: true }],
	])('Create of a %s: every standard field type', async (resource, values) => {
		const { error } = await run({ resource, operation: 'create', values });
		expect(error).toBeUndefined();
	});
});

describe('a write that did not land fails its item with WRITE_NOT_APPLIED, naming each field', () => {
	test('a custom field Bitrix24 does not store: the create fails with the new record\'s ID and link', async () => {
		sandbox.configure({ dropOnWrite: ['UF_CRM_ORDER_NUMBER'] });
		const { items, error } = await run({ resource: 'deal', operation: 'create', values: { title: 'Paid order', UF_CRM_ORDER_NUMBER: 'ORD-9' } });
		expect(items).toBeUndefined();
		const created = writes()[0];
		expect(created).toMatchObject({ method: 'POST', path: '/v1/deals', status: 201 });
		const id = 10000;
		expect(error!.message).toBe(`Deal ${id} was created, but Order number (UF_CRM_ORDER_NUMBER) does not hold the value sent [WRITE_NOT_APPLIED]`);
		expect(error!.context!.vibeCode).toBe('WRITE_NOT_APPLIED');
		expect(error!.httpCode).toBe('201');
		expect(error!.description).toContain('Order number (UF_CRM_ORDER_NUMBER): sent "ORD-9", stored nothing (VibeCode answered without the field).');
		expect(error!.description).toContain(`The new deal is ${id} (https://${sandbox.portal}/crm/deal/details/${id}/): check or delete it in Bitrix24 before running this item again`);
		// Created once, never again.
		expect(writes()).toHaveLength(1);
	});

	test('a field the portal lists as writable but Bitrix24 keeps read-only: the update names it, the rest was saved', async () => {
		sandbox.configure({ dropOnWrite: ['probability'] });
		const { error } = await run({ resource: 'deal', operation: 'update', entity: 5141, values: { probability: 90, comments: 'Call back' } });
		expect(error!.message).toBe('Deal 5141 was saved, but Probability, % (probability) does not hold the value sent [WRITE_NOT_APPLIED]');
		expect(error!.httpCode).toBe('200');
		expect(error!.description).toContain('The other fields of deal 5141 were saved.');
		expect((await stored('deal', 5141)).comments).toBe('Call back');
	});

	test('values Bitrix24 (or a robot) rewrote: each named with what was sent and what is stored, by name', async () => {
		sandbox.configure({ rewriteOnWrite: { title: 'Rewritten by a robot', assignedById: 1, stageId: 'NEW', UF_CRM_DELIVERY_TYPE: '43' } });
		const { error } = await run({ resource: 'deal', operation: 'update', entity: 5142, values: { title: 'Mine', UF_CRM_DELIVERY_TYPE: '41' }, stage: 'LOSE', responsible: 7 });
		expect(error!.message).toBe('Deal 5142 was saved, but 4 fields do not hold the value sent [WRITE_NOT_APPLIED]');
		expect(error!.description!.split('\n').slice(0, 4)).toEqual([
			'Deal name (title): sent "Mine", stored "Rewritten by a robot".',
			'Delivery type (UF_CRM_DELIVERY_TYPE): sent "Courier (41)", stored "Post (43)".',
			'Stage (stageId): sent "Deal lost (LOSE)", stored "New (NEW)".',
			'Responsible person (assignedById): sent "Olga Sales (7)", stored "Sandbox Owner (1)".',
		]);
	});

	test('Check Written Values off: the same run succeeds with the record as stored', async () => {
		sandbox.configure({ rewriteOnWrite: { title: 'Rewritten by a robot' } });
		const { items, error } = await run({ resource: 'deal', operation: 'update', entity: 5141, values: { title: 'Mine' }, options: { checkWrittenValues: false } });
		expect(error).toBeUndefined();
		expect(items![0].json.title).toBe('Rewritten by a robot');
	});

	test('continue on fail: the item that did not land is an error item; nothing downstream gets it as a success', async () => {
		sandbox.configure({ dropOnWrite: ['UF_CRM_CAMPAIGN'] });
		const { items, error } = await runNode({
			parameters: recordParameters({ resource: 'lead', operation: 'update', entity: '={{ $json.id }}', values: { UF_CRM_CAMPAIGN: '={{ $json.campaign }}', comments: 'x' }, schema: schemas.update.lead }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ id: 101, campaign: 'Summer' }, { id: 102, campaign: '' }],
		});
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.error ?? item.json.id, item.pairedItem])).toEqual([
			['Lead 101 was saved, but Ad campaign (UF_CRM_CAMPAIGN) does not hold the value sent [WRITE_NOT_APPLIED]', { item: 0 }],
			[102, { item: 1 }],
		]);
	});

	test('an answer that carries none of the fields sent (only the ID) is no proof: the record is read and compared', async () => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (/^\/v1\/deals\/\d+$/.test(path) && answer.data && sandbox.requests.at(-1)?.method === 'PATCH' ? { ...answer, data: { id: (answer.data as IDataObject).id } } : answer));
		try {
			const { items, error } = await run({ resource: 'deal', operation: 'update', entity: 5141, values: { comments: 'Read back' } }, { ...personal(sandbox), baseUrl: proxy.url });
			expect(error).toBeUndefined();
			expect(items![0].json).toMatchObject({ id: 5141, comments: 'Read back', title: 'Website redesign' });
			expect(proxy.sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/deals/fields', 'PATCH /v1/deals/5141', 'GET /v1/deals/5141']);
		} finally {
			await proxy.stop();
		}
	});
});

describe('the older `{ fields }` body reading: no green run writes nothing', () => {
	const VALUES: Record<string, IDataObject> = {
		company: { title: 'Wrapped Inc' },
		contact: { name: 'Wrapped' },
		deal: { title: 'Wrapped deal', amount: 5 },
		invoice: { title: 'Wrapped invoice' },
		lead: { title: 'Wrapped lead', email: 'wrapped@lead.example' },
		quote: { title: 'Wrapped quote' },
	};

	test.each(Object.keys(VALUES))('%s: Create, Update and Create or Update each fail loudly, naming the fields', async (resource) => {
		sandbox.configure({ bodyShape: 'wrapped' });
		const values = VALUES[resource];
		const created = await run({ resource, operation: 'create', values });
		expect(created.error!.context!.vibeCode).toBe('WRITE_NOT_APPLIED');
		if (resource === 'lead') {
			// Nothing required: an empty lead was created, and the proof names what it lacks.
			expect(created.error!.description).toContain('Lead name (title): sent "Wrapped lead", stored nothing');
		} else {
			// VibeCode refused a required field the node did send: said as the body not being read, not as the user's mistake.
			const required = resource === 'contact' ? 'First name (name)' : `${resource === 'company' ? 'Company' : resource === 'deal' ? 'Deal' : resource === 'invoice' ? 'Invoice' : 'Quote'} name (title)`;
			expect(created.error!.message).toBe(`VibeCode did not read ${required}, which the node sent, and created no ${resource} [WRITE_NOT_APPLIED]`);
			expect(created.error!.httpCode).toBe('400');
			expect(created.error!.description).toMatch(/VibeCode said: fields\.(title|name): Required\./);
		}
		const updated = await run({ resource, operation: 'update', entity: RECORD_IDS[resource], values: { comments: 'Wrapped comment' } });
		expect(updated.error!.context!.vibeCode).toBe('WRITE_NOT_APPLIED');
		expect(updated.error!.description).toContain('Comment (comments): sent "Wrapped comment", stored nothing');
		const match = resource === 'lead' ? 'email' : resource === 'contact' ? 'name' : 'title';
		const existing = (await stored(resource, RECORD_IDS[resource]))[match];
		const matchValue = Array.isArray(existing) ? (existing[0] as IDataObject).value : existing;
		const upserted = await run({ resource, operation: 'upsert', values: { [match]: matchValue, comments: 'Wrapped upsert' }, match: [match] });
		expect(upserted.error!.context!.vibeCode).toBe('WRITE_NOT_APPLIED');
	});

	test('with the sandbox reading either shape, the same writes pass: the node\'s body is the documented one', async () => {
		sandbox.configure({ bodyShape: 'either' });
		expect((await run({ resource: 'lead', operation: 'create', values: VALUES.lead })).error).toBeUndefined();
		sandbox.configure({ bodyShape: 'documented' });
		expect((await run({ resource: 'deal', operation: 'create', values: VALUES.deal })).error).toBeUndefined();
	});
});
