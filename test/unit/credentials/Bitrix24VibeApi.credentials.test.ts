/** The credential type: its fields, how it signs requests, and which connection test n8n runs. */
import { Bitrix24VibeApi } from '../../../credentials/Bitrix24VibeApi.credentials';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';

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

test("the connection test is the node's credentialTest method: the credential has no test request that would win over it", () => {
	expect('test' in credential).toBe(false);
	const node = new Bitrix24();
	expect(node.description.credentials).toEqual([{ name: 'bitrix24VibeApi', required: true, testedBy: 'testConnection' }]);
	expect(typeof node.methods.credentialTest.testConnection).toBe('function');
});
