/**
 * Chat Message → Send through n8n-core's WorkflowExecute against the sandbox: POST /v1/chats/:dialogId/messages
 * `{ message }` to a user, a group chat and a CRM record's chat (found with GET /v1/chats/find), each message read
 * back from its chat (Read Back), users checked once per run, the documented errors in the recipient's words, bad
 * input refused by its label before any request, never sent twice after an unknown outcome, Continue On Fail and
 * pairing.
 */
import type { IDataObject } from 'n8n-workflow';

import { READ_BACK_FAILED, READ_BACK_OFF } from '../../../../nodes/Bitrix24/actions/chatMessage/send.operation';
import { runNode } from '../../../helpers/engine';
import { personal, startProxy } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const MESSAGE = 'Payment received for [b]Website redesign[/b]: please arrange delivery';
const chat = (parameters: IDataObject, options: IDataObject = {}): IDataObject => ({
	resource: 'chatMessage',
	operation: 'send',
	sendTo: 'user',
	message: MESSAGE,
	...parameters,
	options: { maxWait: 5, ...options },
});
const toUser = (userId: unknown, options?: IDataObject) => chat({ userId: userId as IDataObject[string] }, options);
const toChat = (chatId: unknown, options?: IDataObject) => chat({ sendTo: 'chat', chatId: chatId as IDataObject[string] }, options);
const toRecord = (entity: unknown, entityType = 'deal', options?: IDataObject) =>
	chat({ sendTo: 'record', entityType, entity: (typeof entity === 'object' ? entity : { __rl: true, mode: 'id', value: entity }) as IDataObject }, options);

