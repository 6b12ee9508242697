/**
 * User → Get Many through n8n-core's WorkflowExecute against the sandbox: GET /v1/users with the filtering page's
 * `filter[…]` query parameters (the sandbox refuses any other field or operator), each filter, Active Yes / No / Any,
 * Return All across pages of 500 and Limit, the same output whichever spelling VibeCode answers, bad filters refused
 * by their labels before any request, the `user` scope, Continue On Fail and pairing.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { OLGA, askSandbox, oauthApp, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const getMany = (extra: IDataObject = {}): IDataObject => ({ resource: 'user', operation: 'getMany', ...extra });
const run = async (extra: IDataObject = {}) => await runNode({ parameters: getMany(extra), credentials: personal(sandbox) });
const ids = (items?: INodeExecutionData[]) => (items ?? []).map((item) => item.json.id);
const listed = () => sandbox.requests.filter((r) => r.path === '/v1/users');
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me');

test('by default the active users, sorted by ID, each once in camelCase, paired with the input item', async () => {
	const { items, error } = await run();
	expect(error).toBeUndefined();
	expect(ids(items)).toEqual([1, 7]);
	expect(items!.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	expect(items![1].json).toEqual(OLGA);
	expect(listed()).toHaveLength(1);
});

test.each([
	['yes', [1, 7]],
	['no', [9]],
	['any', [1, 7, 9]],
])('Active %s', async (active, expected) => {
	expect(ids((await run({ active })).items)).toEqual(expected);
});

test.each([
	['Email', { email: 'olga@sandbox.example' }, 'yes', [7]],
	['Email of a dismissed user, Active Any', { email: ' former@sandbox.example ' }, 'any', [9]],
	['Email of a dismissed user, Active Yes', { email: 'former@sandbox.example' }, 'yes', []],
	['Name in the first name', { name: 'olg' }, 'yes', [7]],
	['Name in the last name', { name: 'SALES' }, 'yes', [7]],
	// "Sandbox Owner" matches by both names, and is output once.
	['Name in both names of one user and in another', { name: 'o' }, 'any', [1, 7, 9]],
	['Name in nobody', { name: 'zzz' }, 'any', []],
	['Department ID', { departmentId: '5' }, 'any', [7, 9]],
	['Department ID as a number', { departmentId: 1 }, 'yes', [1]],
	['Department ID and Name', { departmentId: '5', name: 'employee' }, 'any', [9]],
	['every filter', { departmentId: '5', name: 'olga', email: 'olga@sandbox.example' }, 'yes', [7]],
] as const)('filter: %s', async (_label, filters, active, expected) => {
	const { items, error } = await run({ filters, active });
	expect(error).toBeUndefined();
	expect(ids(items)).toEqual(expected);
});

test('the same output whichever spelling VibeCode answers in (camelCase, upper case, both)', async () => {
	const outputs = [];
	for (const usersShape of ['twins', 'camel', 'upper'] as const) {
		sandbox.configure({ usersShape });
		outputs.push((await run({ active: 'any' })).items!.map((item) => item.json));
	}
	expect(outputs[1]).toEqual(outputs[0]);
	expect(outputs[2]).toEqual(outputs[0]);
	expect(outputs[0].flatMap((user) => Object.keys(user)).filter((name) => /[A-Z]{2}/.test(name))).toEqual([]);
});

describe('paging', () => {
	test('Return All: every user across pages of 500, each once, in ID order', async () => {
		sandbox.seedUsers(1200);
		const { items } = await run({ returnAll: true });
		expect(items).toHaveLength(1202);
		expect(new Set(ids(items)).size).toBe(1202);
		expect(ids(items)).toEqual([...ids(items)].sort((a, b) => Number(a) - Number(b)));
		expect(listed()).toHaveLength(3);
	});

	test('Return All with Name: both lists paged to the end, merged by ID', async () => {
		sandbox.seedUsers(1100, (i) => ({ name: i % 2 ? 'Anna' : 'Boris', lastName: i % 3 ? 'Test' : 'Annaberg' }));
		const { items } = await run({ returnAll: true, filters: { name: 'anna' } });
		const expected = Array.from({ length: 1100 }, (_, i) => i).filter((i) => i % 2 || !(i % 3)).map((i) => 1001 + i);
		expect(ids(items)).toEqual(expected);
		// Anna: 550 (two pages); Annaberg: 367 (one page).
		expect(listed()).toHaveLength(3);
	});

	test('Limit above a page: the pages add up to the limit exactly', async () => {
		sandbox.seedUsers(1200);
		const { items } = await run({ returnAll: false, limit: 600 });
		expect(items).toHaveLength(600);
		expect(ids(items).slice(0, 3)).toEqual([1, 7, 1001]);
		expect(listed()).toHaveLength(2);
	});

	test('Limit 1', async () => {
		expect(ids((await run({ limit: 1 })).items)).toEqual([1]);
	});
});

test.each([
	[{ email: 'olga@' }, /^Filters → Email must be an e-mail address; got "olga@"/],
	[{ email: 'olga sandbox.example' }, /^Filters → Email must be an e-mail address/],
	[{ departmentId: 'sales' }, /^Filters → Department ID must be a positive whole number; got "sales"/],
	[{ departmentId: '-1' }, /^Filters → Department ID must be a positive whole number/],
])('bad filter %j is refused by its label before any request', async (filters, message) => {
	const { error } = await run({ filters });
	expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(sent()).toEqual([]);
});

test('the sandbox holds the node to the documented filter: another field, an unknown operator or sort are refused', async () => {
	await expect(askSandbox(sandbox, 'GET', '/v1/users?filter[EMAIL]=olga@sandbox.example')).resolves.toMatchObject({ error: { code: 'INVALID_FILTER_FIELD' } });
	await expect(askSandbox(sandbox, 'GET', '/v1/users?filter[name][$like]=ol')).resolves.toMatchObject({ error: { code: 'INVALID_FILTER_OPERATOR' } });
	await expect(askSandbox(sandbox, 'GET', '/v1/users?order[ID]=asc')).resolves.toMatchObject({ error: { code: 'UNKNOWN_SORT_FIELD' } });
});

test("a key without the 'user' scope: 403 SCOPE_DENIED naming the user scope", async () => {
	const { error } = await runNode({ parameters: getMany(), credentials: oauthApp(sandbox) });
	expect(error).toMatchObject({ message: "The key lacks the 'user' scope [SCOPE_DENIED]", httpCode: '403' });
});

test('Continue On Fail: a bad e-mail fails its own item before any request; the others list their users, each paired with its input', async () => {
	const { items, error } = await runNode({
		parameters: getMany({ active: 'any', filters: { email: '={{ $json.email }}' } }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ email: 'olga@sandbox.example' }, { email: 'not-an-address' }, { email: 'former@sandbox.example' }, { email: 'nobody@sandbox.example' }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.id ?? item.json.code, item.pairedItem])).toEqual([
		[7, { item: 0 }],
		['INVALID_PARAMETER', { item: 1 }],
		[9, { item: 2 }],
	]);
	expect(listed()).toHaveLength(3);
});
