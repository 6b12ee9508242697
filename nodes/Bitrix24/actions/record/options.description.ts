import type { INodeProperties } from 'n8n-workflow';

import { requestOptions } from '../requestOptions';

/**
 * The Options of every record operation: how requests are sent and retried. Reads, updates and deletes are
 * retried after an unknown outcome anyway, and a create never is, so Retry Unknown Outcomes is not offered.
 */
export const recordOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: requestOptions.filter(({ name }) => name !== 'retryUnknownOutcome'),
};
