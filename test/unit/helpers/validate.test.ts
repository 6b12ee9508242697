import fc from 'fast-check';
import type { INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../nodes/Bitrix24/errors';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import {
	PATTERNS,
	locatorValue,
	parseEntity,
	parseEntityId,
	parseEntityType,
	parseEntityUrl,
	parseTriggerCode,
} from '../../../nodes/Bitrix24/helpers/validate';

test.each([
	[5141, 5141],
	['5141', 5141],
	[' 5141 ', 5141],
	['#5141', 5141],
	[1e3, 1000],
])('entity ID %p → %p', (input, expected) => expect(parseEntityId(input)).toBe(expected));

test.each([0, -1, 1.5, '1.5', '', ' ', '1e3', 'abc', null, undefined, NaN, Infinity, 2 ** 60, {}, [], [5141], true, '12345678901234567'])(
	'entity ID %p is refused',
	(input) => expect(() => parseEntityId(input)).toThrow(/Entity ID must be a positive whole number/),
);

test('a record link in By ID is refused with its ID and the way to By URL, not cut mid-word', () => {
	let refusal: InputError | undefined;
	try {
		parseEntityId('https://portal.bitrix24.com/crm/deal/details/5141/');
	} catch (error) {
		refusal = error as InputError;
	}
	expect(refusal!.message).toBe('Entity ID must be a positive whole number; got a Bitrix24 link to record 5141');
	expect(refusal!.description).toBe("Switch the field to By URL, which takes this link as it is, or give the record's ID: 5141.");
});

test('entity type is trimmed and lower-cased; others are refused', () => {
	expect(parseEntityType(' Deal ')).toBe('deal');
	expect(() => parseEntityType('deals')).toThrow(/got "deals"/);
	expect(() => parseEntityType(7)).toThrow(/got 7/);
});

test.each([
	['https://p.bitrix24.com/crm/deal/details/5141/', 'deal', 5141],
	['https://p.bitrix24.de/crm/lead/details/7/?IFRAME=Y', 'lead', 7],
	['https://p.bitrix24.com/crm/contact/details/201/', 'contact', 201],
	['https://p.bitrix24.com/crm/company/details/301/', 'company', 301],
	['https://p.bitrix24.com/crm/type/31/details/501/', 'invoice', 501],
	['https://p.bitrix24.com/crm/type/7/details/401/', 'quote', 401],
	['https://p.bitrix24.com/crm/quote/show/402/', 'quote', 402],
	['https://p.bitrix24.com/crm/type/2/details/9/', 'deal', 9],
	[' https://p.bitrix24.com/crm/Deal/edit/10 ', 'deal', 10],
])('URL %s is a %s with ID %i', (url, type, id) => expect(parseEntityUrl(url, type)).toBe(id));

test('URL of another type or no CRM link is refused with a message naming the field', () => {
	expect(() => parseEntityUrl('https://p.bitrix24.com/crm/deal/details/1/', 'lead')).toThrow('The link is to a deal, but Entity Type is Lead');
	expect(() => parseEntityUrl('https://p.bitrix24.com/crm/type/177/details/1/', 'deal')).toThrow('The link is to a "type/177" record, but Entity Type is Deal');
	expect(() => parseEntityUrl('garbage', 'deal')).toThrow('Entity By URL is not a Bitrix24 CRM record link; got "garbage"');
});

test('the entity locator reads every mode and plain numbers of older workflows', () => {
	expect(parseEntity({ __rl: true, mode: 'list', value: '5141' }, 'deal')).toBe(5141);
	expect(parseEntity({ __rl: true, mode: 'id', value: 5142 }, 'deal')).toBe(5142);
	expect(parseEntity({ __rl: true, mode: 'url', value: 'https://p.bitrix24.com/crm/deal/details/5143/' }, 'deal')).toBe(5143);
	expect(parseEntity(5144, 'deal')).toBe(5144);
	expect(() => parseEntity({ mode: 'url', value: 'https://p.bitrix24.com/crm/deal/details/5145/' }, 'deal')).toThrow('Entity ID must be a positive whole number; got {"mode":"url","value":"https://p.bitrix24.com/crm/deal/details/5145/"}');
	expect(locatorValue({ __rl: true, mode: 'id', value: 'x' })).toBe('x');
	expect(locatorValue(['x'])).toEqual(['x']);
});

