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
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '={{$credentials.keyType === "oauthApp" ? "/v1/triggers" : "/v1/me"}}',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'VibeCode rejected the credential (401): the API key is unknown, revoked or expired, or the OAuth session token is missing or expired. Check the key, the Key Type and the session token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"VibeCode denied access (403): the key lacks the 'crm' scope, this server's IP is not allowed, or the session belongs to another application.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No VibeCode API at this Base URL (404). Use https://vibecode.bitrix24.tech, without /v1.',
				},
			},
		],
	};
}
