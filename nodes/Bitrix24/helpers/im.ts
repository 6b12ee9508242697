/**
 * Notifications and chat messages as the key's user (VibeCode's `im` scope): the requests, the checks of a recipient
 * against the portal's users, the read-back of a sent message, and the words their failures need. What VibeCode
 * documents of them, and what is assumed, is in docs/vibecode-contract.md, "Notifications and chat messages".
 */
import type { IDataObject } from 'n8n-workflow';
import { ExecutionCancelledError } from 'n8n-workflow';

import { InputError, nodeError, quote, type ErrorText } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { EntityType } from './entities';
import { fetchUsers, USER_PAGE, type PortalUser } from './users';
import { positiveId } from './validate';

/** The scope both calls need, in the words of a missing-scope failure (the error table's text names `crm`). */
const IM_SCOPE: ErrorText = {
	message: "The key lacks the 'im' scope",
	hint: "Re-issue the key with the 'im' scope ticked (scopes are fixed when a key is created) and paste it into the credential.",
};

/**
 * What a notification's or a message's failures say: the `im` scope; a scope added to a key after it was issued
 * (the scopes page: Bitrix24 then answers BITRIX_ACCESS_DENIED); a read-only key; and, for a failure after which the
 * request may have been carried out, that it was not sent again (both are creates, never resent).
 */
export function imTexts(what: 'message' | 'notification'): Partial<Record<string, ErrorText>> {
	const unsent = `The ${what} may already have been sent, so the node did not send it again. Check in Bitrix24 before running again.`;
	return {
		SCOPE_DENIED: IM_SCOPE,
		SCOPE_NOT_ALLOWED: IM_SCOPE,
		BITRIX_ACCESS_DENIED: {
			message: `Bitrix24 refused to send the ${what}`,
			hint: "If the 'im' scope was added to the key after it was issued, re-issue the key: a key keeps the Bitrix24 scopes it was issued with. Otherwise the key's user may not write here.",
		},
		WRITE_BLOCKED_READONLY_KEY: {
			message: `The key is read-only and cannot send a ${what}`,
			hint: 'Issue a key with the READWRITE access mode (or ask the portal admin to allow it).',
		},
		TIMEOUT: { message: 'VibeCode did not answer in time', hint: `${unsent} Raise the Timeout option if the portal is slow.` },
		CONNECTION_RESET: { message: 'The connection to VibeCode broke before an answer arrived', hint: unsent },
		INTERNAL_ERROR: { message: 'VibeCode had an internal error', hint: `${unsent} Report the request ID to VibeCode if it repeats.` },
		GATEWAY_ERROR: { message: 'A proxy in front of VibeCode answered with an error page', hint: unsent },
		INVALID_RESPONSE: { message: 'VibeCode sent a response that is not valid JSON', hint: `Check the credential Base URL. If it is right: ${unsent}` },
	};
}

/** The User parameter (a dropdown, or an ID by expression such as a deal's assignedById), in the words of its label. */
export function parseUser(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	throw new InputError(
		`User must be a portal user's ID, a positive whole number; got ${quote(value)}`,
		"Choose the user from the list, or make the expression return a user's ID (such as a deal's {{ $json.assignedById }}). Check that it does not return an empty value.",
	);
}

/** The Message parameter: its text as sent, refused when empty (VibeCode would answer "Message can't be empty"). */
export function parseMessage(value: unknown): string {
	const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
	if (text.trim() !== '') return text;
	throw new InputError(
		`Message is empty; got ${quote(value)}`,
		'Write the text to send, or check that the expression returns text for this item.',
	);
}

/** A Chat ID as Bitrix24 writes a group chat's dialog (`chat456`), given as that or as the bare number. */
export function parseChatId(value: unknown): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const match = /^(?:chat)?([1-9][0-9]{0,15})$/i.exec(text);
	if (match) return `chat${match[1]}`;
	throw new InputError(
		`Chat ID must be a group chat's ID such as chat456 or 456; got ${quote(value)}`,
		"Use the number Bitrix24 shows in the chat's address (chat456 in …/online/?IM_DIALOG=chat456). To write to a person, choose Send To: User.",
	);
}

/**
 * The portal's users for a run's recipient checks: one GET /v1/users. Undefined when they cannot be read (a key
 * without the `user` scope may still send): the items are then sent unchecked and VibeCode's answer decides.
 */
export async function portalUsers(this: VibeContext, session: VibeSession): Promise<PortalUser[] | undefined> {
	try {
		return await fetchUsers.call(this, session);
	} catch (error) {
		// A stopped execution ends the run (nodeError passes n8n's cancellation through as it is).
		if (error instanceof ExecutionCancelledError) throw nodeError(this.getNode(), error);
		return undefined;
	}
}

/** A user as messages name them, with the portal's name when the list has it: `"Olga Sales (7)"`, else `user 7`. */
export const recipientName = (users: PortalUser[] | undefined, id: number): string => {
	const user = users?.find((candidate) => candidate.id === id);
	return user ? `"${user.name} (${id})"` : `user ${id}`;
};

