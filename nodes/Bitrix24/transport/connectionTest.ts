import type { ICredentialTestRequest, IHttpRequestOptions } from 'n8n-workflow';

import { errorText, signInHint } from '../errors';
import { DEFAULT_BASE_URL } from './credentials';

/**
 * The credential's connection test, declarative as n8n's verification requires (a credential-test method gets
 * only the deprecated `helpers.request`, which n8n's scanner refuses). n8n sends the request with the
 * credential's `authenticate` and returns "Connection successful!" unless a rule matches the answer; a rule is
 * an equality on one path of the answer's body, and the first one that matches gives the message.
 *
 * The request is a CRM read, so it proves what every operation needs: the key, its `crm` scope, and for an OAuth
 * application a live session (VibeCode answers data routes without one `401 TOKEN_MISSING`, while `/v1/me`
 * answers anyway). HTTP errors are read as answers (`ignoreHttpStatusErrors`), so each of VibeCode's codes gets
 * its own message from the error table instead of n8n's bare "Unauthorized". What an equality cannot say
 * (a read-only key, a key expiring soon, the application's own sign-in link) the node says at its first run.
 */
export const CONNECTION_TEST_PATH = '/v1/deals';

/** The codes a connection test can meet, in the order they are checked; each one's text comes from the table. */
export const CONNECTION_CODES = [
	'MISSING_API_KEY',
	'INVALID_API_KEY',
	'KEY_INACTIVE',
	'KEY_EXPIRED',
	'INVALID_APP_KEY',
	'TOKEN_MISSING',
	'TOKEN_EXPIRED',
	'TOKEN_REFRESH_FAILED',
	'INVALID_SESSION',
	'SESSION_APP_MISMATCH',
	'WRONG_KEY_TYPE',
	'MANAGEMENT_KEY_NO_ENTITY_ACCESS',
	'SCOPE_DENIED',
	'SCOPE_NOT_ALLOWED',
	'BITRIX_ACCESS_DENIED',
	'ACCESS_DENIED',
	'IP_NOT_ALLOWED',
	'WAITLIST_PENDING',
	'ACCOUNT_FROZEN',
	'BILLING_EXHAUSTED',
	'SERVER_WAKE_BLOCKED',
	'TRIAL_EXPIRED',
	'RATE_LIMITED',
	'BITRIX_UNAVAILABLE',
] as const;

/** Texts that say more in the credential window than the table's (which serves a run's error). */
const CONNECTION_TEXTS: Partial<Record<(typeof CONNECTION_CODES)[number], string>> = {
	TOKEN_MISSING: `The OAuth application key needs a user session [TOKEN_MISSING]. ${signInHint()} A Bitrix24 node run with this credential shows the link itself.`,
};

export const NO_VIBECODE_HERE =
	'No VibeCode API answered at this Base URL. Use https://vibecode.bitrix24.tech (without /v1), or your sandbox address.';

/** What the credential window says for one of VibeCode's codes. */
export function connectionMessage(code: (typeof CONNECTION_CODES)[number]): string {
	const text = errorText(code);
	return CONNECTION_TEXTS[code] ?? `${text.message} [${code}]. ${text.hint}`;
}

// Trailing slashes and a pasted /v1 are dropped, as apiRoot does for the node's own requests.
const request: IHttpRequestOptions = {
	method: 'GET',
	baseURL: `={{ String($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "").replace(/\\/v1$/, "") }}`,
	url: CONNECTION_TEST_PATH,
	qs: { limit: 1, select: 'id' },
	headers: { Accept: 'application/json' },
	json: true,
	ignoreHttpStatusErrors: true,
	timeout: 15_000,
};

export const connectionTest: ICredentialTestRequest = {
	request,
	rules: [
		// No `success` in the answer (not VibeCode's envelope), or no such route: the Base URL points somewhere else.
		{ type: 'responseSuccessBody', properties: { key: 'success', value: undefined, message: NO_VIBECODE_HERE } },
		{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'NOT_FOUND', message: NO_VIBECODE_HERE } },
		...CONNECTION_CODES.map((code) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'error.code', value: code, message: connectionMessage(code) },
		})),
		{
			type: 'responseSuccessBody',
			properties: {
				key: 'success',
				value: false,
				message: 'VibeCode refused the connection test (a CRM read of one deal). Run a Bitrix24 node with this credential to see its reason and what to do.',
			},
		},
	],
};
