import { entityLabel, entityType } from '../../nodes/Bitrix24/helpers/entities';
import { runPool } from '../../nodes/Bitrix24/helpers/pool';
import {
	nearestCodes,
	parseEntity,
	parseEntityId,
	parseEntityType,
	parseEntityUrl,
	parseTriggerCode,
} from '../../nodes/Bitrix24/helpers/validate';

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
])('URL %s is a %s with ID %i', (url, type, id) => expect(parseEntityUrl(url, type)).toBe(id));

test('URL of another type or no CRM link is refused with a clear message', () => {
	expect(() => parseEntityUrl('https://p.bitrix24.com/crm/deal/details/1/', 'lead')).toThrow('The link is to a deal, but Entity Type is Lead');
	expect(() => parseEntityUrl('https://p.bitrix24.com/crm/type/177/details/1/', 'deal')).toThrow('The link is to a "type/177" record, but Entity Type is Deal');
	expect(() => parseEntityUrl('garbage', 'deal')).toThrow('Not a Bitrix24 CRM record link: "garbage"');
});

test('the entity locator reads every mode and plain numbers of older workflows', () => {
	expect(parseEntity({ __rl: true, mode: 'list', value: '5141' }, 'deal')).toBe(5141);
	expect(parseEntity({ __rl: true, mode: 'id', value: 5142 }, 'deal')).toBe(5142);
	expect(parseEntity({ __rl: true, mode: 'url', value: 'https://p.bitrix24.com/crm/deal/details/5143/' }, 'deal')).toBe(5143);
	expect(parseEntity(5144, 'deal')).toBe(5144);
});

test('trigger codes', () => {
	expect(parseTriggerCode({ __rl: true, mode: 'code', value: ' payment_received ' })).toBe('payment_received');
	expect(parseTriggerCode('a.b-c:d_1')).toBe('a.b-c:d_1');
	expect(() => parseTriggerCode('')).toThrow(/Trigger is empty/);
	expect(() => parseTriggerCode('pay\u0000ment')).toThrow('Trigger code "pay?ment" is not valid');
	expect(() => parseTriggerCode('x'.repeat(101))).toThrow(/not valid/);
	expect(() => parseTriggerCode({ a: 1 })).toThrow(/Trigger is empty; got a object/);
});

test('nearest codes', () => {
	expect(nearestCodes('paymnt_received', ['delivery_confirmed', 'payment_received', 'contract_signed'], 1)).toEqual(['payment_received']);
});

test('entity labels', () => {
	expect(entityLabel(entityType('contact')!, { id: 1, name: 'Ivan', lastName: 'Petrov' })).toBe('Ivan Petrov');
	expect(entityLabel(entityType('deal')!, { ID: 5, TITLE: 'Upper' })).toBe('Upper');
	expect(entityLabel(entityType('deal')!, { id: 5 })).toBe('Deal 5');
});

test('the pool keeps at most N in flight and stops starting work after an error', async () => {
	let inFlight = 0;
	let peak = 0;
	const started: number[] = [];
	const run = runPool(10, 3, async (i) => {
		started.push(i);
		inFlight++;
		peak = Math.max(peak, inFlight);
		await new Promise((resolve) => setTimeout(resolve, 5));
		inFlight--;
		if (i === 4) throw new Error('item 4 failed');
	});
	await expect(run).rejects.toThrow('item 4 failed');
	expect(peak).toBe(3);
	expect(started.length).toBeLessThan(10);
});

describe('Pacer', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Pacer } = require('../../nodes/Bitrix24/transport/pacer');

	test('waits for the window to reset when no requests remain, and not otherwise', async () => {
		const pacer = new Pacer();
		pacer.observe({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '30' });
		let started = Date.now();
		await pacer.ready();
		expect(Date.now() - started).toBeLessThan(50);
		pacer.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		started = Date.now();
		await pacer.ready();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	test('a pause (429 Retry-After) holds every caller; an aborted signal stops the wait', async () => {
		const pacer = new Pacer();
		pacer.pause(10_000);
		const controller = new AbortController();
		const waiting = pacer.ready(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow();
	});
});
