/** The credential type: its fields, how it signs requests, and which connection test n8n runs. */
import { Bitrix24VibeApi } from '../../../credentials/Bitrix24VibeApi.credentials';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../../nodes/Bitrix24/Bitrix24Trigger.node';
import { errorText, signInHint } from '../../../nodes/Bitrix24/errors';
import { CONNECTION_CODES, NO_VIBECODE_HERE } from '../../../nodes/Bitrix24/transport/connectionTest';

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

test('authenticate adds X-Api-Key for a personal key, and Bearer only for an OAuth application', async () => {
	const personal = await credential.authenticate({ keyType: 'personal', apiKey: ' vibe_api_k1 ', sessionToken: 'vibe_session_ignored', baseUrl: 'https://vibecode.bitrix24.tech' }, { url: '/v1/me', headers: { Accept: 'application/json' } });
	expect(personal.headers).toEqual({ Accept: 'application/json', 'X-Api-Key': 'vibe_api_k1' });
	const app = await credential.authenticate({ keyType: 'oauthApp', apiKey: 'vibe_app_k2', sessionToken: 'vibe_session_s2\n', baseUrl: 'https://vibecode.bitrix24.tech' }, { url: '/v1/me' });
	expect(app.headers).toEqual({ 'X-Api-Key': 'vibe_app_k2', Authorization: 'Bearer vibe_session_s2' });
});

test('authenticate refuses a contradicting key with a clear message that never quotes it', async () => {
	const attempt = credential.authenticate({ keyType: 'personal', apiKey: 'vibe_live_secretsecret', baseUrl: 'https://vibecode.bitrix24.tech' }, { url: '/v1/me' });
	await expect(attempt).rejects.toThrow(/management key/);
	await expect(attempt).rejects.not.toThrow(/secretsecret/);
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
