import { ERROR_TABLE, STATUS_FALLBACK, TRIGGER_LIST_WITH_PERSONAL_KEY, errorText, signInHint, withSignInLink } from '../../../nodes/Bitrix24/errors';
import { CONTRACT_CODES } from '../../helpers/contract';

test('every code in the contract has a message and a hint', () => {
	for (const code of Object.keys(CONTRACT_CODES)) {
		expect({ code, entry: ERROR_TABLE[code] }).toEqual({ code, entry: { message: expect.any(String), hint: expect.any(String) } });
	}
});

test('the codes the node raises itself are in the table', () => {
	for (const code of ['INVALID_PARAMETER', 'INVALID_CREDENTIAL', 'UNKNOWN_TRIGGER', 'NO_TRIGGERS', 'UNEXPECTED_ERROR', 'TIMEOUT', 'CONNECTION_RESET', 'CONNECTION_FAILED', 'INVALID_RESPONSE', 'GATEWAY_ERROR']) {
		expect({ code, known: code in ERROR_TABLE }).toEqual({ code, known: true });
	}
});

test('messages are short sentences without a final period; hints end with one', () => {
	for (const [code, { message, hint }] of Object.entries(ERROR_TABLE)) {
		expect({ code, ok: message.length < 90 && !message.endsWith('.') }).toEqual({ code, ok: true });
		expect({ code, ok: hint.endsWith('.') }).toEqual({ code, ok: true });
	}
	expect(TRIGGER_LIST_WITH_PERSONAL_KEY.hint.endsWith('.')).toBe(true);
});

test('TOKEN_EXPIRED and SCOPE_DENIED say what to do', () => {
	// In an ops person's words: where the link is, what to do with it, what to paste back; no API paths.
	expect(ERROR_TABLE.TOKEN_EXPIRED.hint).toMatch(/^Open your application's sign-in link \(in the VibeCode dashboard under Applications → your application\), .*paste the session token .*A session lasts about a day\. For unattended/);
	// A run that could read the application's link quotes it instead of the dashboard's place.
	expect(withSignInLink('TOKEN_EXPIRED', 'https://v.example/v1/oauth/authorize?app_key=k').hint).toMatch(/^Open https:\/\/v\.example\/v1\/oauth\/authorize\?app_key=k in your browser, sign in .*For unattended/);
	expect(withSignInLink('TOKEN_MISSING', 'https://x/y')).toEqual({ message: ERROR_TABLE.TOKEN_MISSING.message, hint: signInHint('https://x/y') });
	for (const code of ['TOKEN_MISSING', 'TOKEN_EXPIRED', 'INVALID_SESSION']) expect(ERROR_TABLE[code].hint).not.toMatch(/\/v1\//);
	expect(ERROR_TABLE.SCOPE_DENIED.hint).toMatch(/Re-issue the key with the 'crm' scope/);
});

test('statuses without a code map to table entries; an unknown code reads as UNKNOWN_ERROR', () => {
	for (const code of Object.values(STATUS_FALLBACK)) expect(ERROR_TABLE[code]).toBeDefined();
	expect(errorText('SOMETHING_NEW')).toBe(ERROR_TABLE.UNKNOWN_ERROR);
	expect(errorText('TOKEN_EXPIRED')).toBe(ERROR_TABLE.TOKEN_EXPIRED);
});
