import type { INodeProperties } from 'n8n-workflow';

import { OPTION_DEFAULTS } from '../transport';

// Plain names: n8n's lint rules read a parameter default only as a literal or a name.
const { maxParallel, maxRetries, maxWait, timeout } = OPTION_DEFAULTS;

/** How requests are sent and retried: the options every operation that sends per item offers, read by runItems. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Max Parallel Requests',
		name: 'maxParallel',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: maxParallel,
		description:
			'How many items may be in flight at once. VibeCode serves at most 2 concurrent calls per portal; more only helps when latency, not the rate limit, is the bottleneck. Output order is kept.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: maxRetries,
		description:
			'How often to retry an item that VibeCode turned away without running it (rate limit, busy or unavailable portal)',
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 600 },
		default: maxWait,
		description: 'The longest single wait before a retry; if VibeCode asks for longer, the item fails',
	},
	{
		displayName: 'Retry Unknown Outcomes',
		name: 'retryUnknownOutcome',
		type: 'boolean',
		default: false,
		description:
			'Whether to send a trigger again after a timeout, a broken connection or a server error, when it may already have run. Turn on only if running the robots twice is harmless.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: timeout,
		description: 'How long to wait for VibeCode to answer one request (its own queue gives up after 30 seconds)',
	},
];
