/** The parameters Notification → Send and Chat Message → Send share: the user, the text, the request options. */
import type { INodeProperties } from 'n8n-workflow';

import { requestOptions } from './requestOptions';

/**
 * A required portal user: the plain list (no "(Not Set)": a message needs someone to go to), or an ID by expression,
 * such as the responsible person of a deal the workflow just moved to Won.
 */
export function userParameter(what: string): INodeProperties {
	return {
		displayName: 'User Name or ID',
		name: 'userId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		required: true,
		description: `The portal user the ${what} goes to, such as the responsible person of a deal (its assignedById). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

export function messageParameter(what: string): INodeProperties {
	return {
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Payment received for {{ $json.title }}. Please arrange delivery.',
		description: `The text of the ${what}. Bitrix24's BB-code is allowed: [B]bold[/B], [I]italic[/I], [URL=https://example.com]a link[/URL], [USER=7]a mention[/USER].`,
	};
}

/**
 * The request options of a send: those of every per-item operation but Retry Unknown Outcomes. A message or a
 * notification sent twice reaches its reader twice, so one that may have arrived is never sent again.
 */
export const sendRequestOptions: INodeProperties[] = requestOptions.filter((option) => option.name !== 'retryUnknownOutcome');
