import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote, type ErrorText } from '../../errors';
import { ENTITY_TYPES, entityType, type EntityType } from '../../helpers/entities';
import { RECORD_CHAT_TYPES, answeredId, findRecordChat, imTexts, parseChatId, parseMessage, parseUser, portalUsers, readBack, recipientName, recipientProblem, type Proof } from '../../helpers/im';
import type { PortalUser } from '../../helpers/users';
import { locatorValue, parseEntity } from '../../helpers/validate';
import { vibeRequest } from '../../transport';
import { entityLocator } from '../entityLocator';
import { messageParameter, sendRequestOptions, userParameter } from '../im.description';
import { runItems, type ItemOperation } from '../runItems';

const TARGETS = ['user', 'chat', 'record'] as const;
type Target = (typeof TARGETS)[number];

const options: INodeProperties[] = (
	[
		{
			displayName: 'Link Preview',
			name: 'urlPreview',
			type: 'boolean',
			default: true,
			description: 'Whether Bitrix24 shows a preview of the first link in the message',
		},
		{
			displayName: 'Read Back',
			name: 'readBack',
			type: 'boolean',
			default: true,
			description:
				"Whether to read the chat after sending and check that the message is there with the text sent (one more request per item). Off: the output says only that VibeCode answered the message's ID.",
		},
		{
			displayName: 'System Message',
			name: 'systemMessage',
			type: 'boolean',
			default: false,
			description: 'Whether to send it as a system message, shown without an author',
		},
		...sendRequestOptions,
	] as INodeProperties[]
).sort((a, b) => a.displayName.localeCompare(b.displayName));

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		options: [
			{
				name: 'User',
				value: 'user',
				description: "A private message to a portal user, from the key's user",
			},
			{
				name: 'Chat',
				value: 'chat',
				description: "A group chat the key's user is in, by its ID (chat456)",
			},
			{
				name: "CRM Record's Chat",
				value: 'record',
				description: 'The chat of a deal, lead, contact or company (it must have been started in Bitrix24)',
			},
		],
		default: 'user',
		description: 'Where the message goes',
	},
	{
		...userParameter('message'),
		displayOptions: { show: { sendTo: ['user'] } },
	},
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'chat456',
		description: "The group chat's ID: chat456 in the chat's Bitrix24 address (…/online/?IM_DIALOG=chat456), or just 456",
		displayOptions: { show: { sendTo: ['chat'] } },
	},
	{
		displayName: 'Entity Type',
		name: 'entityType',
		type: 'options',
		options: ENTITY_TYPES.filter(({ value }) => RECORD_CHAT_TYPES.includes(value)).map(({ name, value }) => ({ name, value })),
		default: 'deal',
		required: true,
		description: 'The kind of CRM record whose chat gets the message',
		displayOptions: { show: { sendTo: ['record'] } },
	},
	{
		...entityLocator('The CRM record whose chat gets the message, by its numeric ID (the number in its Bitrix24 address, e.g. 5141 in /crm/deal/details/5141/)'),
		displayOptions: { show: { sendTo: ['record'] } },
	},
	messageParameter('message'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['chatMessage'], operation: ['send'] } }, properties);

type Recipient = { sendTo: 'user'; userId: number } | { sendTo: 'chat'; dialogId: string } | { sendTo: 'record'; type: EntityType; entityId: number };

interface MessageRequest {
	to: Recipient;
	message: string;
	systemMessage: boolean;
	urlPreview: boolean;
	readBack: boolean;
}

function parseTarget(value: unknown): Target {
	if (TARGETS.includes(value as Target)) return value as Target;
	throw new InputError(`Send To must be User, Chat or CRM Record's Chat; got ${quote(value)}`, 'Pick where the message goes from the list.');
}

function parseRecordType(value: unknown): EntityType {
	const type = typeof value === 'string' && RECORD_CHAT_TYPES.includes(value.trim().toLowerCase()) ? entityType(value.trim().toLowerCase()) : undefined;
	if (type) return type;
	throw new InputError(
		`Entity Type must be one of ${RECORD_CHAT_TYPES.join(', ')}; got ${quote(value)}`,
		'Bitrix24 keeps a chat for deals, leads, contacts and companies: pick one from the list, or make the expression return one of these words.',
	);
}

export const READ_BACK_OFF =
	'Not verified: Read Back is off, so the node checked only that VibeCode answered a message ID for each message. Turn Read Back on to find each message in its chat after sending.';
export const READ_BACK_FAILED =
	"Not verified: some messages were not found in their chat with the text sent after sending (each item's verification says why). They were sent, so they were not sent again: look at the chat in Bitrix24.";

