import { Bitrix24VibeApi } from '../../credentials/Bitrix24VibeApi.credentials';
import { apiRoot, credentialProblem, readCredentials } from '../../nodes/Bitrix24/transport/credentials';
import { scrub } from '../../nodes/Bitrix24/transport';

const credential = new Bitrix24VibeApi();
const check = (raw: Record<string, unknown>) => credentialProblem(readCredentials({ keyType: 'personal', baseUrl: 'https://vibecode.bitrix24.tech', ...raw }));

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

test.each([
	[{ apiKey: 'vibe_api_ok' }, undefined],
	[{ keyType: 'oauthApp', apiKey: 'vibe_app_ok', sessionToken: 'vibe_session_ok' }, undefined],
	[{ keyType: 'oauthApp', apiKey: 'vibe_app_partner' }, undefined],
	[{ apiKey: 'vibe_api_ok', baseUrl: 'http://127.0.0.1:8787' }, undefined],
	[{ apiKey: 'vibe_api_ok', baseUrl: 'http://localhost:8787/' }, undefined],
	[{ apiKey: '' }, /no API key/],
	[{ apiKey: 'vibe_api_a b' }, /spaces or line breaks/],
	[{ apiKey: 'sk-123' }, /does not look like a VibeCode key/],
	[{ apiKey: 'vibe_mgmt_x' }, /management key/],
	[{ apiKey: 'vibe_app_x' }, /OAuth Application/],
	[{ keyType: 'oauthApp', apiKey: 'vibe_api_x' }, /Personal Key/],
	[{ keyType: 'oauthApp', apiKey: 'vibe_app_x', sessionToken: 'vibe_app_x' }, /holds an API key/],
	[{ keyType: 'oauthApp', apiKey: 'vibe_app_x', sessionToken: 'vibe_session_a\tb' }, /session token contains spaces/],
	[{ apiKey: 'vibe_api_x', baseUrl: 'vibecode.bitrix24.tech' }, /not a valid address/],
	[{ apiKey: 'vibe_api_x', baseUrl: 'http://10.0.0.5' }, /must use https/],
	[{ apiKey: 'vibe_api_x', baseUrl: 'javascript:alert(1)' }, /must start with https/],
	[{ apiKey: 'vibe_api_x', baseUrl: 'https://user:pw@vibecode.bitrix24.tech' }, /just the host/],
])('%p → %p', (raw, problem) => {
	const result = check(raw);
	if (problem === undefined) expect(result).toBeUndefined();
	else expect(result).toMatch(problem);
});

test('the API root drops trailing slashes and /v1', () => {
	expect(apiRoot('https://vibecode.bitrix24.tech/')).toBe('https://vibecode.bitrix24.tech');
	expect(apiRoot('https://vibecode.bitrix24.tech/v1/')).toBe('https://vibecode.bitrix24.tech');
});

test('scrub removes the given secrets and anything shaped like a VibeCode key', () => {
	expect(scrub('key=abc123 token vibe_session_zzz and vibe_api_qqq', ['abc123'])).toBe('key=*** token vibe_session_*** and vibe_api_***');
});