const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path}`);
const posts = () => sent().filter((request) => request.startsWith('POST '));
const stored = () => sandbox.store<{ messages: Array<{ id: number; chatId: number; dialogId: string; text: string; system: boolean; urlPreview: boolean }> }>('im').messages;
const hints = (run: Awaited<ReturnType<typeof runNode>>['run']) => run.data.resultData.runData.Bitrix24?.[0]?.hints ?? [];

describe('sends, and reads the message back from its chat', () => {
	test('to a user: the ID answered, found in the chat with the text sent', async () => {
		const { items, error, run } = await runNode({ parameters: toUser('7'), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{
					success: true,
					messageId: 8901,
					dialogId: '7',
					sentTo: 'user',
					userId: 7,
					userName: 'Olga Sales',
					message: MESSAGE,
					verified: true,
					verification: 'Read back from the chat: message 8901 holds the text sent',
				},
				{ item: 0 },
			],
		]);
		expect(stored()).toEqual([expect.objectContaining({ id: 8901, dialogId: '7', text: MESSAGE, system: false, urlPreview: true })]);
		expect(sent()).toEqual(['GET /v1/users', 'POST /v1/chats/7/messages', 'GET /v1/chats/7/messages']);
		expect(hints(run)).toEqual([]);
	});

	test.each([['chat456'], ['456'], [456], [' CHAT456 ']])('to a group chat given as %j: dialog chat456, no user list', async (chatId) => {
		const { items } = await runNode({ parameters: toChat(chatId), credentials: personal(sandbox) });
		expect(items![0].json).toEqual({ success: true, messageId: 8901, dialogId: 'chat456', sentTo: 'chat', message: MESSAGE, verified: true, verification: expect.any(String) });
		expect(sent()).toEqual(['POST /v1/chats/chat456/messages', 'GET /v1/chats/chat456/messages']);
	});

	test.each([
		['By ID', '5141'],
		['By URL', { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/deal/details/5141/' }],
	])("to a deal's chat (%s): the chat found first, then the message", async (_mode, entity) => {
		const { items } = await runNode({ parameters: toRecord(entity), credentials: personal(sandbox) });
		expect(items![0].json).toEqual({ success: true, messageId: 8901, dialogId: 'chat457', sentTo: 'record', entityType: 'deal', entityId: 5141, message: MESSAGE, verified: true, verification: expect.any(String) });
		expect(sent()).toEqual(['GET /v1/chats/find', 'POST /v1/chats/chat457/messages', 'GET /v1/chats/chat457/messages']);
		expect(stored()[0]).toMatchObject({ chatId: 457, text: MESSAGE });
	});

	test.each([['null'], ['notFound']])('a deal without a chat (chats/find answering %s): refused in the deal\'s words, nothing written', async (chatFind) => {
		sandbox.configure({ chatFind });
		const { error } = await runNode({ parameters: toRecord('5142'), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: expect.stringMatching(/^Deal 5142 has no chat/) });
		expect(error!.description).toMatch(/Start it there, or send to the deal's responsible user instead/);
		if (chatFind === 'null') expect(error!.description).toMatch(/Nothing was written for this item \(only a search or read was sent\)\.$/);
		expect(posts()).toEqual([]);
	});

	test('System Message and Link Preview off are sent as VibeCode documents them', async () => {
		const { items } = await runNode({ parameters: toChat('chat456', { systemMessage: true, urlPreview: false }), credentials: personal(sandbox) });
		expect(items![0].json).toMatchObject({ success: true, verified: true });
		expect(stored()).toEqual([expect.objectContaining({ system: true, urlPreview: false })]);
	});

	test('Read Back off: the answered ID only, said per item and once per run', async () => {
		const { items, run } = await runNode({ parameters: toUser(7, { readBack: false }), credentials: personal(sandbox) });
		expect(items![0].json).toMatchObject({ success: true, messageId: 8901, verified: false, verification: 'Not verified: VibeCode answered message ID 8901 (Read Back is off)' });
		expect(sent()).toEqual(['GET /v1/users', 'POST /v1/chats/7/messages']);
		expect(hints(run)).toEqual([{ message: READ_BACK_OFF, type: 'warning', location: 'outputPane' }]);
	});
});

describe('a read-back that does not confirm the message: said, never an error (the message is sent)', () => {
	const viaProxy = async (rewrite: (answer: IDataObject) => IDataObject) => {
		const proxy = await startProxy(sandbox.url, (path, answer) => (/^\/v1\/chats\/[^/]+\/messages$/.test(path) && (answer.data as IDataObject)?.messages ? rewrite(answer) : answer));
		try {
			return await runNode({ parameters: toUser(7), credentials: { ...personal(sandbox), baseUrl: proxy.url } });
		} finally {
			await proxy.stop();
		}
	};

	test('the message is not in the chat', async () => {
		const { items, run } = await viaProxy((answer) => ({ ...answer, data: { ...(answer.data as IDataObject), messages: [] } }));
		expect(items![0].json).toMatchObject({ success: true, messageId: 8901, verified: false, verification: 'Sent (message ID 8901), but reading the chat back did not find the message' });
		expect(hints(run)).toEqual([{ message: READ_BACK_FAILED, type: 'warning', location: 'outputPane' }]);
	});

	test('its text differs from the text sent', async () => {
		const { items } = await viaProxy((answer) => {
			const data = answer.data as { messages: IDataObject[] };
			return { ...answer, data: { ...data, messages: data.messages.map((message) => ({ ...message, text: 'Something else' })) } };
		});
		expect(items![0].json).toMatchObject({ verified: false, verification: 'Message 8901 is in the chat, but its text differs from the text sent (see it in Bitrix24)' });
	});

	test('the read fails: the item still succeeds, and the message is not sent again', async () => {
		sandbox.addFault({ kind: 'error', status: 404, code: 'DIALOG_NOT_FOUND', message: 'Dialog not found or not accessible', method: 'GET', path: '/v1/chats/7/messages' });
		const { items, error } = await runNode({ parameters: toUser(7), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ success: true, verified: false, verification: expect.stringMatching(/^Sent \(message ID 8901\), but reading the chat back failed: /) });
		expect(posts()).toEqual(['POST /v1/chats/7/messages']);
	});
});

describe('refused before any request, by the label', () => {
	test.each([
		['User', toUser('abc'), /^User must be a portal user's ID, a positive whole number; got "abc"/],
		['User', toUser('={{ $json.assignedById }}'), /^User must be a portal user's ID, a positive whole number; got nothing/],
		['Chat ID', toChat('general'), /^Chat ID must be a group chat's ID such as chat456 or 456; got "general"/],
		['Chat ID', toChat('sg12'), /^Chat ID must be a group chat's ID/],
		['Entity Type', toRecord('5141', '={{ "quote" }}'), /^Entity Type must be one of company, contact, deal, lead; got "quote"/],
		['Entity', toRecord('={{ "abc" }}'), /^Entity ID must be a positive whole number; got "abc"/],
		['Entity', toRecord({ __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/lead/details/101/' }), /^The link is to a lead, but Entity Type is Deal/],
		['Message', chat({ userId: 7, message: '={{ "  " }}' }), /^Message is empty; got "  "/],
		['Send To', chat({ sendTo: '={{ "email" }}', userId: 7, chatId: 'chat456', entity: { __rl: true, mode: 'id', value: '5141' } }), /^Send To must be User, Chat or CRM Record's Chat; got "email"/],
	])('%s', async (_label, parameters, expected) => {
		const { error } = await runNode({ parameters, credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: expect.stringMatching(expected), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
		expect(error!.description).toMatch(/Nothing was sent for this item/);
		expect(sent()).toEqual([]);
	});
});

describe('recipients the portal refuses', () => {
	test('a user the portal does not have, and a dismissed one: refused by the check, unsent', async () => {
		const unknown = await runNode({ parameters: toUser(42), credentials: personal(sandbox) });
		expect(unknown.error).toMatchObject({ message: 'User 42 is not a user of this portal', context: expect.objectContaining({ vibeCode: 'UNKNOWN_USER' }) });
		const dismissed = await runNode({ parameters: toUser(9), credentials: personal(sandbox) });
		expect(dismissed.error).toMatchObject({ message: 'User "Former Employee (9)" is inactive (dismissed) on this portal', context: expect.objectContaining({ vibeCode: 'INACTIVE_USER' }) });
		expect(posts()).toEqual([]);
	});

	test("with more users than one page the check cannot tell: VibeCode's DIALOG_NOT_FOUND names the user", async () => {
		sandbox.seedUsers(600);
		const { error } = await runNode({ parameters: toUser(4242), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: "The key's user cannot write to user 4242 [DIALOG_NOT_FOUND]", httpCode: '404' });
	});

	test.each([
		['chat999', "Chat chat999 does not exist, or the key's user is not in it [DIALOG_NOT_FOUND]", '404'],
		['chat458', "The key's user may not write to chat chat458 [ACCESS_DENIED]", '403'],
	])('%s: in the chat\'s words', async (chatId, message, httpCode) => {
		const { error } = await runNode({ parameters: toChat(chatId), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message, httpCode });
		expect(stored()).toEqual([]);
	});
});

describe('keys and unknown outcomes', () => {
	test.each([
		['a user', toUser(7)],
		["a deal's chat", toRecord('5141')],
	])("a key without the 'im' scope, writing to %s: the scope to add is named", async (_label, parameters) => {
		const { error } = await runNode({ parameters, credentials: { ...personal(sandbox), apiKey: sandbox.keys.noCrm } });
		expect(error).toMatchObject({ message: "The key lacks the 'im' scope [SCOPE_DENIED]", httpCode: '403' });
		expect(error!.description).toMatch(/^Re-issue the key with the 'im' scope ticked/);
	});

	test('a read-only key', async () => {
		const { error } = await runNode({ parameters: toChat('chat456'), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
		expect(error).toMatchObject({ message: 'The key is read-only and cannot send a message [WRITE_BLOCKED_READONLY_KEY]', httpCode: '403' });
	});

	test('a broken connection after VibeCode acted: not sent again, and the user told to look before re-running', async () => {
		sandbox.addFault({ kind: 'reset', afterProcessing: true, method: 'POST', path: '/v1/chats/chat456/messages' });
		const { error } = await runNode({ parameters: toChat('chat456', { maxRetries: 3 }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET' }) });
		expect(error!.description).toMatch(/The message may already have been sent, so the node did not send it again/);
		expect(posts()).toEqual(['POST /v1/chats/chat456/messages']);
		expect(stored()).toHaveLength(1);
	});
});

test('Continue On Fail: each recipient fails or succeeds on its own, in order, paired with its input', async () => {
	const { items, error } = await runNode({
		parameters: chat({ sendTo: '={{ $json.to }}', userId: '={{ $json.user }}', chatId: '={{ $json.chat }}', entityType: 'deal', entity: { __rl: true, mode: 'id', value: '={{ $json.deal }}' } }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ to: 'user', user: 7 }, { to: 'user', user: 42 }, { to: 'chat', chat: 'chat458' }, { to: 'chat', chat: 'general' }, { to: 'record', deal: 5142 }, { to: 'record', deal: 5141 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.success ?? item.json.code, item.pairedItem])).toEqual([
		[true, { item: 0 }],
		['UNKNOWN_USER', { item: 1 }],
		['ACCESS_DENIED', { item: 2 }],
		['INVALID_PARAMETER', { item: 3 }],
		['NO_RECORD_CHAT', { item: 4 }],
		[true, { item: 5 }],
	]);
	expect(items![2].json).toMatchObject({ sendTo: 'chat', dialogId: 'chat458', message: MESSAGE });
	expect(items![3].json).toMatchObject({ sendTo: 'chat', chatId: 'general' });
	expect(items![4].json).toMatchObject({ sendTo: 'record', entityType: 'deal', entityId: 5142 });
	expect(stored().map((message) => message.dialogId)).toEqual(['7', 'chat457']);
});
