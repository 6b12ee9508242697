/**
 * The sandbox's `im` family (test/sandbox/families/im.js; docs/vibecode-contract.md, "Notifications and chat
 * messages"): notifications, chat messages to a user, a group chat and a CRM record's chat, the read-back of a
 * dialog, the `im` scope, read-only keys, and nothing accepted beyond what the pages document. Plain HTTP.
 */
import { createSandbox, KEY_USER } from '../../sandbox/server';
import { sandboxCaller, type SandboxAnswer } from '../../helpers/fixtures';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

type Answer = SandboxAnswer;
const call = sandboxCaller(sandbox);

interface Stored {
	notifications: Array<{ id: number; userId: number; message: string; type: string }>;
	messages: Array<{ id: number; chatId: number; dialogId: string; authorId: number; text: string; system: boolean; urlPreview: boolean }>;
	chats: Array<{ id: number; privateWith?: number; members: number[] }>;
}
const stored = () => sandbox.store<Stored>('im');
const refusal = (answer: Answer) => [answer.status, answer.body?.error?.code, answer.body?.error?.message];

describe('POST /v1/notifications', () => {
	test("the recipe's body: stored, answered with the notification's ID", async () => {
		const answer = await call('POST', '/v1/notifications', { userId: 7, message: '  Payment received for [b]Website redesign[/b]  ', type: 'system' });
		expect(answer).toEqual({ status: 200, body: { success: true, data: 3001 } });
		expect(stored().notifications).toEqual([{ id: 3001, userId: 7, message: 'Payment received for [b]Website redesign[/b]', type: 'system', at: expect.any(String) }]);
	});

	test.each([
		['object', { id: 3001 }],
		['true', true],
	])('notificationAnswer %s answers %j', async (notificationAnswer, data) => {
		sandbox.configure({ notificationAnswer });
		expect((await call('POST', '/v1/notifications', { userId: 7, message: 'Hi' })).body).toEqual({ success: true, data });
	});

	test.each([
		['no message', { userId: 7 }, [422, 'BITRIX_ERROR', "Message can't be empty"]],
		['a blank message', { userId: 7, message: '  ' }, [422, 'BITRIX_ERROR', "Message can't be empty"]],
		['text instead of message (dropped)', { userId: 7, text: 'Hi' }, [422, 'BITRIX_ERROR', "Message can't be empty"]],
		['no userId', { message: 'Hi' }, [400, 'VALIDATION_ERROR', expect.stringMatching(/^userId/)]],
		['userId as text', { userId: '7', message: 'Hi' }, [400, 'VALIDATION_ERROR', expect.stringMatching(/^userId/)]],
		['a type other than system', { userId: 7, message: 'Hi', type: 'personal' }, [400, 'VALIDATION_ERROR', expect.stringMatching(/^type/)]],
		['a user the portal does not have', { userId: 42, message: 'Hi' }, [422, 'BITRIX_ERROR', 'Notification recipient not found']],
	])('%s is refused, nothing stored', async (_label, body, expected) => {
		expect(refusal(await call('POST', '/v1/notifications', body))).toEqual(expected);
		expect(stored().notifications).toEqual([]);
	});
});

