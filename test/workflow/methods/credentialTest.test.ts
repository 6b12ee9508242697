/**
 * The connection test (the node's credentialTest method) through n8n-core's CredentialTestContext, as n8n's
 * credentials tester runs it, against the sandbox: every outcome a user can meet.
 */
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { testConnection } from '../../../nodes/Bitrix24/methods/credentialTest';
import { oauthApp, personal, serialise } from '../../helpers/fixtures';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const run = async (data: ICredentialDataDecryptedObject) =>
	await testConnection.call(new CredentialTestContext(), { id: 'cred-1', name: 'VibeCode', type: 'bitrix24VibeApi', data });

test('a personal key with crm and an OAuth application with a live session pass', async () => {
	expect(await run(personal(sandbox))).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(await run(oauthApp(sandbox))).toEqual({ status: 'OK', message: 'Connection successful!' });
});

test("a key without the crm scope fails, naming the scope and how to get a key that has it", async () => {
	const result = await run({ ...personal(sandbox), apiKey: sandbox.keys.noCrm });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^The key lacks the 'crm' scope, .*\(it has: task\)\. Scopes are fixed when a key is created: create a new key .* with 'crm' ticked/);
});

test('a read-only key passes and says Fire will be refused', async () => {
	const result = await run({ ...personal(sandbox), apiKey: sandbox.keys.readonly });
	expect(result).toEqual({ status: 'OK', message: expect.stringMatching(/^Connection successful\. The key is read-only: .* Fire will be refused/) });
});

test('a key expiring within 7 days passes and says when it expires', async () => {
	const result = await run({ ...personal(sandbox), apiKey: sandbox.keys.expiringSoon });
	expect(result).toEqual({ status: 'OK', message: expect.stringMatching(/^Connection successful\. The key expires on \d{4}-\d\d-\d\d \(in 3 days\)\. Create a new key/) });
});

test('an OAuth application key without a session gets the full sign-in link and what to paste back', async () => {
	const result = await run(oauthApp(sandbox, ''));
	expect(result).toEqual({
		status: 'Error',
		message: `The OAuth application key needs a user session. Open ${sandbox.url}/v1/oauth/authorize?app=app-1 in your browser, sign in to Bitrix24, allow the application, and paste the session token it shows (vibe_session_…) into Session Token. A session lasts about a day; then do the same again.`,
	});
});

test('the sign-in link opens a page with the session token to paste, which then passes the test', async () => {
	const result = await run(oauthApp(sandbox, ''));
	const link = /Open (\S+) in your browser/.exec(result.message)?.[1];
	expect(link).toBe(`${sandbox.url}/v1/oauth/authorize?app=app-1`);
	const page = await fetch(link!);
	expect(page.status).toBe(200);
	const token = /<code id="session-token">([^<]+)<\/code>/.exec(await page.text())?.[1];
	expect(token).toMatch(/^vibe_session_/);
	expect(await run(oauthApp(sandbox, token!))).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect((await fetch(`${sandbox.url}/v1/oauth/authorize?app=app-404`)).status).toBe(404);
});

test('an expired or foreign session says so and gives the same link', async () => {
	const expired = await run(oauthApp(sandbox, sandbox.keys.expiredSession));
	expect(expired.message).toMatch(new RegExp(`^The OAuth user session has expired\\. Open ${sandbox.url}/v1/oauth/authorize`));
	const foreign = await run(oauthApp(sandbox, sandbox.keys.otherAppSession));
	expect(foreign.message).toMatch(/^The session token belongs to a different application than the key\. Open /);
});

test("unknown and revoked keys fail with the table's message and fix, never quoting the key", async () => {
	const unknown = await run({ ...personal(sandbox), apiKey: 'vibe_api_wrong_secret_key' });
	expect(unknown.message).toMatch(/^VibeCode does not recognise this API key \[INVALID_API_KEY\]\. The key is wrong/);
	expect(serialise(unknown)).not.toContain('wrong_secret_key');
	const revoked = await run({ ...personal(sandbox), apiKey: sandbox.keys.revoked });
	expect(revoked.message).toMatch(/\[KEY_INACTIVE\]/);
});

test('a wrong Base URL or a pasted management key fails before or without a VibeCode answer', async () => {
	expect((await run({ ...personal(sandbox), baseUrl: `${sandbox.url}/nothing-here/x` })).message).toMatch(/^No VibeCode API answered at this Base URL/);
	expect((await run({ ...personal(sandbox), apiKey: sandbox.keys.management })).message).toMatch(/management key/);
});
