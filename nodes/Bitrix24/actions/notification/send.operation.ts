import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { answeredId, imTexts, parseMessage, parseUser, portalUsers, recipientName, recipientProblem } from '../../helpers/im';
import type { PortalUser } from '../../helpers/users';
import { vibeRequest } from '../../transport';
import { messageParameter, sendRequestOptions, userParameter } from '../im.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	userParameter('notification'),
	messageParameter('notification'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: sendRequestOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['send'] } }, properties);

interface NotifyRequest {
	userId: number;
	message: string;
}

/** What every sent notification says of its proof: VibeCode documents no way to read a notification back. */
const UNREADABLE = 'VibeCode documents no way to read a notification back';

export const NOTIFICATION_WARNING = `Not verified: ${UNREADABLE}, so the node checked only that VibeCode accepted each notification (and the ID it answered). Look at a recipient's notifications in Bitrix24 once after setting up the workflow.`;

/**
 * POST /v1/notifications `{ userId, message, type: 'system' }` for each item (the body VibeCode's recipe sends), after
 * one check of every item's user against the portal's users. Output: `{ success, notificationId, userId, userName,
 * message, verified, verification }`, and once per run a warning that notifications cannot be read back.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let users: PortalUser[] | undefined;
	const notify: ItemOperation<NotifyRequest> = {
		read: (itemIndex) => ({
			userId: parseUser(this.getNodeParameter('userId', itemIndex, '')),
			message: parseMessage(this.getNodeParameter('message', itemIndex, '')),
		}),

		// One list of the portal's users for the run: an unknown or dismissed user fails its item before anything is sent.
		check: async (session, items) => {
			users = await portalUsers.call(this, session);
			const refused = new Map<number, unknown>();
			for (const { itemIndex, request } of items) {
				const problem = recipientProblem(users, request.userId);
				if (problem) refused.set(itemIndex, problem);
			}
			return refused;
		},

		send: async (session, { userId, message }, itemIndex) => {
			const name = recipientName(users, userId);
			const { data } = await vibeRequest.call(this, session, {
				method: 'POST',
				path: '/v1/notifications',
				body: { userId, message, type: 'system' },
				idempotent: false,
				itemIndex,
				errorTexts: {
					...imTexts('notification'),
					BITRIX_ERROR: { message: `Bitrix24 refused the notification to ${name}`, hint: "Bitrix24's reason is in the details. Check that the user exists and is active in Bitrix24." },
				},
			});
			const notificationId = answeredId(data) ?? null;
			const answered = notificationId === null ? 'VibeCode accepted the notification' : `VibeCode answered notification ID ${notificationId}`;
			return [
				{
					success: true,
					notificationId,
					userId,
					userName: users?.find((user) => user.id === userId)?.name ?? null,
					message,
					verified: false,
					verification: `Not verified: ${answered}; ${UNREADABLE}`,
				},
			];
		},

		fields: (itemIndex, request) => {
			if (request) return { ...request };
			const given = (name: string) => {
				try {
					return this.getNodeParameter(name, itemIndex, null) as IDataObject[string];
				} catch {
					return null;
				}
			};
			return { userId: given('userId'), message: given('message') };
		},
		done: 'sent',
	};
	const output = await runItems.call(this, notify);
	// Execution hints exist from n8n 1.3x on; older versions show the same words in each item's verification only.
	if (output.some(({ json }) => json.success === true) && typeof this.addExecutionHints === 'function') {
		this.addExecutionHints({ message: NOTIFICATION_WARNING, type: 'warning', location: 'outputPane' });
	}
	return output;
}
