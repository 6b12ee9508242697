/** errors/quote.ts: how every message quotes a value the user gave. */
import { quote } from '../../../nodes/Bitrix24/errors';

test('short values whole; numbers, true/false, null and nothing as they are; control characters shown', () => {
	expect(quote('Website redesign')).toBe('"Website redesign"');
	expect(quote(4.5)).toBe('4.5');
	expect(quote(false)).toBe('false');
	expect(quote(null)).toBe('null');
	expect(quote(undefined)).toBe('nothing');
	expect(quote('a\nb')).toBe('"a?b"');
	expect(quote({ a: 1 })).toBe('{"a":1}');
	expect(quote(['x', 'y'])).toBe('["x","y"]');
});

test('a long text is cut where a word ends, a long link where one of its parts ends; never mid-word', () => {
	const link = 'https://acme.bitrix24.com/crm/deal/details/5141/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER&from=kanban';
	expect(quote(link)).toBe('"https://acme.bitrix24.com/crm/deal/details/5141/?IFRAME=Y&IFRAME_TYPE=…"');
	const text = 'The customer asked for a printer repair and a second quote before the end of the month, by email';
	const quoted = quote(text);
	expect(quoted).toBe('"The customer asked for a printer repair and a second quote before the end of the…"');
	expect(text.startsWith(quoted.slice(1, -2))).toBe(true);
	// Exactly at the limit: whole.
	expect(quote('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`);
	// One unbroken word longer than the limit: cut at the limit, the only place there is.
	expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(80)}…"`);
	// Big lists and objects by their kind.
	expect(quote(Array.from({ length: 40 }, (_, i) => i))).toBe('a list of 40');
	expect(quote({ text: 'y'.repeat(100) })).toBe('an object');
});
