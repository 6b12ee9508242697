/**
 * The application token check. Bitrix24 signs every outgoing-webhook call (and the Webhook robot's) with the
 * token it showed when the webhook was created, in `auth[application_token]`; a call without the right one is
 * refused. The comparison takes the same time whatever the first differing character, so the answer's timing
 * tells a caller nothing about how much of a guess was right.
 */

/** The tokens a node accepts: one per outgoing webhook (and robot), separated by commas, spaces or line breaks. */
export function acceptedTokens(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,]+/)
		.map((token) => token.trim())
		.filter(Boolean);
}

/**
 * Whether `given` equals `expected`, in time that depends only on their lengths: every character is XOR-ed and
 * the differences are OR-ed, with no early exit. A length difference counts as a mismatch, yet the loop still
 * runs over the longer string.
 */
export function sameToken(given: string, expected: string): boolean {
	const length = Math.max(given.length, expected.length);
	let difference = given.length ^ expected.length;
	for (let index = 0; index < length; index++) {
		// Past the end of one string, charCodeAt gives NaN, which `| 0` turns into 0; the length term decides then.
		difference |= (given.charCodeAt(index) | 0) ^ (expected.charCodeAt(index) | 0);
	}
	return difference === 0 && expected.length > 0;
}

/** Whether `given` is one of the accepted tokens. Every token is compared, so the time does not say which matched. */
export function tokenAccepted(given: unknown, accepted: string[]): boolean {
	const text = typeof given === 'string' ? given : '';
	let matched = false;
	for (const token of accepted) matched = sameToken(text, token) || matched;
	return matched && text.length > 0;
}
