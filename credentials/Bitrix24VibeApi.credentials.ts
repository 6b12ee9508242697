import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { connectionTest } from '../nodes/Bitrix24/transport/connectionTest';
import { DEFAULT_BASE_URL, authenticateHeaders } from '../nodes/Bitrix24/transport/credentials';

/** The API Key field as one key type shows it; both are stored under `apiKey`, which `authenticate` reads. */
function apiKeyField(keyType: 'personal' | 'oauthApp', placeholder: string, description: string): INodeProperties {
	return {
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder,
		description,
		displayOptions: { show: { keyType: [keyType] } },
	};
}

export class Bitrix24VibeApi implements ICredentialType {
	name = 'bitrix24VibeApi';

	displayName = 'Bitrix24 VibeCode API';

	icon: Icon = {
		light: 'file:../nodes/Bitrix24/bitrix24.svg',
		dark: 'file:../nodes/Bitrix24/bitrix24.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-bitrix24-vibecode#credentials';

	// Two API Key fields under one name, so saved credentials keep working: each shows the help of its key type.
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
					description: 'A vibe_app_… key plus a sign-in session that lasts about a day; lists and checks trigger codes',
				},
			],
			default: 'personal',
			description:
				'Personal Key (vibe_api_…) suits most workflows: it never expires unless you set a date, and needs nothing else. Choose OAuth Application (vibe_app_…) only if your Bitrix24 application registered the triggers and you want the node to list and check their codes; it needs a new session about once a day.',
		},
		apiKeyField(
			'personal',
			'vibe_api_…',
			'The personal key from the VibeCode dashboard (Keys → Create; shown once). Tick the crm scope when you create it, and choose read-write access to create records or fire triggers. A key with an expiry date is reported by manual runs in its last 7 days.',
		),
		apiKeyField('oauthApp', 'vibe_app_…', "The application's key from the VibeCode dashboard (Applications → your app; shown once)"),
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'vibe_session_…',
			description:
				"Proof that a Bitrix24 user allowed the application; it lasts about a day. To get one, open your application's sign-in link (VibeCode dashboard → Applications → your application; a Bitrix24 node run without a session shows it too), sign in to Bitrix24, allow the application, and paste the vibe_session_… token it shows here. Leave empty for Partner Connect keys, which need none.",
			displayOptions: { show: { keyType: ['oauthApp'] } },
		},
		{
			displayName: 'Trigger Codes',
			name: 'triggerCodes',
			type: 'string',
			default: '',
			placeholder: 'e.g. payment_received, delivery_confirmed',
			description:
				"The trigger codes registered on your portal, separated by commas. A personal key cannot read the portal's list, so the Fire operation checks each code against these before sending (a misspelt code is refused with the nearest match) and offers them in the Trigger field's From List mode. Leave empty to fire any code unchecked.",
			displayOptions: { show: { keyType: ['personal'] } },
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

	// Declarative, as n8n's verification requires: a CRM read whose answer the rules read (transport/connectionTest.ts).
	test: ICredentialTestRequest = connectionTest;

	// Declarative, not a function: n8n's editor offers a credential type in the HTTP Request node's Predefined
	// Credential Type only when `authenticate` is data (`has:authenticate`; a function does not survive the REST JSON).
	// The headers are those of `authHeaders` (transport/credentials.ts); the Authorization header exists only for an
	// OAuth application with a session, and a personal key sends none at all (not an empty one). A malformed credential
	// is refused by the node's own runs before any request (`openSession`); the HTTP Request node sends what is there.
	authenticate: IAuthenticateGeneric = { type: 'generic', properties: { headers: authenticateHeaders } };
}
