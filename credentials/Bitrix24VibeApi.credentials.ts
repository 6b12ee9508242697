import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import {
	DEFAULT_BASE_URL,
	authHeaders,
	credentialProblem,
	readCredentials,
} from '../nodes/Bitrix24/transport/credentials';
import { ERROR_TABLE } from '../nodes/Bitrix24/errors/table';

/** Answers to the connection test that get VibeCode's reason and what to do, from the error table. */
const CREDENTIAL_TEST_CODES = [
	'MISSING_API_KEY',
	'INVALID_API_KEY',
	'INVALID_APP_KEY',
	'KEY_INACTIVE',
	'KEY_EXPIRED',
	'WRONG_KEY_TYPE',
	'TOKEN_MISSING',
	'TOKEN_EXPIRED',
	'TOKEN_REFRESH_FAILED',
	'INVALID_SESSION',
	'SESSION_APP_MISMATCH',
	'SCOPE_DENIED',
	'BITRIX_ACCESS_DENIED',
	'OAUTH_REQUIRED',
	'IP_NOT_ALLOWED',
	'WAITLIST_PENDING',
	'MANAGEMENT_KEY_NO_ENTITY_ACCESS',
	'RATE_LIMITED',
];

export class Bitrix24VibeApi implements ICredentialType {
	name = 'bitrix24VibeApi';

	displayName = 'Bitrix24 VibeCode API';

	icon: Icon = {
		light: 'file:../nodes/Bitrix24/bitrix24.svg',
		dark: 'file:../nodes/Bitrix24/bitrix24.dark.svg',
	};

	documentationUrl = 'https://vibecode.bitrix24.tech/docs/keys-auth';

	properties: INodeProperties[] = [
		{
			displayName: 'Key Type',
			name: 'keyType',
			type: 'options',
			options: [
				{
					name: 'Personal Key',
					value: 'personal',
					description: 'A vibe_api_… key bound to one portal; acts as the key owner. Best for unattended workflows.',
				},
				{
					name: 'OAuth Application',
					value: 'oauthApp',
					description: 'A vibe_app_… key plus a user session token; needed to list trigger codes',
				},
			],
			default: 'personal',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'vibe_api_…',
			description: 'The key from the VibeCode dashboard (shown once, when the key is created)',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'vibe_session_…',
			description:
				'The user session from /v1/oauth/authorize, sent as Authorization: Bearer. It lasts about 24 hours; when it expires, re-authorize and paste the new one. Leave empty for Partner Connect keys, which need none.',
			displayOptions: { show: { keyType: ['oauthApp'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'The VibeCode API host, without /v1. Change it only for a sandbox or another VibeCode host; it must use https:// (http:// only on localhost).',
		},
	];

	// A function rather than a generic header block: the session header exists only for OAuth
	// applications, and a wrong paste must fail with a clear message before anything is sent.
	async authenticate(
		raw: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const creds = readCredentials(raw);
		const problem = credentialProblem(creds);
		if (problem) throw new UserError(problem);
		requestOptions.headers = { ...requestOptions.headers, ...authHeaders(creds) };
		return requestOptions;
	}

	// Personal keys are checked with GET /v1/me. For OAuth applications /v1/me answers even without a
	// session, so the test asks for the trigger list instead: it proves the session and the app context.
	// HTTP errors are read as bodies so the user sees VibeCode's reason, not just "Authorization failed".
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '={{$credentials.keyType === "oauthApp" ? "/v1/triggers" : "/v1/me"}}',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			...CREDENTIAL_TEST_CODES.map((code) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'error.code',
					value: code,
					message: `${ERROR_TABLE[code].message} [${code}]. ${ERROR_TABLE[code].hint}`,
				},
			})),
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: 'VibeCode refused the credential. Check the API key, the Key Type and the session token.' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: undefined,
					message: 'No VibeCode API answered at this Base URL. Use https://vibecode.bitrix24.tech (without /v1), or your sandbox address.',
				},
			},
		],
	};
}
