/**
 * Notification → Send through n8n-core's WorkflowExecute against the sandbox: POST /v1/notifications with the body of
 * VibeCode's recipe, the user checked once per run against the portal's users (unknown or dismissed users refused by
 * name, unsent), the `im` scope and read-only keys in plain words, bad input refused by its label before any request,
 * never sent twice after an unknown outcome, the unverifiable notification said per item and once per run,
 * Continue On Fail and pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { NOTIFICATION_WARNING } from '../../../../nodes/Bitrix24/actions/notification/send.operation';
import { loadNodeOptions, runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const notify = (userId: unknown, message: unknown = 'Payment received for [b]Website redesign[/b]', options: IDataObject = {}): IDataObject => ({
	resource: 'notification',
	operation: 'send',
	userId: userId as IDataObject[string],
	message: message as IDataObject[string],
	options: { maxWait: 5, ...options },
});
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path}`);
const stored = () => sandbox.store<{ notifications: Array<{ userId: number; message: string; type: string }> }>('im').notifications;
const hints = (run: Awaited<ReturnType<typeof runNode>>['run']) => run.data.resultData.runData.Bitrix24?.[0]?.hints ?? [];

test('notifies the user: the recipe\'s body, the ID answered, the user named, said to be unverifiable once per run', async () => {
	const { items, error, run } = await runNode({ parameters: notify('7'), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
		[
			{
				success: true,
				notificationId: 3001,
				userId: 7,
				userName: 'Olga Sales',
				message: 'Payment received for [b]Website redesign[/b]',
				verified: false,
				verification: 'Not verified: VibeCode answered notification ID 3001; VibeCode documents no way to read a notification back',
			},
			{ item: 0 },
		],
	]);
	expect(stored()).toEqual([expect.objectContaining({ userId: 7, message: 'Payment received for [b]Website redesign[/b]', type: 'system' })]);
	expect(sent()).toEqual(['GET /v1/users', 'POST /v1/notifications']);
	expect(hints(run)).toEqual([{ message: NOTIFICATION_WARNING, type: 'warning', location: 'outputPane' }]);
});

test('the User dropdown lists the active users, and no "(Not Set)": a notification needs someone to go to', async () => {
	const options = await loadNodeOptions('getUsers', { parameters: notify(''), credentials: personal(sandbox) });
	expect(options).toEqual([
		{ name: 'Sandbox Owner (owner@sandbox.example)', value: 1 },
		{ name: 'Olga Sales (olga@sandbox.example)', value: 7 },
	]);
});

test("a deal's responsible person by expression, for each item: one list of users for the run, one notification each", async () => {
	const { items } = await runNode({
		parameters: notify('={{ $json.assignedById }}', '=Deal {{ $json.title }} is won'),
		credentials: personal(sandbox),
		input: [
			{ title: 'Website redesign', assignedById: 7 },
			{ title: 'Office chairs', assignedById: '1' },
		],
	});
	expect(items!.map((item) => [item.json.userId, item.json.userName, item.json.message, item.pairedItem])).toEqual([
		[7, 'Olga Sales', 'Deal Website redesign is won', { item: 0 }],
		[1, 'Sandbox Owner', 'Deal Office chairs is won', { item: 1 }],
	]);
	expect(sent()).toEqual(['GET /v1/users', 'POST /v1/notifications', 'POST /v1/notifications']);
});

test.each([
	['an object', 'object', 3001],
	['true', 'true', null],
])('an answer of %s: the notification ID, or none', async (_label, notificationAnswer, notificationId) => {
	sandbox.configure({ notificationAnswer });
	const { items } = await runNode({ parameters: notify(7), credentials: personal(sandbox) });
	expect(items![0].json).toMatchObject({ success: true, notificationId, verified: false });
	if (notificationId === null) expect(items![0].json.verification).toBe('Not verified: VibeCode accepted the notification; VibeCode documents no way to read a notification back');
});

test.each([
	['User', 'abc', 'x', /^User must be a portal user's ID, a positive whole number; got "abc"/],
	['User', '={{ "" }}', 'x', /^User must be a portal user's ID, a positive whole number; got ""/],
	['User', '={{ $json.nothing }}', 'x', /^User must be a portal user's ID, a positive whole number; got nothing/],
	['User', '7.5', 'x', /^User must be a portal user's ID/],
	['Message', 7, '={{ "" }}', /^Message is empty; got ""/],
	['Message', 7, '   ', /^Message is empty; got "   "/],
])('%s %j / %j is refused by its label before any request (an empty required field n8n itself refuses)', async (_label, userId, message, expected) => {
	const { error } = await runNode({ parameters: notify(userId, message), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(expected), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(error!.description).toMatch(/Nothing was sent for this item/);
	expect(sent()).toEqual([]);
});

test('a user the portal does not have is refused by the check, unsent', async () => {
	const { error } = await runNode({ parameters: notify(42), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'User 42 is not a user of this portal', context: expect.objectContaining({ vibeCode: 'UNKNOWN_USER' }) });
	expect(error!.description).toMatch(/^Choose the user from the list.*Nothing was sent for this item\.$/);
	expect(sent()).toEqual(['GET /v1/users']);
});

test('a dismissed user is refused by name, unsent', async () => {
	const { error } = await runNode({ parameters: notify(9), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'User "Former Employee (9)" is inactive (dismissed) on this portal', context: expect.objectContaining({ vibeCode: 'INACTIVE_USER' }) });
	expect(error!.description).toMatch(/Choose an active user.*reassign the record in Bitrix24\. Nothing was sent for this item\.$/);
	expect(stored()).toEqual([]);
});

test("with more users than one page the check cannot tell; VibeCode's refusal names the user", async () => {
	sandbox.seedUsers(600);
	const { error } = await runNode({ parameters: notify(4242), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'Bitrix24 refused the notification to user 4242 [BITRIX_ERROR]', httpCode: '422' });
	expect(error!.description).toMatch(/VibeCode said: Notification recipient not found\./);
});

test('when the users cannot be read, the notification is sent unchecked (a key may have im without user)', async () => {
	sandbox.addFault({ kind: 'error', status: 403, code: 'SCOPE_DENIED', message: "This endpoint requires 'user' scope", method: 'GET', path: '/v1/users' });
	const { items, error } = await runNode({ parameters: notify(7), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ success: true, userId: 7, userName: null });
	expect(stored()).toHaveLength(1);
});

test("a key without the 'im' scope: the scope to add is named", async () => {
	const { error } = await runNode({ parameters: notify(7), credentials: { ...personal(sandbox), apiKey: sandbox.keys.noCrm } });
	expect(error).toMatchObject({ message: "The key lacks the 'im' scope [SCOPE_DENIED]", httpCode: '403' });
	expect(error!.description).toMatch(/^Re-issue the key with the 'im' scope ticked/);
	expect(error!.description).toMatch(/VibeCode said: This endpoint requires 'im' scope\./);
});

test("a scope added after the key was issued (BITRIX_ACCESS_DENIED): re-issue the key", async () => {
	sandbox.addFault({ kind: 'error', status: 403, code: 'BITRIX_ACCESS_DENIED', message: 'Access denied', method: 'POST', path: '/v1/notifications' });
	const { error } = await runNode({ parameters: notify(7), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'Bitrix24 refused to send the notification [BITRIX_ACCESS_DENIED]' });
	expect(error!.description).toMatch(/If the 'im' scope was added to the key after it was issued, re-issue the key/);
});

test('a read-only key', async () => {
	const { error } = await runNode({ parameters: notify(7), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
	expect(error).toMatchObject({ message: 'The key is read-only and cannot send a notification [WRITE_BLOCKED_READONLY_KEY]', httpCode: '403' });
});

test.each([
	['a broken connection after VibeCode acted', { kind: 'reset', afterProcessing: true } as const, 'CONNECTION_RESET', 1],
	['a 500 INTERNAL_ERROR', { kind: 'error', status: 500, code: 'INTERNAL_ERROR' } as const, 'INTERNAL_ERROR', 0],
])('%s: not sent again (a create), and the user told to look before re-running', async (_label, fault, code, notifications) => {
	sandbox.addFault({ ...fault, method: 'POST', path: '/v1/notifications' });
	const { error } = await runNode({ parameters: notify(7, 'x', { maxRetries: 3 }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ context: expect.objectContaining({ vibeCode: code }) });
	expect(error!.description).toMatch(/The notification may already have been sent, so the node did not send it again\. Check in Bitrix24 before running again\./);
	expect(sent().filter((request) => request === 'POST /v1/notifications')).toHaveLength(1);
	expect(stored()).toHaveLength(notifications);
});

test('a rate limit is waited out: VibeCode turned it away unsent, so it is sent again, once stored', async () => {
	sandbox.addFault({ kind: 'error', status: 429, code: 'RATE_LIMITED', retryAfter: 0, method: 'POST', path: '/v1/notifications' });
	const { items } = await runNode({ parameters: notify(7), credentials: personal(sandbox) });
	expect(items![0].json).toMatchObject({ success: true });
	expect(sent().filter((request) => request === 'POST /v1/notifications')).toHaveLength(2);
	expect(stored()).toHaveLength(1);
});

test('Continue On Fail: an unknown user, a bad ID and a dismissed user fail their own items; the others are sent, each paired', async () => {
	const { items, error, run } = await runNode({
		parameters: notify('={{ $json.id }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 7 }, { id: 42 }, { id: 'abc' }, { id: 9 }, { id: 1 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.success ?? item.json.code, item.pairedItem])).toEqual([
		[true, { item: 0 }],
		['UNKNOWN_USER', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		['INACTIVE_USER', { item: 3 }],
		[true, { item: 4 }],
	]);
	expect(items![1].json).toMatchObject({ error: 'User 42 is not a user of this portal', userId: 42 });
	expect(items![2].json).toMatchObject({ userId: 'abc', message: 'Payment received for [b]Website redesign[/b]' });
	expect(stored().map((notification) => notification.userId)).toEqual([7, 1]);
	expect(sent()).toEqual(['GET /v1/users', 'POST /v1/notifications', 'POST /v1/notifications']);
	expect(hints(run)).toHaveLength(1);
});

test('nothing sent: no warning', async () => {
	const { run } = await runNode({ parameters: notify(42), credentials: personal(sandbox), continueOnFail: true });
	expect(hints(run)).toEqual([]);
});
