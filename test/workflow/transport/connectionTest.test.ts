/**
 * The credential's declarative connection test, run as n8n's credentials tester runs it (n8n-core's RoutingNode,
 * the credential's `authenticate`, then the rules) against the sandbox: every outcome a user can meet.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { connectionMessage } from '../../../nodes/Bitrix24/transport/connectionTest';
import { testCredential } from '../../helpers/engine';
import { oauthApp, personal, serialise } from '../../helpers/fixtures';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const run = async (data: ICredentialDataDecryptedObject) => await testCredential(data);
const OK = { status: 'OK', message: 'Connection successful!' };

test('a personal key with crm and an OAuth application with a live session pass, after one CRM read', async () => {
	expect(await run(personal(sandbox))).toEqual(OK);
	expect(await run(oauthApp(sandbox))).toEqual(OK);
	expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/deals', 'GET /v1/deals']);
});

test('a Base URL pasted with /v1 or a trailing slash still reaches the API', async () => {
	expect(await run({ ...personal(sandbox), baseUrl: `${sandbox.url}/v1/` })).toEqual(OK);
	expect(await run({ ...personal(sandbox), baseUrl: `${sandbox.url}/` })).toEqual(OK);
});

test('a key without the crm scope fails, naming the scope and how to get a key that has it', async () => {
	const result = await run({ ...personal(sandbox), apiKey: sandbox.keys.noCrm });
	expect(result).toEqual({
		status: 'Error',
		message: "The key lacks the 'crm' scope [SCOPE_DENIED]. Re-issue the key with the 'crm' scope ticked (scopes are fixed when a key is created) and paste it into the credential.",
	});
});

test('an OAuth application key without a session is told where the sign-in link is and what to paste back', async () => {
	const result = await run(oauthApp(sandbox, ''));
	expect(result).toEqual({
		status: 'Error',
		message:
			"The OAuth application key needs a user session [TOKEN_MISSING]. Open your application's sign-in link (in the VibeCode dashboard under Applications → your application), sign in to Bitrix24, allow the application, and paste the session token it shows (vibe_session_…) into the credential's Session Token. A session lasts about a day. A Bitrix24 node run with this credential shows the link itself.",
	});
});

test('an expired or foreign session says so', async () => {
	expect((await run(oauthApp(sandbox, sandbox.keys.expiredSession))).message).toMatch(/^The OAuth user session has expired \[TOKEN_EXPIRED\]\. Open your application's sign-in link/);
	expect((await run(oauthApp(sandbox, sandbox.keys.otherAppSession))).message).toMatch(/^The session token belongs to a different application than the key \[SESSION_APP_MISMATCH\]\./);
});

test("unknown and revoked keys fail with the table's message, VibeCode's code and the fix, never quoting the key", async () => {
	const unknown = await run({ ...personal(sandbox), apiKey: 'vibe_api_wrong_secret_key' });
	expect(unknown).toEqual({ status: 'Error', message: expect.stringMatching(/^VibeCode does not recognise this API key \[INVALID_API_KEY\]\. The key is wrong/) });
	expect(serialise(unknown)).not.toContain('wrong_secret_key');
	expect((await run({ ...personal(sandbox), apiKey: sandbox.keys.revoked })).message).toMatch(/^The API key has been revoked or has expired \[KEY_INACTIVE\]\. Create a new key/);
});

test('a read-only key and a key expiring soon pass: a run says what matters about them', async () => {
	expect(await run({ ...personal(sandbox), apiKey: sandbox.keys.readonly })).toEqual(OK);
	expect(await run({ ...personal(sandbox), apiKey: sandbox.keys.expiringSoon })).toEqual(OK);
});

test("a wrong Base URL fails saying no VibeCode API answered there; a pasted management key gets VibeCode's refusal", async () => {
	const noVibeCode = {
		status: 'Error',
		message: 'No VibeCode API answered at this Base URL. Use https://vibecode.bitrix24.tech (without /v1), or your sandbox address.',
	};
	// A VibeCode host without that route (its 404 envelope), and a web server that is not VibeCode at all.
	expect(await run({ ...personal(sandbox), baseUrl: `${sandbox.url}/nothing-here/x` })).toEqual(noVibeCode);
	const other = http.createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not here</h1>'));
	await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
	try {
		expect(await run({ ...personal(sandbox), baseUrl: `http://127.0.0.1:${(other.address() as AddressInfo).port}` })).toEqual(noVibeCode);
	} finally {
		await new Promise((resolve) => other.close(resolve));
	}
	sandbox.reset();
	// The credential's `authenticate` is declarative (so n8n's HTTP Request node can use it) and cannot refuse a key:
	// the test sends it, and VibeCode's code gets the table's text. A Bitrix24 node's run refuses it before sending.
	expect(await run({ ...personal(sandbox), apiKey: sandbox.keys.management })).toEqual({ status: 'Error', message: connectionMessage('MANAGEMENT_KEY_NO_ENTITY_ACCESS') });
	expect(sandbox.requests).toEqual([expect.objectContaining({ path: '/v1/deals', status: 403 })]);
});
