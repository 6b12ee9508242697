/** What the credential holds, checked before any request. */
import fc from 'fast-check';

import { apiRoot, baseUrlProblem, credentialProblem, readCredentials } from '../../../nodes/Bitrix24/transport/credentials';

const check = (raw: Record<string, unknown>) => credentialProblem(readCredentials({ keyType: 'personal', baseUrl: 'https://vibecode.bitrix24.tech', ...raw }));

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

describe('properties', () => {
	/** The rule, written independently of the code: https anywhere, http only to this machine, nothing but a host (and path). */
	const acceptable = (text: string): boolean => {
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			return false;
		}
		const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
		const safe = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
		return safe && !url.username && !url.password && !url.search && !url.hash;
	};
	const urls = fc.oneof(
		fc.webUrl({ validSchemes: ['https', 'http', 'ftp'], withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true } }),
		fc.webUrl(),
		fc.constantFrom('http://localhost:8787', 'http://127.0.0.1', 'http://127.1.2.3:9/', 'http://[::1]:80', 'https://vibecode.bitrix24.tech/'),
		fc.string(),
	);

	test('a base URL is accepted exactly when it is https, or http to this machine, with nothing but the host', () => {
		fc.assert(
			fc.property(urls, (url) => {
				const problem = baseUrlProblem(url);
				expect({ url, accepted: problem === undefined }).toEqual({ url, accepted: acceptable(url) });
				if (problem !== undefined) expect(problem).toMatch(/^The Base URL /);
			}),
			{ numRuns: 1000 },
		);
	});

	test('keys and tokens with whitespace inside are refused, surrounding whitespace is trimmed', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[A-Za-z0-9]{4,20}$/),
				fc.constantFrom(' ', '\n', '\t', '\r\n'),
				fc.constantFrom(' ', '\n', ''),
				(body, inside, around) => {
					const base = { keyType: 'personal', baseUrl: 'https://vibecode.bitrix24.tech' };
					expect(credentialProblem(readCredentials({ ...base, apiKey: `${around}vibe_api_${body}${around}` }))).toBeUndefined();
					expect(credentialProblem(readCredentials({ ...base, apiKey: `vibe_api_${body}${inside}${body}` }))).toMatch(/spaces or line breaks/);
					const problem = credentialProblem(readCredentials({ ...base, apiKey: `vibe_api_${body}${inside}x` })) ?? '';
					expect(problem).not.toContain(body);
				},
			),
			{ numRuns: 300 },
		);
	});
});
