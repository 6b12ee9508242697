/**
 * The proof that a write landed: what the node sent compared with what Bitrix24 keeps, for every field type the
 * portal's /fields can return, in the forms Bitrix24 answers with. No false alarm for a value stored in another
 * form; a mismatch for a value that is not the one sent, or that is missing.
 */
import type { IDataObject } from 'n8n-workflow';

import { portalField } from '../../../nodes/Bitrix24/helpers/fields';
import { entryKey, sameValue, unappliedFields } from '../../../nodes/Bitrix24/helpers/writtenValues';

const field = portalField;

describe('sameValue: the same value in the form Bitrix24 stores it', () => {
	test.each([
		['string', 'Website redesign', 'Website redesign'],
		['string', 'Line one\r\nLine two ', 'Line one\nLine two'],
		['integer', 5, '5'],
		['integer', '5', 5],
		['double', 1250.5, '1250.50'],
		['double', '12.5', 12.5],
		['money', 150, '150|USD'],
		['money', '150.50|EUR', '150.5|EUR'],
		['money', 99.9, 99.9],
		['user', 7, '7'],
		['employee', '7', 7],
		['crm_company', 301, '301'],
		['crm_contact', 201, 201],
		['crm_deal', 5141, '5141'],
		['crm_lead', 101, '101'],
		['crm_quote', 401, '401'],
		['crm_category', 1, '1'],
		['boolean', true, 'Y'],
		['boolean', true, 1],
		['boolean', false, 0],
		['boolean', false, 'N'],
		['boolean', true, true],
		['char', 'Y', true],
		['char', 'N', 'N'],
		['date', '2026-12-31', '2026-12-31T00:00:00+03:00'],
		['date', '2026-12-31', '2026-12-31'],
		['datetime', '2026-12-31T14:00:00Z', '2026-12-31T17:00:00+03:00'],
		['datetime', '2026-12-31T17:00:00.000+03:00', '2026-12-31T17:00:00+03:00'],
		// No zone sent: the portal reads it in its own zone, so the wall-clock time is what must match.
		['datetime', '2026-12-31T17:00:00', '2026-12-31T17:00:00+03:00'],
		['enumeration', '41', 41],
		['enumeration', '41', '41'],
		['crm_status', 'WON', 'WON'],
		['crm_currency', 'EUR', 'EUR'],
		['url', 'https://acme.example/a', 'https://acme.example/a'],
		['address', 'Main st 1', 'Main st 1|;|'],
		['address', 'Main st 1', 'Main st 1|55.75;37.61|12'],
		['crm', 'C_201', 'C_201'],
		['iblock_element', 12, '12'],
		['location', 'Berlin', 'Berlin'],
	])('%s: sent %j, stored %j', (type, sent, stored) => {
		expect(sameValue(field('f', type), sent, stored)).toBe(true);
	});

	test.each([
		['string', 'Website redesign', 'Website'],
		['string', 'Website redesign', null],
		['integer', 5, 6],
		['integer', 5, ''],
		['double', 1250.5, 1250],
		['money', 150, '151|USD'],
		['money', '150|EUR', '150|USD'],
		['user', 7, 1],
		['boolean', true, 0],
		['boolean', false, 'Y'],
		['char', 'Y', 'N'],
		['date', '2026-12-31', '2026-12-30T00:00:00+03:00'],
		['datetime', '2026-12-31T14:00:00Z', '2026-12-31T14:00:00+03:00'],
		['datetime', '2026-12-31T17:00:00', '2026-12-31T18:00:00+03:00'],
		['enumeration', '41', '42'],
		['crm_status', 'WON', 'NEW'],
		['address', 'Main st 1', 'Main st 2|;|'],
	])('%s: sent %j, stored %j is a mismatch', (type, sent, stored) => {
		expect(sameValue(field('f', type), sent, stored)).toBe(false);
	});
});

describe('entryKey: phone, email and website entries by value', () => {
	test.each([
		['email', 'Anna@Mail.Example', 'anna@mail.example'],
		['phone', '+1 (555) 010-0101', '+15550100101'],
		['web', 'https://Acme.example/', 'acme.example'],
		['web', { value: 'http://acme.example', typeId: 'WORK' }, 'acme.example'],
	])('%s %j → %s', (name, entry, key) => {
		expect(entryKey(name, entry)).toBe(key);
	});
});

describe('unappliedFields', () => {
	const portal = [
		field('title', 'string', { title: 'Deal name' }),
		field('amount', 'double'),
		field('observers', 'user', { multiple: true }),
		field('UF_CRM_CHANNELS', 'enumeration', { multiple: true, items: [{ id: '51', label: 'Email' }, { id: '53', label: 'Messenger' }] }),
		field('UF_CRM_TAGS', 'string', { multiple: true }),
		field('email', 'crm_multifield', { multiple: true }),
		field('phone', 'crm_multifield', { multiple: true }),
		field('UF_CRM_SCAN', 'file'),
	];
	const names = (sent: IDataObject, stored: IDataObject, replaced?: string[]) => unappliedFields(portal, sent, stored, replaced).map(({ field: f }) => f.name);

	test('every field as sent: none', () => {
		expect(
			names(
				{ title: 'T', amount: 10, observers: [1, 7], UF_CRM_CHANNELS: ['53', '51'], UF_CRM_TAGS: ['a', 'b'], email: [{ value: 'a@b.example', typeId: 'WORK' }] },
				{ id: 9, title: 'T', amount: '10.00', observers: ['7', '1'], UF_CRM_CHANNELS: [51, 53], UF_CRM_TAGS: ['b', 'a'], email: [{ id: 1, value: 'A@b.example', typeId: 'WORK' }, { id: 2, value: 'old@b.example', typeId: 'HOME' }] },
			),
		).toEqual([]);
	});

	test('a field missing from the answer, a different value, a list that lacks an entry', () => {
		const misses = unappliedFields(portal, { title: 'T', amount: 10, UF_CRM_TAGS: ['a', 'b'], email: [{ value: 'new@b.example' }] }, { id: 9, amount: 11, UF_CRM_TAGS: ['a'], email: [] });
		expect(misses.map(({ field: f, sent, stored }) => [f.name, sent, stored])).toEqual([
			['title', 'T', undefined],
			['amount', 10, 11],
			['UF_CRM_TAGS', ['a', 'b'], ['a']],
			['email', [{ value: 'new@b.example' }], []],
		]);
	});

	test('Replace: the list must hold exactly the entries sent; Add: at least them', () => {
		const sent = { phone: [{ value: '+1 555 0100' }] };
		const stored = { phone: [{ id: 1, value: '+15550100' }, { id: 2, value: '+15550199' }] };
		expect(names(sent, stored)).toEqual([]);
		expect(names(sent, stored, ['phone'])).toEqual(['phone']);
		expect(names(sent, { phone: [{ id: 1, value: '+15550100' }] }, ['phone'])).toEqual([]);
	});

	test('a field the portal does not list is compared as text; a file is not compared (Bitrix24 answers its ID and URL)', () => {
		expect(names({ UF_CRM_GONE: 'x', UF_CRM_SCAN: 'scan.pdf' }, { UF_CRM_SCAN: { id: 4, url: '/x' } })).toEqual(['UF_CRM_GONE']);
		expect(names({ UF_CRM_GONE: 'x' }, { UF_CRM_GONE: 'x' })).toEqual([]);
	});
});
