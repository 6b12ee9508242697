/** The credential type: its fields, how it signs requests, and which connection test n8n runs. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Bitrix24VibeApi } from '../../../credentials/Bitrix24VibeApi.credentials';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../../nodes/Bitrix24/Bitrix24Trigger.node';
import { errorText, signInHint } from '../../../nodes/Bitrix24/errors';
import { NO_CREDENTIAL } from '../../../nodes/Bitrix24/errors';
import { openSession } from '../../../nodes/Bitrix24/transport';
import { CONNECTION_CODES, NO_VIBECODE_HERE } from '../../../nodes/Bitrix24/transport/connectionTest';
import { authHeaders, readCredentials } from '../../../nodes/Bitrix24/transport/credentials';
import { NODE_TYPE, TestNodeTypes, applyAuthenticate } from '../../helpers/engine';

const credential = new Bitrix24VibeApi();
const field = (name: string) => credential.properties.find((p) => p.name === name)!;

test('key type, password fields, session only for OAuth applications, base URL', () => {
	expect(credential.name).toBe('bitrix24VibeApi');
	expect(credential.displayName).toBe('Bitrix24 VibeCode API');
	expect((field('keyType').options as Array<{ value: string }>).map((o) => o.value)).toEqual(['personal', 'oauthApp']);
	expect(field('apiKey').typeOptions).toEqual({ password: true });
	expect(field('sessionToken').typeOptions).toEqual({ password: true });
	expect(field('sessionToken').displayOptions).toEqual({ show: { keyType: ['oauthApp'] } });
	expect(field('baseUrl').default).toBe('https://vibecode.bitrix24.tech');
});

/** The credential's headers for one request, resolved by n8n-workflow's own expressions as n8n's CredentialsHelper does. */
function signed(data: Record<string, unknown>, headers: Record<string, string> = {}) {
	const node: INode = { id: 'n', name: 'Bitrix24', type: NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	return applyAuthenticate(data as ICredentialDataDecryptedObject, { url: '/v1/me', headers: { ...headers } }, workflow, node).headers;
}

test('authenticate is declarative (generic headers), so it survives the REST JSON and the HTTP Request node offers the credential', () => {
	// n8n's editor lists a credential type under Predefined Credential Type only when `authenticate` is data
	// (the HTTP Request node's credentialTypes: ['has:authenticate', …]); a function is dropped from the JSON.
	const json = JSON.parse(JSON.stringify(credential));
	expect(json.authenticate).toEqual({ type: 'generic', properties: { headers: expect.any(Object) } });
	expect(typeof credential.authenticate).toBe('object');
	expect(Object.keys(json.authenticate.properties)).toEqual(['headers']);
});

test('authenticate adds X-Api-Key for a personal key and no Authorization at all; Bearer only for an OAuth application with a session', () => {
	const base = { baseUrl: 'https://vibecode.bitrix24.tech' };
	expect(signed({ ...base, keyType: 'personal', apiKey: ' vibe_api_k1 ', sessionToken: 'vibe_session_ignored' }, { Accept: 'application/json' })).toEqual({
		Accept: 'application/json',
		'X-Api-Key': 'vibe_api_k1',
	});
	expect(signed({ ...base, keyType: 'oauthApp', apiKey: 'vibe_app_k2', sessionToken: 'vibe_session_s2\n' })).toEqual({ 'X-Api-Key': 'vibe_app_k2', Authorization: 'Bearer vibe_session_s2' });
	// An OAuth application without a session (Partner Connect, or not signed in yet): the key alone, no empty Bearer.
	expect(signed({ ...base, keyType: 'oauthApp', apiKey: 'vibe_app_k3', sessionToken: '  ' })).toEqual({ 'X-Api-Key': 'vibe_app_k3' });
	expect(signed({ ...base, keyType: 'oauthApp', apiKey: 'vibe_app_k3' })).toEqual({ 'X-Api-Key': 'vibe_app_k3' });
	// A credential saved before Key Type existed is a personal key.
	expect(signed({ ...base, apiKey: 'vibe_api_k4' })).toEqual({ 'X-Api-Key': 'vibe_api_k4' });
});

test('the declarative headers are authHeaders, the ones the transport documents, for every shape of credential', () => {
	for (const keyType of ['personal', 'oauthApp', undefined]) {
		for (const apiKey of ['vibe_api_a', ' vibe_app_b\t', '']) {
			for (const sessionToken of ['vibe_session_c', ' vibe_session_d ', '', undefined]) {
				const raw = { keyType, apiKey, sessionToken, baseUrl: 'https://vibecode.bitrix24.tech' };
				expect(signed(raw)).toEqual(authHeaders(readCredentials(raw as ICredentialDataDecryptedObject)));
			}
		}
	}
});

test("a malformed credential is refused by the node's session opening before any request, never quoting the key", async () => {
	const httpRequestWithAuthentication = jest.fn();
	const context = (credentials: Record<string, unknown> | undefined) =>
		({
			getCredentials: async () => {
				if (!credentials) throw new Error('Node does not require credentials');
				return credentials;
			},
			getNode: () => ({ name: 'Bitrix24', type: 'bitrix24', typeVersion: 1, position: [0, 0], parameters: {}, ...(credentials ? { credentials: { bitrix24VibeApi: { id: '1', name: 'VibeCode' } } } : {}) }),
			helpers: { httpRequestWithAuthentication },
		}) as unknown as IExecuteFunctions;
	const management = openSession.call(context({ keyType: 'personal', apiKey: 'vibe_live_secretsecret', baseUrl: 'https://vibecode.bitrix24.tech' }));
	await expect(management).rejects.toThrow(/management key/);
	await expect(management).rejects.not.toThrow(/secretsecret/);
	await expect(openSession.call(context({ keyType: 'oauthApp', apiKey: 'vibe_api_k', baseUrl: 'https://vibecode.bitrix24.tech' }))).rejects.toThrow(/Set Key Type to Personal Key/);
	// No credential chosen (the Instant Trigger's is optional): the message names the credential, not n8n's "Node does not require credentials".
	const none = openSession.call(context(undefined));
	await expect(none).rejects.toThrow(NO_CREDENTIAL.message);
	await expect(none).rejects.toMatchObject({ description: NO_CREDENTIAL.hint });
	expect(httpRequestWithAuthentication).not.toHaveBeenCalled();
});

test('each key type shows its own API Key placeholder; Trigger Codes only for personal keys', () => {
	const keys = credential.properties.filter((p) => p.name === 'apiKey');
	expect(keys.map((p) => [p.placeholder, p.displayOptions])).toEqual([
		['vibe_api_…', { show: { keyType: ['personal'] } }],
		['vibe_app_…', { show: { keyType: ['oauthApp'] } }],
	]);
	expect(field('keyType').description).toMatch(/Personal Key .* suits most workflows/);
	expect(field('sessionToken').description).toMatch(/lasts about a day/);
	expect(field('triggerCodes').displayOptions).toEqual({ show: { keyType: ['personal'] } });
	expect(credential.documentationUrl).toBe('https://www.npmjs.com/package/n8n-nodes-bitrix24-vibecode#credentials');
});

test('the connection test is declarative (as n8n verification requires): one CRM read whose rules name every code it can meet', () => {
	const test = credential.test!;
	expect(test.request).toMatchObject({ method: 'GET', url: '/v1/deals', qs: { limit: 1, select: 'id' }, ignoreHttpStatusErrors: true });
	// No node carries a credential-test method any more: it would get only the deprecated helpers.request.
	for (const node of [new Bitrix24(), new Bitrix24Trigger()]) {
		expect(node.description.credentials).toEqual([{ name: 'bitrix24VibeApi', required: true }]);
		expect('credentialTest' in node.methods).toBe(false);
	}
	const rules = test.rules as Array<{ type: string; properties: { key: string; value: unknown; message: string } }>;
	expect(rules.every((rule) => rule.type === 'responseSuccessBody')).toBe(true);
	const byCode = new Map(rules.filter((r) => r.properties.key === 'error.code').map((r) => [r.properties.value, r.properties.message]));
	for (const code of CONNECTION_CODES) {
		expect(byCode.get(code)).toContain(`[${code}]`);
		expect(byCode.get(code)).toContain(code === 'TOKEN_MISSING' ? signInHint() : errorText(code).hint.split('.')[0]);
	}
	// The catch-all for a refusal comes last, after every code it would hide.
	expect(rules.at(-1)!.properties).toMatchObject({ key: 'success', value: false });
	expect(rules[0].properties).toMatchObject({ key: 'success', value: undefined, message: NO_VIBECODE_HERE });
});

test('the test request reaches /v1/deals from the Base URL as the node does: /v1 and trailing slashes dropped', () => {
	const expression = String(credential.test!.request.baseURL);
	expect(expression.startsWith('={{')).toBe(true);
	// The expression's JavaScript, evaluated as n8n would with $credentials in scope.
	const evaluate = new Function('$credentials', `return ${expression.slice(3, -2)};`) as (c: object) => string;
	expect(evaluate({ baseUrl: 'https://vibecode.bitrix24.tech' })).toBe('https://vibecode.bitrix24.tech');
	expect(evaluate({ baseUrl: ' http://127.0.0.1:5678/v1/ ' })).toBe('http://127.0.0.1:5678');
	expect(evaluate({ baseUrl: '' })).toBe('https://vibecode.bitrix24.tech');
});
