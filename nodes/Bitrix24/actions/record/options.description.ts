import type { INodeProperties } from 'n8n-workflow';

import { OPTION_DEFAULTS } from '../../transport';
import { requestOptions } from '../requestOptions';

// A plain name: n8n's lint rules read a parameter default only as a literal or a name.
const { batchSize } = OPTION_DEFAULTS;

/** Options → Batch Size: how many items one batch call carries when a run has several (1 sends each on its own). */
const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 500 },
	default: batchSize,
	// Other Entity sends each item on its own: the pages do not say which entities take the batch calls.
	displayOptions: { hide: { '/resource': ['otherEntity'] } },
	description:
		"How many items go in one of VibeCode's batch calls when the node gets several items: 50 records cost one request of the rate limit (300 a minute), so 10,000 records take minutes instead of half an hour. Get reads 50 per request. 1 sends each item on its own, one request each: 300 items then take about a minute, with no progress shown until the end. Each item still gets its own result.",
};

/**
 * Get Many's Options: how requests are sent and retried. Reads, updates and deletes are
 * retried after an unknown outcome anyway, and a create never is, so Retry Unknown Outcomes is not offered.
 */
export const searchOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: requestOptions.filter(({ name }) => name !== 'retryUnknownOutcome'),
};

/** Get's and Delete's Options: Batch Size and the request options (Get Many's are {@link searchOptions}). */
export const recordOptions: INodeProperties = { ...searchOptions, options: [batchSizeOption, ...(searchOptions.options as INodeProperties[])] };

/** Options → Check Written Values: on by default, so that no write reports success without proof. */
const checkWrittenValues: INodeProperties = {
	displayName: 'Check Written Values',
	name: 'checkWrittenValues',
	type: 'boolean',
	default: true,
	description:
		"Whether to compare every field sent with the record VibeCode answers, and fail the item when one was not stored as sent (Bitrix24 drops fields it does not know without a word). Turn off only for fields Bitrix24 or a robot rewrites on purpose.",
};

/** Options → Phone, Email and Website: what a write does with the lists the record already has. */
const listEntries: INodeProperties = {
	displayName: 'Phone, Email and Website',
	name: 'listEntries',
	type: 'options',
	default: 'add',
	options: [
		{
			name: 'Add',
			value: 'add',
			description: 'Entries the record does not have yet are added; the ones it has stay',
		},
		{
			name: 'Replace',
			value: 'replace',
			description: 'The record ends with exactly the entries sent: others are changed or removed',
		},
	],
	description: 'What happens to the phone numbers, emails and websites the record already has',
};

/**
 * The Options of Create, Create or Update and Update: the request options, Check Written Values, and (for writes
 * to an existing record) what happens to its phone, email and website entries. Alphabetical, as n8n lists them.
 */
export function writeOptions(operation: 'create' | 'update' | 'upsert'): INodeProperties {
	const extra = operation === 'create' ? [checkWrittenValues] : [checkWrittenValues, listEntries];
	return {
		...recordOptions,
		options: [...(recordOptions.options as INodeProperties[]), ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
