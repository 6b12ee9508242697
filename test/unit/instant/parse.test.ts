/**
 * What Bitrix24 sends, read: the body as n8n hands it over (Node's querystring: flat bracketed keys, as n8n 1.x and
 * 2.x parse application/x-www-form-urlencoded) and as a nested parser would give it, for events and robot calls.
 */
import { parse as parseQueryString } from 'node:querystring';

import { deliveryJson, deliveryKey, eventChosen, eventOption, parseDelivery, unfold } from '../../../nodes/Bitrix24/instant/parse';
import { eventPairs, formBody, robotPairs } from '../../sandbox/bitrixEvents';

/** The body exactly as n8n's body parser gives it to the node (querystring.parse, maxKeys 1000). */
const asN8n = (pairs: Array<[string, string]>) => ({ ...parseQueryString(formBody(pairs), undefined, undefined, { maxKeys: 1000 }) });

/** A real outgoing-webhook body of Bitrix24 (ONCRMDEALUPDATE), as captured from a portal, form-encoded. */
const REAL_DEAL_UPDATE =
	'event=ONCRMDEALUPDATE&event_handler_id=55&data%5BFIELDS%5D%5BID%5D=5141&ts=1731500000&auth%5Bdomain%5D=example.bitrix24.com' +
	'&auth%5Bclient_endpoint%5D=https%3A%2F%2Fexample.bitrix24.com%2Frest%2F&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F' +
	'&auth%5Bmember_id%5D=a223c6b3710f85df22e9377d6c4f7553&auth%5Bapplication_token%5D=s3cr3t-token';

test('a deal update as n8n hands it over (flat keys): event, entity, ID as a number, portal, member, handler, ts', () => {
	const body = { ...parseQueryString(REAL_DEAL_UPDATE) };
	expect(body['data[FIELDS][ID]']).toBe('5141');
	const delivery = parseDelivery(body);
	expect(delivery).toMatchObject({
		kind: 'event',
		event: 'ONCRMDEALUPDATE',
		entityType: 'deal',
		action: 'update',
		id: 5141,
		ts: 1731500000,
		handlerId: '55',
		portal: 'example.bitrix24.com',
		memberId: 'a223c6b3710f85df22e9377d6c4f7553',
		token: 's3cr3t-token',
		fields: { ID: '5141' },
	});
	expect(eventOption(delivery)).toBe('deal.update');
});

test('the same body nested (data.FIELDS.ID, auth.application_token) reads the same', () => {
	const flat = parseDelivery({ ...parseQueryString(REAL_DEAL_UPDATE) });
	const nested = parseDelivery({
		event: 'ONCRMDEALUPDATE',
		event_handler_id: '55',
		data: { FIELDS: { ID: '5141' } },
		ts: '1731500000',
		auth: { domain: 'example.bitrix24.com', member_id: 'a223c6b3710f85df22e9377d6c4f7553', application_token: 's3cr3t-token' },
	});
	expect(nested).toEqual(flat);
	// Half nested, half flat (a parser that nests one level only).
	expect(parseDelivery({ event: 'ONCRMDEALUPDATE', event_handler_id: '55', ts: '1731500000', data: { 'FIELDS[ID]': '5141' }, 'auth[domain]': 'example.bitrix24.com', 'auth[member_id]': 'a223c6b3710f85df22e9377d6c4f7553', 'auth[application_token]': 's3cr3t-token' })).toEqual(flat);
});

test.each([
	['ONCRMDEALADD', 'deal.add'],
	['ONCRMDEALDELETE', 'deal.delete'],
	['ONCRMLEADADD', 'lead.add'],
	['ONCRMLEADUPDATE', 'lead.update'],
	['ONCRMCONTACTUPDATE', 'contact.update'],
	['ONCRMCOMPANYDELETE', 'company.delete'],
	['ONCRMQUOTEADD', 'quote.add'],
	['oncrmdealupdate', 'deal.update'],
])('%s is the event option %s', (event, option) => {
	expect(eventOption(parseDelivery(asN8n(eventPairs({ event, id: 7 }))))).toBe(option);
});

test('ONCRMDYNAMICITEM…: ENTITY_TYPE_ID 31 is an invoice, another type a smart process\'s item, chosen by its type ID', () => {
	const invoice = parseDelivery(asN8n(eventPairs({ event: 'ONCRMDYNAMICITEMUPDATE', id: 501, entityTypeId: 31 })));
	expect(invoice).toMatchObject({ entityType: 'invoice', action: 'update', id: 501, fields: { ID: '501', ENTITY_TYPE_ID: '31' } });
	expect(eventOption(invoice)).toBe('invoice.update');
	const item = parseDelivery(asN8n(eventPairs({ event: 'ONCRMDYNAMICITEMADD', id: 9, entityTypeId: 1038 })));
	expect(item).toMatchObject({ entityType: 'dynamic_1038', action: 'add', id: 9 });
	expect(eventOption(item)).toBe('smartProcessItem.add');
	expect(eventChosen(item, ['smartProcessItem.add'], [1038])).toBe(true);
	expect(eventChosen(item, ['smartProcessItem.add'], [1042])).toBe(false);
	expect(eventChosen(item, ['smartProcessItem.update'], [1038])).toBe(false);
	expect(eventChosen(invoice, ['invoice.update'], [])).toBe(true);
	// Without its type ID, an item event names no entity.
	const bare = parseDelivery(asN8n(eventPairs({ event: 'ONCRMDYNAMICITEMADD', id: 9 })));
	expect(bare.entityType).toBeUndefined();
	expect(eventOption(bare)).toBeUndefined();
	expect(eventOption(parseDelivery(asN8n(eventPairs({ event: 'ONTASKADD', id: 9 }))))).toBeUndefined();
});

