/** The credential type: its fields, how it signs requests, and how n8n's connection test reads VibeCode's answers. */
import { Bitrix24VibeApi } from '../../../credentials/Bitrix24VibeApi.credentials';
import { ERROR_TABLE } from '../../../nodes/Bitrix24/errors';

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

test('the connection test asks /v1/me for a personal key and the trigger list for an application', () => {
	expect(credential.test.request.url).toBe('={{$credentials.keyType === "oauthApp" ? "/v1/triggers" : "/v1/me"}}');
	expect(credential.test.request.ignoreHttpStatusErrors).toBe(true);
});

test("the connection test shows VibeCode's reason and the fix from the error table", () => {
	const rules = credential.test.rules as Array<{ properties: { key: string; value: unknown; message: string } }>;
	const byCode = rules.filter((rule) => rule.properties.key === 'error.code');
	expect(byCode.length).toBeGreaterThan(10);
	for (const { properties } of byCode) {
		const text = ERROR_TABLE[properties.value as string];
		expect(properties.message).toBe(`${text.message} [${properties.value}]. ${text.hint}`);
	}
	expect(byCode.map(({ properties }) => properties.value)).toEqual(expect.arrayContaining(['INVALID_API_KEY', 'TOKEN_EXPIRED', 'SCOPE_DENIED']));
});
