'use strict';
/**
 * Notifications and chat messages as the key's user (the `im` scope), as docs/vibecode-contract.md, "Notifications
 * and chat messages", describes them:
 * - `POST /v1/notifications {userId, message, type}`: the body of VibeCode's mass-messaging recipe (older docs), the
 *   only source; `type` may be left out, else only `system` (the one value shown). Its answer is not documented: the
 *   notification's ID by default, as Bitrix24's im.notify.system.add answers (`notificationAnswer`: `id`, or
 *   `object` `{ id }`, or `true`). An empty message is `422 BITRIX_ERROR "Message can't be empty"` and a user the
 *   portal does not have `422 BITRIX_ERROR` (both assumed, as the chat's).
 * - `POST /v1/chats/:dialogId/messages {message, systemMessage?, urlPreview?}` → `{ data: <messageId> }` (older docs):
 *   `dialogId` a user's ID (the key's user's private chat with them, opened by the first message) or `chat<N>`;
 *   unknown body fields are dropped, so `text` instead of `message` is `422 BITRIX_ERROR "Message can't be empty"`
 *   (third party); a dialog that is not there, or a group chat the key's user is not in when read, is
 *   `404 DIALOG_NOT_FOUND`; writing to a group chat the key's user is not in is `403 ACCESS_DENIED` (older docs).
 * - `GET /v1/chats/:dialogId/messages?limit&lastId&firstId` → `{ chatId, messages, users }` (older docs): newest
 *   first, or with `firstId` the messages after it, oldest first; `limit` 50 by default, at most 200.
 * - `GET /v1/chats/find?entityType=CRM&entityId=DEAL|5141` → the record's chat with its `dialogId` (older docs); both
 *   parameters required (`400 MISSING_PARAMS`); a record without a chat answers `data: null`, as Bitrix24's
 *   im.chat.get (`chatFind: 'null'`, default), or `404 CHAT_NOT_FOUND` (`chatFind: 'notFound'`): both assumed.
 * Every write is `403 WRITE_BLOCKED_READONLY_KEY` for a read-only key. The key's user is KEY_USER (1).
 */

const SEED_CHATS = [
	{ id: 456, title: 'Sales team', members: [1, 7] },
	{ id: 457, title: 'Deal: Website redesign', entityType: 'CRM', entityId: 'DEAL|5141', members: [1, 7] },
	// A chat the key's user is not in: writing to it is refused, reading it is "not found".
	{ id: 458, title: 'Board', members: [9] },
];

const MESSAGE_EMPTY = "Message can't be empty";

/** The query string as plain values (the shared `queryOf` keeps only the list parameters). */
const paramsOf = (url) => Object.fromEntries(url.searchParams);