describe('POST /v1/chats/:dialogId/messages', () => {
	test("to a user: the key's user's private chat with them, opened by the first message; answered with the message ID", async () => {
		const first = await call('POST', '/v1/chats/7/messages', { message: 'Deal won' });
		const second = await call('POST', '/v1/chats/7/messages', { message: 'Please call the client', urlPreview: false });
		expect([first.body, second.body]).toEqual([
			{ success: true, data: 8901 },
			{ success: true, data: 8902 },
		]);
		const { messages, chats } = stored();
		const chat = chats.find((candidate) => candidate.privateWith === 7)!;
		expect(chat.members).toEqual([KEY_USER, 7]);
		expect(messages.map(({ id, chatId, authorId, text, urlPreview }) => [id, chatId, authorId, text, urlPreview])).toEqual([
			[8901, chat.id, KEY_USER, 'Deal won', true],
			[8902, chat.id, KEY_USER, 'Please call the client', false],
		]);
	});

	test('to a group chat, and a system message without an author', async () => {
		expect((await call('POST', '/v1/chats/chat456/messages', { message: 'Stage: Won', systemMessage: 'Y' })).body).toEqual({ success: true, data: 8901 });
		expect(stored().messages).toEqual([expect.objectContaining({ chatId: 456, dialogId: 'chat456', authorId: 0, system: true })]);
	});

	test.each([
		['text instead of message (dropped, as VibeCode does)', '7', { text: 'Hi' }, [422, 'BITRIX_ERROR', "Message can't be empty"]],
		['an empty message', '7', { message: '' }, [422, 'BITRIX_ERROR', "Message can't be empty"]],
		['a message that is not text', '7', { message: 42 }, [400, 'VALIDATION_ERROR', 'message: Expected string']],
		['urlPreview that is not a boolean', '7', { message: 'Hi', urlPreview: 'N' }, [400, 'VALIDATION_ERROR', 'urlPreview: Expected boolean']],
		['a user the portal does not have', '42', { message: 'Hi' }, [404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible']],
		['a chat that does not exist', 'chat999', { message: 'Hi' }, [404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible']],
		['a dialog ID of another form', 'sg12', { message: 'Hi' }, [404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible']],
		["a chat the key's user is not in", 'chat458', { message: 'Hi' }, [403, 'ACCESS_DENIED', 'No permission to send messages to this chat']],
	])('%s is refused, nothing stored', async (_label, dialogId, body, expected) => {
		expect(refusal(await call('POST', `/v1/chats/${dialogId}/messages`, body))).toEqual(expected);
		expect(stored().messages).toEqual([]);
	});
});

describe('GET /v1/chats/:dialogId/messages', () => {
	beforeEach(async () => {
		for (const message of ['one', 'two', 'three']) await call('POST', '/v1/chats/chat456/messages', { message });
	});

	test('newest first, with the authors; limit', async () => {
		const answer = await call('GET', '/v1/chats/chat456/messages?limit=2');
		expect(answer.body.data).toEqual({
			chatId: 456,
			messages: [expect.objectContaining({ id: 8903, chatId: 456, authorId: KEY_USER, text: 'three' }), expect.objectContaining({ id: 8902, text: 'two' })],
			users: { [KEY_USER]: { id: KEY_USER, name: 'Sandbox Owner', firstName: 'Sandbox', lastName: 'Owner' } },
		});
	});

	test('firstId: the messages after it, oldest first; lastId: those before it', async () => {
		const after = await call('GET', '/v1/chats/chat456/messages?firstId=8901&limit=20');
		expect(after.body.data.messages.map((message: { id: number }) => message.id)).toEqual([8902, 8903]);
		const before = await call('GET', '/v1/chats/chat456/messages?lastId=8903');
		expect(before.body.data.messages.map((message: { id: number }) => message.id)).toEqual([8902, 8901]);
	});

	test("a user's dialog before any message is empty; a chat the key's user is not in is not found", async () => {
		expect((await call('GET', '/v1/chats/9/messages')).body.data.messages).toEqual([]);
		expect(refusal(await call('GET', '/v1/chats/chat458/messages'))).toEqual([404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible']);
	});
});

describe('GET /v1/chats/find', () => {
	test("a deal's chat, with its dialog ID", async () => {
		const answer = await call('GET', `/v1/chats/find?entityType=CRM&entityId=${encodeURIComponent('DEAL|5141')}`);
		expect(answer.body).toEqual({ success: true, data: expect.objectContaining({ id: 457, entityType: 'CRM', entityId: 'DEAL|5141', dialogId: 'chat457' }) });
	});

	test('a record without a chat: data null, or 404 CHAT_NOT_FOUND (chatFind)', async () => {
		const path = `/v1/chats/find?entityType=CRM&entityId=${encodeURIComponent('DEAL|5142')}`;
		expect((await call('GET', path)).body).toEqual({ success: true, data: null });
		sandbox.configure({ chatFind: 'notFound' });
		expect(refusal(await call('GET', path))).toEqual([404, 'CHAT_NOT_FOUND', 'Chat not found']);
	});

	test('both parameters are required', async () => {
		expect(refusal(await call('GET', '/v1/chats/find?entityType=CRM'))).toEqual([400, 'MISSING_PARAMS', 'entityType and entityId are required']);
	});
});

describe('keys', () => {
	test.each([
		['POST', '/v1/notifications'],
		['POST', '/v1/chats/7/messages'],
		['GET', '/v1/chats/7/messages'],
		['GET', '/v1/chats/find?entityType=CRM&entityId=DEAL%7C5141'],
	])("%s %s needs the 'im' scope", async (method, path) => {
		const answer = await call(method, path, method === 'POST' ? { userId: 7, message: 'Hi' } : undefined, sandbox.keys.noCrm);
		expect(refusal(answer)).toEqual([403, 'SCOPE_DENIED', "This endpoint requires 'im' scope"]);
	});

	test('a read-only key cannot send, but can read', async () => {
		const key = sandbox.keys.readonly;
		expect(refusal(await call('POST', '/v1/notifications', { userId: 7, message: 'Hi' }, key))).toEqual([403, 'WRITE_BLOCKED_READONLY_KEY', 'Write blocked: im.notify.system.add']);
		expect(refusal(await call('POST', '/v1/chats/7/messages', { message: 'Hi' }, key))).toEqual([403, 'WRITE_BLOCKED_READONLY_KEY', 'Write blocked: im.message.add']);
		expect((await call('GET', '/v1/chats/chat456/messages', undefined, key)).status).toBe(200);
		expect(stored()).toMatchObject({ notifications: [], messages: [] });
	});

	test('a sandbox option outside its values is refused', () => {
		expect(() => sandbox.configure({ notificationAnswer: 'number' })).toThrow(/notificationAnswer must be one of id, object, true/);
	});
});