/**
 * POST /v1/chats/:dialogId/messages `{ message }` for each item: to a user (the dialog is the user's ID), a group chat
 * (`chat456`), or a CRM record's chat (found first with GET /v1/chats/find). Users are checked once per run against
 * the portal's users; each sent message is read back from its chat (Read Back). Output: `{ success, messageId,
 * dialogId, sentTo, …the recipient, message, verified, verification }`, and one warning for a run with unverified
 * messages.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let users: PortalUser[] | undefined;
	const sendMessage: ItemOperation<MessageRequest> = {
		read: (itemIndex) => {
			const sendTo = parseTarget(this.getNodeParameter('sendTo', itemIndex, 'user'));
			let to: Recipient;
			if (sendTo === 'user')
				to = {
					sendTo,
					userId: parseUser(this.getNodeParameter('userId', itemIndex, '')),
				};
			else if (sendTo === 'chat')
				to = {
					sendTo,
					dialogId: parseChatId(this.getNodeParameter('chatId', itemIndex, '')),
				};
			else {
				const type = parseRecordType(this.getNodeParameter('entityType', itemIndex, 'deal'));
				to = {
					sendTo,
					type,
					entityId: parseEntity(this.getNodeParameter('entity', itemIndex), type.value),
				};
			}
			const options = (this.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
			return {
				to,
				message: parseMessage(this.getNodeParameter('message', itemIndex, '')),
				systemMessage: options.systemMessage === true,
				urlPreview: options.urlPreview !== false,
				readBack: options.readBack !== false,
			};
		},

		// One list of the portal's users for a run that writes to users: an unknown or dismissed one fails its item unsent.
		check: async (session, items) => {
			const refused = new Map<number, unknown>();
			if (!items.some(({ request }) => request.to.sendTo === 'user')) return refused;
			users = await portalUsers.call(this, session);
			for (const { itemIndex, request } of items) {
				const problem = request.to.sendTo === 'user' ? recipientProblem(users, request.to.userId) : undefined;
				if (problem) refused.set(itemIndex, problem);
			}
			return refused;
		},

		send: async (session, request, itemIndex) => {
			const { to, message } = request;
			const texts: Partial<Record<string, ErrorText>> = {
				...imTexts('message'),
			};
			let dialogId: string;
			let recipient: IDataObject;
			if (to.sendTo === 'user') {
				dialogId = String(to.userId);
				recipient = {
					userId: to.userId,
					userName: users?.find((user) => user.id === to.userId)?.name ?? null,
				};
				texts.DIALOG_NOT_FOUND = {
					message: `The key's user cannot write to ${recipientName(users, to.userId)}`,
					hint: 'Check that the user exists and is active in Bitrix24.',
				};
			} else if (to.sendTo === 'chat') {
				dialogId = to.dialogId;
				recipient = {};
				texts.DIALOG_NOT_FOUND = {
					message: `Chat ${to.dialogId} does not exist, or the key's user is not in it`,
					hint: "Check the Chat ID (chat456 in the chat's Bitrix24 address) and that the key's user is a member of the chat.",
				};
				texts.ACCESS_DENIED = {
					message: `The key's user may not write to chat ${to.dialogId}`,
					hint: "Add the key's user to the chat in Bitrix24, or send to a chat it is in.",
				};
			} else {
				({ dialogId } = await findRecordChat.call(this, session, to.type, to.entityId, itemIndex));
				recipient = { entityType: to.type.value, entityId: to.entityId };
				const where = `the chat of ${to.type.name.toLowerCase()} ${to.entityId} (${dialogId})`;
				texts.DIALOG_NOT_FOUND = {
					message: `The key's user cannot see ${where}`,
					hint: "Add the key's user to the record's chat in Bitrix24.",
				};
				texts.ACCESS_DENIED = {
					message: `The key's user may not write to ${where}`,
					hint: "Add the key's user to the record's chat in Bitrix24.",
				};
			}
			const body: IDataObject = { message };
			if (request.systemMessage) body.systemMessage = 'Y';
			if (!request.urlPreview) body.urlPreview = false;
			const { data } = await vibeRequest.call(this, session, {
				method: 'POST',
				path: `/v1/chats/${encodeURIComponent(dialogId)}/messages`,
				body,
				idempotent: false,
				itemIndex,
				errorTexts: texts,
			});
			const messageId = answeredId(data) ?? null;
			let proof: Proof;
			if (messageId === null)
				proof = {
					verified: false,
					verification: 'Not verified: VibeCode accepted the message but answered no message ID to look for',
				};
			else if (!request.readBack)
				proof = {
					verified: false,
					verification: `Not verified: VibeCode answered message ID ${messageId} (Read Back is off)`,
				};
			else proof = await readBack.call(this, session, dialogId, messageId, message, itemIndex);
			return [
				{
					success: true,
					messageId,
					dialogId,
					sentTo: to.sendTo,
					...recipient,
					message,
					...proof,
				},
			];
		},

		// An item refused before sending shows its values as given, so it can be found and fixed.
		fields: (itemIndex, request) => {
			if (request) {
				const { to } = request;
				const where = to.sendTo === 'user' ? { userId: to.userId } : to.sendTo === 'chat' ? { dialogId: to.dialogId } : { entityType: to.type.value, entityId: to.entityId };
				return { sendTo: to.sendTo, ...where, message: request.message };
			}
			const given = (name: string) => {
				try {
					return (locatorValue(this.getNodeParameter(name, itemIndex, null)) ?? null) as IDataObject[string];
				} catch {
					return null;
				}
			};
			const sendTo = given('sendTo');
			const where = sendTo === 'chat' ? { chatId: given('chatId') } : sendTo === 'record' ? { entityType: given('entityType'), entityId: given('entity') } : { userId: given('userId') };
			return { sendTo, ...where, message: given('message') };
		},
		done: 'sent',
	};
	const output = await runItems.call(this, sendMessage);
	const unverified = output.filter(({ json }) => json.success === true && json.verified === false);
	// Execution hints exist from n8n 1.3x on; older versions show the same words in each item's verification only.
	if (unverified.length > 0 && typeof this.addExecutionHints === 'function') {
		const off = unverified.every(({ json }) => /Read Back is off/.test(String(json.verification)));
		this.addExecutionHints({
			message: off ? READ_BACK_OFF : READ_BACK_FAILED,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return output;
}
