import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { ExecutionCancelledError, NodeOperationError } from 'n8n-workflow';

import { ENTITY_TYPES } from '../../helpers/entities';
import { runPool } from '../../helpers/pool';
import { fetchTriggers } from '../../helpers/triggers';
import {
	InputError,
	nearestCodes,
	parseEntity,
	parseEntityType,
	parseTriggerCode,
} from '../../helpers/validate';
import { ensureNodeError, openSession, vibeRequest, type RequestSettings, type VibeSession } from '../../transport';
import { errorText } from '../../transport/errors';

const show = { resource: ['automationTrigger'], operation: ['fire'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Entity Type',
		name: 'entityType',
		type: 'options',
		noDataExpression: false,
		options: ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
		default: 'deal',
		required: true,
		description: 'The kind of CRM record the trigger fires on',
		displayOptions: { show },
	},
	{
		displayName: 'Entity',
		name: 'entity',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The CRM record to fire the trigger on, by its numeric ID (the number in its Bitrix24 address, e.g. 5141 in /crm/deal/details/5141/). Bitrix24 runs the robots configured for the trigger at the record\'s current stage.',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search by title or name…',
				typeOptions: { searchListMethod: 'searchEntities', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 5141',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*#?[0-9]+\\s*$', errorMessage: 'The ID is a positive whole number, such as 5141' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://your-portal.bitrix24.com/crm/deal/details/5141/',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '.*/crm/.+/(details|show|edit)/[0-9]+.*',
							errorMessage: 'Paste the address of a Bitrix24 CRM record page',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Trigger',
		name: 'trigger',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The code of the automation trigger to fire, e.g. payment_received (the CODE that Get Many returns)',
		hint: 'From List needs an OAuth Application credential. With a personal key use By Code: VibeCode cannot verify the code, and an unknown code fires nothing without an error.',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a trigger…',
				typeOptions: { searchListMethod: 'searchTriggers', searchable: true },
			},
			{
				displayName: 'By Code',
				name: 'code',
				type: 'string',
				placeholder: 'e.g. payment_received',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[A-Za-z0-9_.:-]{1,100}\\s*$',
							errorMessage: 'A trigger code has letters, digits, "_", "-", "." or ":" only',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Max Parallel Requests',
				name: 'maxParallel',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 2,
				description:
					'How many items may be in flight at once. VibeCode serves at most 2 concurrent calls per portal; more only helps when latency, not the rate limit, is the bottleneck. Output order is kept.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 20 },
				default: 4,
				description:
					'How often to retry an item that VibeCode turned away without running it (rate limit, busy or unavailable portal)',
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 60,
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
				default: 35,
				description: 'How long to wait for VibeCode to answer one request (its own queue gives up after 30 seconds)',
			},
			{
				displayName: 'Verify Trigger Code',
				name: 'verifyTriggerCode',
				type: 'boolean',
				default: true,
				description:
					'Whether to check each code against the trigger list before firing (OAuth Application credentials only; one list request per run). VibeCode accepts unknown codes silently.',
			},
		],
	},
];

interface FireRequest {
	entityType: string;
	entityId: number;
	triggerId: string;
}

export function readSettings(this: IExecuteFunctions): Partial<RequestSettings> & { maxParallel: number } {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number, min: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
	return {
		maxParallel: Math.floor(number(options.maxParallel, 2, 1)),
		maxRetries: Math.floor(number(options.maxRetries, 4, 0)),
		maxWaitMs: number(options.maxWait, 60, 0) * 1000,
		timeoutMs: number(options.timeout, 35, 0.001) * 1000,
		retryUnknownOutcome: options.retryUnknownOutcome === true,
	};
}

function readRequest(this: IExecuteFunctions, itemIndex: number): FireRequest {
	try {
		const entityType = parseEntityType(this.getNodeParameter('entityType', itemIndex));
		return {
			entityType,
			entityId: parseEntity(this.getNodeParameter('entity', itemIndex), entityType),
			triggerId: parseTriggerCode(this.getNodeParameter('trigger', itemIndex)),
		};
	} catch (error) {
		if (!(error instanceof InputError)) throw ensureNodeError(this.getNode(), error, itemIndex);
		throw new NodeOperationError(this.getNode(), error.message, {
			itemIndex,
			description: `${error.description} Nothing was sent for this item.`,
		});
	}
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const { maxParallel, ...settings } = readSettings.call(this);
	const verify = (this.getNodeParameter('options', 0, {}) as IDataObject).verifyTriggerCode !== false;

	// Every item is checked before the first request, so bad input never leaves half a run behind.
	const requests: Array<FireRequest | undefined> = [];
	const errors: Array<Error | undefined> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			requests[i] = readRequest.call(this, i);
		} catch (error) {
			if (!continueOnFail) throw ensureNodeError(this.getNode(), error, i);
			errors[i] = error;
		}
	}

	const session = await openSession.call(this, settings);
	if (verify && session.keyType === 'oauthApp' && requests.some(Boolean)) {
		await verifyCodes.call(this, session, requests, errors, continueOnFail);
	}

	const results: INodeExecutionData[] = [];
	await runPool(items.length, maxParallel, async (i) => {
		const request = requests[i];
		if (!request || errors[i]) return;
		try {
			const { data } = await vibeRequest.call(this, session, {
				method: 'POST',
				path: '/v1/triggers/fire',
				body: { ...request },
				itemIndex: i,
			});
			results[i] = { json: { success: true, accepted: data === true, ...request }, pairedItem: { item: i } };
		} catch (error) {
			if (!continueOnFail || error instanceof ExecutionCancelledError) throw ensureNodeError(this.getNode(), error, i);
			errors[i] = ensureNodeError(this.getNode(), error, i);
		}
	});

	return items.map((_, i) => {
		const error = errors[i];
		if (!error) return results[i];
		const context = (error as { context?: IDataObject }).context ?? {};
		return {
			json: {
				error: error.message,
				description: (error as { description?: string }).description ?? null,
				code: (context.vibeCode as string | undefined) ?? 'INVALID_PARAMETER',
				httpCode: (error as { httpCode?: string | null }).httpCode ?? null,
				itemIndex: i,
				...requests[i],
			},
			pairedItem: { item: i },
		};
	});
}

/** One GET /v1/triggers per run: an unknown code fails its item instead of firing into the void. */
async function verifyCodes(
	this: IExecuteFunctions,
	session: VibeSession,
	requests: Array<FireRequest | undefined>,
	errors: Array<Error | undefined>,
	continueOnFail: boolean,
): Promise<void> {
	const firstIndex = requests.findIndex(Boolean);
	let known: string[];
	try {
		known = (await fetchTriggers.call(this, session, firstIndex)).map(({ code }) => code);
	} catch (error) {
		if (!continueOnFail) throw ensureNodeError(this.getNode(), error, firstIndex);
		requests.forEach((request, i) => request && (errors[i] = error));
		return;
	}
	requests.forEach((request, i) => {
		if (!request || known.includes(request.triggerId)) return;
		const nearest = nearestCodes(request.triggerId, known);
		const error = new NodeOperationError(
			this.getNode(),
			`Trigger code "${request.triggerId}" is not registered on the portal`,
			{
				itemIndex: i,
				description: `${nearest.length ? `Did you mean ${nearest.map((code) => `"${code}"`).join(', ')}? ` : 'The application has registered no triggers. '}${errorText('UNKNOWN_TRIGGER').hint} Nothing was sent for this item.`,
			},
		);
		(error.context as IDataObject).vibeCode = 'UNKNOWN_TRIGGER';
		if (!continueOnFail) throw error;
		errors[i] = error;
	});
}
