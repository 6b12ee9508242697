/**
 * User → Get through n8n-core's WorkflowExecute against the sandbox: GET /v1/users/{id}, the user with every field once
 * in camelCase whichever spelling VibeCode answers, a missing user named, the `user` scope, a bad ID refused by its
 * label before any request, Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { OLGA, oauthApp, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const get = (userId: unknown): IDataObject => ({ resource: 'user', operation: 'get', userId: userId as IDataObject[string] });
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path}`);


describe.each([
	['camelCase with upper-case twins', 'twins', 'object'],
	['camelCase only', 'camel', 'object'],
	['upper case only', 'upper', 'object'],
	['a one-entry list', 'twins', 'array'],
	['a one-entry list in upper case', 'upper', 'array'],
] as const)('answered in %s', (_label, usersShape, userGet) => {
	beforeEach(() => sandbox.configure({ usersShape, userGet }));

	test('the user, each field once in camelCase, the ID a number, paired with its item', async () => {
		const { items, error } = await runNode({ parameters: get('7'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([[OLGA, { item: 0 }]]);
		expect(sent()).toEqual(['GET /v1/users/7']);
	});

	test('a missing user: the not-found text names "user 42"', async () => {
		const { error } = await runNode({ parameters: get(42), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'The portal has no user 42 [NOT_FOUND]', httpCode: '404', context: expect.objectContaining({ vibeCode: 'NOT_FOUND' }) });
		expect(error!.description).toMatch(/Check the User ID/);
	});
});

test('the ID as a number or an expression giving "#7"', async () => {
	for (const userId of [7, '={{ "#" + 7 }}', ' 7 ']) {
		const { items } = await runNode({ parameters: get(userId), credentials: personal(sandbox) });
		expect(items!.map((item) => item.json.id)).toEqual([7]);
	}
});

test.each([['abc'], ['0'], ['7.5'], ['={{ "" }}'], ['https://sandbox.bitrix24.com/company/personal/user/7/']])('User ID %j is refused by its label before any request', async (userId) => {
	const { error } = await runNode({ parameters: get(userId), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(/^User ID must be a positive whole number; got /), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(error!.description).toMatch(/Nothing was sent for this item/);
	expect(sent()).toEqual([]);
});

test("a key without the 'user' scope (the application key has only crm): 403 SCOPE_DENIED naming the user scope", async () => {
	const { error } = await runNode({ parameters: get(7), credentials: oauthApp(sandbox) });
	expect(error).toMatchObject({ message: "The key lacks the 'user' scope [SCOPE_DENIED]", httpCode: '403', context: expect.objectContaining({ vibeCode: 'SCOPE_DENIED' }) });
	expect(error!.description).toMatch(/'user' scope ticked/);
});

test('Continue On Fail: a missing user and a bad ID fail their own items; the others are read, each paired with its input', async () => {
	const { items, error } = await runNode({
		parameters: get('={{ $json.id }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 7 }, { id: 42 }, { id: 'abc' }, { id: 1 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.id ?? item.json.code, item.pairedItem])).toEqual([
		[7, { item: 0 }],
		['NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		[1, { item: 3 }],
	]);
	expect(items![1].json).toMatchObject({ error: 'The portal has no user 42 [NOT_FOUND]', userId: 42 });
	expect(items![2].json.error).toMatch(/^User ID must be a positive whole number; got "abc"/);
	// The bad ID was refused before anything was sent; the others each once.
	expect(sent()).toEqual(['GET /v1/users/7', 'GET /v1/users/42', 'GET /v1/users/1']);
});