test('trigger codes', () => {
	expect(parseTriggerCode({ __rl: true, mode: 'code', value: ' payment_received ' })).toBe('payment_received');
	expect(parseTriggerCode('a.b-c:d_1')).toBe('a.b-c:d_1');
	expect(parseTriggerCode(42)).toBe('42');
	expect(() => parseTriggerCode('')).toThrow(/Trigger is empty/);
	expect(() => parseTriggerCode('pay\u0000ment')).toThrow('Trigger code "pay?ment" is not valid');
	expect(() => parseTriggerCode('x'.repeat(101))).toThrow(/not valid/);
	expect(() => parseTriggerCode({ a: 1 })).toThrow('Trigger is empty; got {"a":1}');
});

describe('the editor and the run time check the same patterns', () => {
	const fire = new Bitrix24().description.properties;
	/** The regex of a resource locator mode, applied as n8n's editor applies it. */
	const editorCheck = (parameter: string, mode: string) => {
		const modes = (fire.find((p) => p.name === parameter) as INodeProperties).modes ?? [];
		const validation = modes.find((m) => m.name === mode)?.validation?.[0] as unknown as { properties: { regex: string } };
		const regex = new RegExp(`^${validation.properties.regex}$`);
		return (value: string) => regex.test(value);
	};
	const passes = (check: () => unknown) => {
		try {
			check();
			return true;
		} catch {
			return false;
		}
	};

	test('the modes carry the shared patterns', () => {
		const regex = (parameter: string, mode: string) =>
			((fire.find((p) => p.name === parameter) as INodeProperties).modes ?? []).find((m) => m.name === mode)?.validation?.[0];
		expect(regex('entity', 'id')).toMatchObject({ properties: { regex: PATTERNS.entityId } });
		expect(regex('entity', 'url')).toMatchObject({ properties: { regex: PATTERNS.entityUrl } });
		expect(regex('trigger', 'code')).toMatchObject({ properties: { regex: PATTERNS.triggerCode } });
	});

	const samples = fc.oneof(
		fc.string(),
		fc.stringMatching(/^\s?#?[0-9]{0,18}\s?$/),
		fc.stringMatching(/^[A-Za-z0-9_.:\- ]{0,110}$/),
		fc.constantFrom('https://p.bitrix24.com/crm/deal/details/5141/', 'https://p.bitrix24.com/crm/type/31/show/9', '/crm/x/details/', 'crm/deal/details/1'),
	);

	test('an ID the editor accepts is accepted at run time (if it is a positive safe integer), and the other way round', () => {
		const editor = editorCheck('entity', 'id');
		fc.assert(
			fc.property(samples, (value) => {
				const id = Number(value.trim().replace('#', ''));
				const runtime = passes(() => parseEntityId(value));
				expect({ value, runtime }).toEqual({ value, runtime: editor(value) && Number.isSafeInteger(id) && id > 0 });
			}),
			{ numRuns: 2000 },
		);
	});

	test('a trigger code the editor accepts is accepted at run time, and the other way round', () => {
		const editor = editorCheck('trigger', 'code');
		fc.assert(
			fc.property(samples, (value) => {
				expect({ value, runtime: passes(() => parseTriggerCode(value)) }).toEqual({ value, runtime: editor(value) });
			}),
			{ numRuns: 2000 },
		);
	});

	test('a link the editor accepts is read at run time as some CRM record link', () => {
		const editor = editorCheck('entity', 'url');
		fc.assert(
			fc.property(samples, (value) => {
				let message = '';
				try {
					parseEntityUrl(value, 'deal');
				} catch (error) {
					message = (error as Error).message;
				}
				expect({ value, linkRefused: /not a Bitrix24 CRM record link/.test(message) }).toEqual({ value, linkRefused: !editor(value.trim()) });
			}),
			{ numRuns: 2000 },
		);
	});
});

test('the input checks never throw anything but their own errors', () => {
	const anyValue = fc.oneof(fc.anything(), fc.string({ unit: 'binary' }), fc.double(), fc.constantFrom('', ' ', '0x10', '1e3', '١٢٣'));
	fc.assert(
		fc.property(anyValue, (value) => {
			for (const check of [parseEntityId, parseEntityType, parseTriggerCode, (v: unknown) => parseEntity(v, 'deal'), (v: unknown) => parseEntityUrl(v, 'deal')]) {
				try {
					check(value);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
				}
			}
		}),
		{ numRuns: 2000 },
	);
});
