/** The application token check: equal strings only, the time independent of where a guess goes wrong. */
import { acceptedTokens, sameToken, tokenAccepted } from '../../../nodes/Bitrix24/instant/token';

test('equal tokens match; any difference, a prefix, an extension, an empty token do not', () => {
	expect(sameToken('abc123', 'abc123')).toBe(true);
	for (const given of ['abc124', 'bbc123', 'abc12', 'abc1234', '', 'ABC123']) expect(sameToken(given, 'abc123')).toBe(false);
	expect(sameToken('', '')).toBe(false);
	// A length difference hidden by characters that XOR to zero past the end.
	expect(sameToken('abc\u0000', 'abc')).toBe(false);
});

test('the loop compares every character: the work is the same whether the first or the last character differs', () => {
	const expected = 'x'.repeat(64);
	let reads = 0;
	const counting = (text: string) =>
		new Proxy(new String(text), {
			get(target, property) {
				if (property === 'charCodeAt') {
					return (index: number) => {
						reads++;
						return text.charCodeAt(index);
					};
				}
				return Reflect.get(target, property);
			},
		}) as unknown as string;
	sameToken(counting(`y${'x'.repeat(63)}`), expected);
	const early = reads;
	reads = 0;
	sameToken(counting(`${'x'.repeat(63)}y`), expected);
	expect(early).toBe(64);
	expect(reads).toBe(64);
});

test('several accepted tokens, separated by commas or line breaks; a token not given or not a string is refused', () => {
	const accepted = acceptedTokens(' first-token, second-token\nthird ');
	expect(accepted).toEqual(['first-token', 'second-token', 'third']);
	expect(tokenAccepted('second-token', accepted)).toBe(true);
	expect(tokenAccepted('third', accepted)).toBe(true);
	expect(tokenAccepted('fourth', accepted)).toBe(false);
	expect(tokenAccepted(undefined, accepted)).toBe(false);
	expect(tokenAccepted(['first-token'], accepted)).toBe(false);
	expect(tokenAccepted('', acceptedTokens(''))).toBe(false);
	expect(tokenAccepted('anything', acceptedTokens(''))).toBe(false);
});