/**
 * Why a user cannot receive: not on the portal (said only when the list is whole, fewer than one page of 500), or
 * dismissed. Undefined when they can, or when the portal's users could not be read.
 */
export function recipientProblem(users: PortalUser[] | undefined, id: number): InputError | undefined {
	if (!users) return undefined;
	const user = users.find((candidate) => candidate.id === id);
	if (!user) {
		if (users.length >= USER_PAGE) return undefined;
		return new InputError(`User ${id} is not a user of this portal`, undefined, 'UNKNOWN_USER');
	}
	if (!user.active) {
		return new InputError(
			`User "${user.name} (${id})" is inactive (dismissed) on this portal`,
			'Choose an active user: a dismissed user cannot sign in to read it. If the ID comes from a record (its responsible person), reassign the record in Bitrix24.',
			'INACTIVE_USER',
		);
	}
	return undefined;
}

/** An ID from an answer: a number, its digits, or the `id` of an object; undefined for anything else (`true`). */
export function answeredId(data: unknown): number | undefined {
	const inner = data && typeof data === 'object' && !Array.isArray(data) ? ((data as IDataObject).id ?? (data as IDataObject).ID ?? (data as IDataObject).messageId) : data;
	const id = typeof inner === 'number' ? inner : typeof inner === 'string' && /^\d+$/.test(inner.trim()) ? Number(inner) : NaN;
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The CRM types whose records Bitrix24 gives a chat (`entityId` `DEAL|5141`, as the older docs write it). */
export const RECORD_CHAT_TYPES = ['company', 'contact', 'deal', 'lead'];

/**
 * The chat of a CRM record: GET /v1/chats/find?entityType=CRM&entityId=DEAL|5141 (older docs). A record without one
 * (Bitrix24's im.chat.get answers nothing; VibeCode may say CHAT_NOT_FOUND) is refused in the record's words.
 */
export async function findRecordChat(
	this: VibeContext,
	session: VibeSession,
	type: EntityType,
	id: number,
	itemIndex: number,
): Promise<{ chatId: number; dialogId: string }> {
	const none = new InputError(
		`${type.name} ${id} has no chat`,
		`Bitrix24 creates a record's chat when someone starts it from the ${type.name.toLowerCase()}'s card (Chat). Start it there, or send to the ${type.name.toLowerCase()}'s responsible user instead (Send To: User).`,
		'NO_RECORD_CHAT',
	).afterRead();
	const { data } = await vibeRequest.call(this, session, {
		method: 'GET',
		path: '/v1/chats/find',
		qs: { entityType: 'CRM', entityId: `${type.value.toUpperCase()}|${id}` },
		itemIndex,
		errorTexts: { ...imTexts('message'), CHAT_NOT_FOUND: { message: none.message, hint: none.description } },
	});
	const chat = data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : undefined;
	const chatId = answeredId(chat);
	if (!chat || chatId === undefined) throw none;
	const dialogId = typeof chat.dialogId === 'string' && /^chat\d+$/.test(chat.dialogId) ? chat.dialogId : `chat${chatId}`;
	return { chatId, dialogId };
}

/** What the output says about the proof of one sent message or notification. */
export interface Proof {
	verified: boolean;
	verification: string;
}

/** Text as a chat shows it, for comparing what was sent with what was read: trimmed, each run of spaces one space. */
const shown = (text: unknown) => String(text ?? '').replace(/\[br\]/gi, '\n').replace(/\s+/g, ' ').trim();

/**
 * Reads the dialog back after a send (GET /v1/chats/:dialogId/messages, the messages after the one before it) and
 * looks for the answered ID with the text sent. Never throws for a failed read: the message is sent by then, and an
 * error could have it sent twice on a re-run; the output says what could not be checked instead.
 */
export async function readBack(
	this: VibeContext,
	session: VibeSession,
	dialogId: string,
	messageId: number,
	text: string,
	itemIndex: number,
): Promise<Proof> {
	let data: unknown;
	try {
		({ data } = await vibeRequest.call(this, session, {
			method: 'GET',
			path: `/v1/chats/${encodeURIComponent(dialogId)}/messages`,
			qs: { firstId: messageId - 1, limit: 20 },
			itemIndex,
		}));
	} catch (error) {
		// A stopped execution ends the run (nodeError passes n8n's cancellation through as it is).
		if (error instanceof ExecutionCancelledError) throw nodeError(this.getNode(), error);
		return { verified: false, verification: `Sent (message ID ${messageId}), but reading the chat back failed: ${(error as Error).message}` };
	}
	const list = (data as IDataObject | undefined)?.messages;
	const found = (Array.isArray(list) ? (list as IDataObject[]) : []).find((message) => answeredId(message) === messageId);
	if (!found) return { verified: false, verification: `Sent (message ID ${messageId}), but reading the chat back did not find the message` };
	if (shown(found.text ?? found.TEXT) !== shown(text)) {
		return { verified: false, verification: `Message ${messageId} is in the chat, but its text differs from the text sent (see it in Bitrix24)` };
	}
	return { verified: true, verification: `Read back from the chat: message ${messageId} holds the text sent` };
}
