/**
 * User → Get Current through n8n-core's WorkflowExecute against the sandbox: what GET /v1/me says about whom the key
 * acts for, without anything key-like (the key's prefix, auth recipe, the application's sign-in links), for both key
 * types (no `user` scope needed), one output per input item, paired.
 */
import { runNode } from '../../../helpers/engine';
import { oauthApp, personal, serialise } from '../../../helpers/fixtures';
import { createSandbox, KEY_USER } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const parameters = { resource: 'user', operation: 'getCurrent' };

test('a personal key: its owner as the user, the portal, scopes, access mode and expiry', async () => {
	const { items, error } = await runNode({ parameters, credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
		[
			{
				userId: KEY_USER,
				type: 'personal',
				portal: sandbox.portal,
				// The personal key's scopes, whatever else the sandbox grants it.
				scopes: expect.arrayContaining(['crm', 'user']),
				accessMode: 'READWRITE',
				expiresAt: null,
				owner: { name: 'Sandbox Owner', userId: KEY_USER },
				rateLimit: { requestsPerSecond: 10 },
			},
			{ item: 0 },
		],
	]);
	expect(new Set(sandbox.requests.map((r) => r.path))).toEqual(new Set(['/v1/me']));
});

test("an application key (no 'user' scope needed): the application, never its sign-in links or anything key-like", async () => {
	const { items, error } = await runNode({ parameters, credentials: oauthApp(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toEqual({ type: 'oauth_app', portal: sandbox.portal, scopes: ['crm'], accessMode: 'READWRITE', expiresAt: null, app: { title: 'Sandbox App', id: 'app-1' }, rateLimit: { requestsPerSecond: 10 } });
	const shown = serialise(items);
	expect(shown).not.toMatch(/authorizeUrl|tokenUrl|\/v1\/oauth|vibe_(api|app|session)_/);
	expect(shown).not.toContain(sandbox.keys.app);
});

test('one output per input item, each paired with it', async () => {
	const { items } = await runNode({ parameters, credentials: personal(sandbox), input: [{ a: 1 }, { a: 2 }] });
	expect(items!.map((item) => [item.json.userId, item.pairedItem])).toEqual([
		[KEY_USER, { item: 0 }],
		[KEY_USER, { item: 1 }],
	]);
});

test('a failure of /v1/me in the error table\'s words; with Continue On Fail an error item per input item', async () => {
	sandbox.addFault({ kind: 'error', path: '/v1/me', status: 401, code: 'KEY_INACTIVE', message: 'API key is revoked or expired', times: 2 });
	const { items, error } = await runNode({ parameters, credentials: personal(sandbox), continueOnFail: true, input: [{}, {}] });
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.code, item.pairedItem])).toEqual([
		['KEY_INACTIVE', { item: 0 }],
		['KEY_INACTIVE', { item: 1 }],
	]);
});