module.exports = ({ sandbox, HttpError, KEY_USER, user, parseBody }) => {
	let notifications;
	/** Chats by ID: { id, title, type, entityType, entityId, members: number[], privateWith? }. */
	let chats;
	let messages;
	let nextNotificationId;
	let nextMessageId;
	let nextChatId;

	const blockWrite = (caller, method) => {
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: ${method}`);
	};

	/** The message text of a body, as Bitrix24 keeps it (trimmed), or the refusal of an empty one. */
	function messageOf(body) {
		if (body.message !== undefined && typeof body.message !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'message: Expected string');
		const text = (body.message ?? '').trim();
		if (text === '') throw new HttpError(422, 'BITRIX_ERROR', MESSAGE_EMPTY);
		return text;
	}

	/** The chat a dialog ID names, for writing (`open`: a user's private chat is opened) or reading. */
	function dialogChat(dialogId, { write }) {
		const group = /^chat(\d+)$/.exec(dialogId);
		if (group) {
			const chat = chats.get(Number(group[1]));
			if (!chat || (!write && !chat.members.includes(KEY_USER))) throw new HttpError(404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible');
			if (!chat.members.includes(KEY_USER)) throw new HttpError(403, 'ACCESS_DENIED', 'No permission to send messages to this chat');
			return chat;
		}
		if (!/^[1-9]\d*$/.test(dialogId) || !user(dialogId)) throw new HttpError(404, 'DIALOG_NOT_FOUND', 'Dialog not found or not accessible');
		const other = Number(dialogId);
		let chat = [...chats.values()].find((candidate) => candidate.privateWith === other);
		if (!chat && write) {
			chat = { id: nextChatId++, title: '', type: 'private', privateWith: other, members: [KEY_USER, other] };
			chats.set(chat.id, chat);
		}
		return chat;
	}

	function notify(body, caller) {
		blockWrite(caller, 'im.notify.system.add');
		const { userId, type } = body;
		if (!Number.isSafeInteger(userId) || userId <= 0) throw new HttpError(400, 'VALIDATION_ERROR', 'userId: Expected a positive integer');
		if (type !== undefined && type !== 'system') throw new HttpError(400, 'VALIDATION_ERROR', "type: Invalid enum value. Expected 'system'");
		const message = messageOf(body);
		if (!user(userId)) throw new HttpError(422, 'BITRIX_ERROR', 'Notification recipient not found');
		const id = nextNotificationId++;
		// The type as sent (null when left out), so that tests see the body the client sent.
		notifications.push({ id, userId, message, type: type ?? null, at: new Date().toISOString() });
		const answer = sandbox.config.notificationAnswer;
		return { success: true, data: answer === 'object' ? { id } : answer === 'true' ? true : id };
	}

	function send(dialogId, body, caller) {
		blockWrite(caller, 'im.message.add');
		const message = messageOf(body);
		if (body.systemMessage !== undefined && typeof body.systemMessage !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', 'systemMessage: Expected string');
		if (body.urlPreview !== undefined && typeof body.urlPreview !== 'boolean') throw new HttpError(400, 'VALIDATION_ERROR', 'urlPreview: Expected boolean');
		const chat = dialogChat(dialogId, { write: true });
		const id = nextMessageId++;
		messages.push({
			id,
			chatId: chat.id,
			dialogId,
			authorId: body.systemMessage === 'Y' ? 0 : KEY_USER,
			date: new Date().toISOString(),
			text: message,
			system: body.systemMessage === 'Y',
			urlPreview: body.urlPreview !== false,
		});
		return { success: true, data: id };
	}

	function read(dialogId, query) {
		const chat = dialogChat(dialogId, { write: false });
		const limit = Math.min(200, Math.max(1, Number(query.limit ?? 50) || 50));
		let list = chat ? messages.filter((message) => message.chatId === chat.id) : [];
		if (query.firstId !== undefined) list = list.filter((message) => message.id > Number(query.firstId)).sort((a, b) => a.id - b.id);
		else {
			if (query.lastId !== undefined) list = list.filter((message) => message.id < Number(query.lastId));
			list = list.sort((a, b) => b.id - a.id);
		}
		list = list.slice(0, limit);
		const users = {};
		for (const { authorId } of list) {
			const author = user(authorId);
			if (author) users[author.id] = { id: author.id, name: `${author.name} ${author.lastName}`.trim(), firstName: author.name, lastName: author.lastName };
		}
		return {
			success: true,
			data: {
				chatId: chat?.id ?? 0,
				messages: list.map(({ id, chatId, authorId, date, text }) => ({ id, chatId, authorId, date, text, params: {}, repliedMessageId: 0, forwardMessageId: 0, viewedByOthers: false })),
				users,
			},
		};
	}

	function find(query) {
		if (!query.entityType || !query.entityId) throw new HttpError(400, 'MISSING_PARAMS', 'entityType and entityId are required');
		const chat = [...chats.values()].find((candidate) => candidate.entityType === query.entityType && candidate.entityId === query.entityId);
		if (!chat) {
			if (sandbox.config.chatFind === 'notFound') throw new HttpError(404, 'CHAT_NOT_FOUND', 'Chat not found');
			return { success: true, data: null };
		}
		const { id, title, entityType, entityId } = chat;
		return { success: true, data: { id, title, owner: KEY_USER, color: '#ab7761', type: 'chat', entityType, entityId, dateCreate: '2026-11-01T09:00:00+00:00', messageType: 'C', dialogId: `chat${id}` } };
	}

	return {
		name: 'im',
		options: {
			notificationAnswer: { values: ['id', 'object', 'true'] },
			chatFind: { values: ['null', 'notFound'] },
		},
		reset() {
			notifications = [];
			messages = [];
			chats = new Map(SEED_CHATS.map((chat) => [chat.id, { type: 'chat', ...structuredClone(chat) }]));
			nextNotificationId = 3001;
			nextMessageId = 8901;
			nextChatId = 900;
		},
		scopes: (path) => (/^\/v1\/(notifications|chats)(\/|$)/.test(path) ? ['im'] : undefined),
		route(req, path, url, raw, caller) {
			const method = req.method;
			if (path === '/v1/notifications' && method === 'POST') return [200, notify(parseBody(req, raw), caller)];
			if (path === '/v1/chats/find' && method === 'GET') return [200, find(paramsOf(url))];
			const dialog = /^\/v1\/chats\/([^/]+)\/messages$/.exec(path);
			if (dialog && method === 'POST') return [200, send(decodeURIComponent(dialog[1]), parseBody(req, raw), caller)];
			if (dialog && method === 'GET') return [200, read(decodeURIComponent(dialog[1]), paramsOf(url))];
			return undefined;
		},
		store: () => structuredClone({ notifications, messages, chats: [...chats.values()] }),
	};
};