describe.each(['indexed', 'brackets'] as const)('the Webhook robot, document_id %s', (shape) => {
	test('document_id ["crm", "CCrmDocumentDeal", "DEAL_123"]: a deal 123, with the parameters the user added', () => {
		const body = asN8n(robotPairs({ entity: 'deal', id: 123, shape, params: { stage: 'WON', note: 'paid in full' }, ts: 1731500001 }));
		const delivery = parseDelivery(body, { source: 'n8n' });
		expect(delivery).toMatchObject({
			kind: 'robot',
			event: 'ROBOT',
			entityType: 'deal',
			id: 123,
			document: ['crm', 'CCrmDocumentDeal', 'DEAL_123'],
			documentType: ['crm', 'CCrmDocumentDeal', 'DEAL'],
			params: { stage: 'WON', note: 'paid in full', source: 'n8n' },
			ts: 1731500001,
		});
		expect(eventOption(delivery)).toBe('robot');
	});

	test.each([
		['lead', 'LEAD_5', 'lead'],
		['contact', 'CONTACT_5', 'contact'],
		['company', 'COMPANY_5', 'company'],
		['quote', 'QUOTE_5', 'quote'],
		['invoice', 'SMART_INVOICE_5', 'invoice'],
	] as const)('%s: %s', (entity, documentId, type) => {
		const delivery = parseDelivery(asN8n(robotPairs({ entity, id: 5, shape })));
		expect(delivery.document?.[2]).toBe(documentId);
		expect(delivery).toMatchObject({ entityType: type, id: 5 });
	});
});

test('a dynamic document DYNAMIC_31_7 is invoice 7; an unknown document is a robot call without a record', () => {
	expect(parseDelivery({ document_id: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', 'DYNAMIC_31_7'] })).toMatchObject({ entityType: 'invoice', id: 7 });
	const unknown = parseDelivery({ 'document_id[0]': 'lists', 'document_id[1]': 'BizprocDocument', 'document_id[2]': '42' });
	expect(unknown).toMatchObject({ kind: 'robot', entityType: undefined, id: undefined });
});

test('IDs that are not positive whole numbers are no ID; a body that is neither kind is unknown', () => {
	for (const id of ['0', '-3', 'abc', '1.5', '']) expect(parseDelivery({ event: 'ONCRMDEALUPDATE', 'data[FIELDS][ID]': id }).id).toBeUndefined();
	expect(parseDelivery({ hello: 'world' }).kind).toBe('unknown');
	expect(parseDelivery(undefined).kind).toBe('unknown');
	expect(parseDelivery('text body').kind).toBe('unknown');
});

test('keys that reach a prototype are dropped', () => {
	const parsed = unfold({ '__proto__[polluted]': 'yes', 'a[constructor][prototype][polluted]': 'yes', 'data[FIELDS][ID]': '1' });
	expect(({} as { polluted?: string }).polluted).toBeUndefined();
	expect(parsed).toEqual({ a: {}, data: { FIELDS: { ID: '1' } } });
});

test('the output is plain JSON without the token; a robot shows its document and parameters instead of fields', () => {
	const event = deliveryJson(parseDelivery({ ...parseQueryString(REAL_DEAL_UPDATE) }));
	expect(event).toEqual({
		event: 'ONCRMDEALUPDATE',
		entityType: 'deal',
		action: 'update',
		id: 5141,
		ts: 1731500000,
		handlerId: '55',
		portal: 'example.bitrix24.com',
		memberId: 'a223c6b3710f85df22e9377d6c4f7553',
		fields: { ID: '5141' },
	});
	expect(JSON.stringify(event)).not.toContain('s3cr3t');
	const robot = deliveryJson(parseDelivery(asN8n(robotPairs({ id: 9, params: { x: '1' }, token: 's3cr3t-robot' }))));
	expect(robot).toMatchObject({ event: 'ROBOT', entityType: 'deal', id: 9, document: ['crm', 'CCrmDocumentDeal', 'DEAL_9'], params: { x: '1' } });
	expect(robot.fields).toBeUndefined();
	expect(JSON.stringify(robot)).not.toContain('s3cr3t');
});

describe('the duplicate key', () => {
	const key = (pairs: Array<[string, string]>) => deliveryKey(parseDelivery(asN8n(pairs)));

	test('the same event delivered twice has the same key; another ts, ID, event or handler does not', () => {
		const base = { event: 'ONCRMDEALUPDATE', id: 5, ts: 100, handlerId: '1' };
		expect(key(eventPairs(base))).toBe(key(eventPairs(base)));
		expect(new Set([eventPairs(base), eventPairs({ ...base, ts: 101 }), eventPairs({ ...base, id: 6 }), eventPairs({ ...base, event: 'ONCRMDEALADD' }), eventPairs({ ...base, handlerId: '2' })].map(key)).size).toBe(5);
	});

	test('a robot call repeats by its document and ts; a call without ts (nor event token) is never a duplicate', () => {
		expect(key(robotPairs({ id: 5, ts: 100 }))).toBe(key(robotPairs({ id: 5, ts: 100, shape: 'brackets' })));
		expect(key(robotPairs({ id: 5, ts: 100 }))).not.toBe(key(robotPairs({ id: 5, ts: 101 })));
		expect(deliveryKey(parseDelivery({ 'document_id[]': ['crm', 'CCrmDocumentDeal', 'DEAL_5'] }))).toBeUndefined();
		expect(deliveryKey(parseDelivery({ event: 'ONCRMDEALUPDATE', 'data[FIELDS][ID]': '5' }))).toBeUndefined();
	});
});
