/**
 * Custom API Call: any VibeCode path no resource covers (some 400 of them: workgroups, calendar, drive, the catalog…),
 * sent through the node's transport, so it gets what every operation gets: the key's pacing, retries of
 * what VibeCode turned away unrun, errors in the error table's words with the key scrubbed, Continue On Fail.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { RECORDS_PER_UNIT } from '../../helpers/batch';
import { vibeRequest, type VibeRequest } from '../../transport';
import { requestOptions } from '../requestOptions';
import { runItems, type ItemOperation } from '../runItems';

type Method = VibeRequest['method'];

const METHODS: Method[] = ['GET', 'POST', 'PATCH', 'DELETE'];

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: METHODS.map((method) => ({ name: method, value: method })),
		default: 'GET',
		description: 'The HTTP method, as VibeCode\'s page for the call gives it: GET reads, POST creates or searches, PATCH changes, DELETE removes',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/v1/tasks/search',
		description:
			"The path after the VibeCode host, starting with /v1/, as in VibeCode's docs (for example /v1/tasks, /v1/items/1032/15, /v1/users). The host comes from the credential.",
	},
	{
		displayName: 'Query Parameters',
		name: 'query',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Query Parameter',
		default: {},
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'limit' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '50' },
				],
			},
		],
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{}',
		displayOptions: { show: { method: ['POST', 'PATCH'] } },
		description: 'The JSON object VibeCode\'s page for the call shows as its body, such as {"filter": {"responsibleId": 1}, "limit": 50}',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Split Into Items',
				name: 'split',
				type: 'boolean',
				default: true,
				description:
					"Whether to output one item per entry when VibeCode answers a list. Off: one item with VibeCode's whole answer (data, total, meta).",
			},
			...requestOptions.map((option) =>
				option.name === 'retryUnknownOutcome'
					? {
							...option,
							description:
								'Whether to send a POST, PATCH or DELETE again after a timeout, a broken connection or a server error, when it may already have run. GET and searches are always sent again; a create sent twice makes two records.',
						}
					: option,
			),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['apiCall'], operation: ['request'] } }, properties);

interface CallRequest {
	method: Method;
	path: string;
	qs: IDataObject;
	body?: IDataObject;
	split: boolean;
}

/** A path VibeCode serves: `/v1/…`, no host, no query (Query Parameters carry it), no way out of /v1. */
export function parsePath(value: unknown): string {
	const path = typeof value === 'string' ? value.trim() : '';
	const hint = 'Give the path after the host, starting with /v1/, such as /v1/tasks or /v1/deals/5141; put query parameters under Query Parameters.';
	if (/^https?:\/\//i.test(path)) throw new InputError(`Path must not include the host; got ${quote(value)}`, hint);
	if (!/^\/v1\/[^?#\s]*$/.test(path) || path.split('/').some((part) => part === '..' || part === '.')) {
		throw new InputError(`Path must start with /v1/ and hold no query, spaces or dot segments; got ${quote(value)}`, hint);
	}
	return path;
}

/** JSON text read, or why it could not be (an empty text is an empty object). */
function jsonOf(text: string): { value: unknown } | { problem: string } {
	try {
		return { value: text.trim() === '' ? {} : JSON.parse(text) };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

/** The JSON body: an object, given as one or as its JSON text. */
export function parseBody(value: unknown): IDataObject {
	let body = value;
	if (typeof value === 'string') {
		const parsed = jsonOf(value);
		if ('problem' in parsed) throw new InputError(`Body (JSON) is not valid JSON: ${parsed.problem}`, 'Write the body as a JSON object, such as {"title": "Call the customer"}.');
		body = parsed.value;
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new InputError(`Body (JSON) must be a JSON object; got ${quote(value)}`, 'Write the body as a JSON object, such as {"title": "Call the customer"}; a list goes inside one, such as {"items": […]}.');
	}
	return body as IDataObject;
}

/** Whether sending the call twice does no harm: a read, or a search (POST …/search, …/aggregate). */
const harmlessTwice = ({ method, path }: CallRequest) => method === 'GET' || (method === 'POST' && /\/(search|aggregate)$/.test(path));

/** An entity batch (`POST /v1/{entity}/batch`) costs one request of the rate limit per 50 records, as the node's own. */
function costOf({ method, path, body }: CallRequest): number {
	if (method !== 'POST' || !/^\/v1\/[^/]+\/batch$/.test(path)) return 1;
	const entries = Array.isArray(body?.items) ? body.items.length : Array.isArray(body?.ids) ? body.ids.length : 0;
	return Math.max(1, Math.ceil(entries / RECORDS_PER_UNIT));
}

/** What VibeCode answered, as output items: a list one item per entry (Split Into Items), else one item. */
function outputs(answer: { data: unknown; body: IDataObject }, split: boolean): IDataObject[] {
	const { data } = answer;
	if (split && Array.isArray(data)) return data.map((entry) => (entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as IDataObject) : { value: entry as IDataObject[string] }));
	if (!split) {
		const { success: _success, ...rest } = answer.body;
		return [Object.keys(rest).length > 0 ? rest : { success: true }];
	}
	if (data && typeof data === 'object') return [data as IDataObject];
	// A delete answers 204 with no body; a call may answer a bare value.
	return [data === undefined ? { success: true } : { data: data as IDataObject[string] }];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const call: ItemOperation<CallRequest> = {
		read: (itemIndex) => {
			const method = this.getNodeParameter('method', itemIndex, 'GET') as Method;
			if (!METHODS.includes(method)) throw new InputError(`Method must be one of ${METHODS.join(', ')}; got ${quote(method)}`, 'Choose the method from the list.');
			const path = parsePath(this.getNodeParameter('path', itemIndex, ''));
			const rows = ((this.getNodeParameter('query', itemIndex, {}) as IDataObject).parameter ?? []) as Array<{ name?: string; value?: unknown }>;
			const qs: IDataObject = {};
			for (const { name, value } of rows) {
				const key = String(name ?? '').trim();
				if (!key) throw new InputError('Query Parameters: a parameter has no name', 'Give every query parameter a name, or remove the empty one.');
				qs[key] = value === undefined || value === null ? '' : String(value);
			}
			const body = method === 'POST' || method === 'PATCH' ? parseBody(this.getNodeParameter('body', itemIndex, '{}')) : undefined;
			const split = (this.getNodeParameter('options', itemIndex, {}) as IDataObject).split !== false;
			return { method, path, qs, body, split };
		},
		send: async (session, request, itemIndex) => {
			const answer = await vibeRequest.call(this, session, {
				method: request.method,
				path: request.path,
				qs: Object.keys(request.qs).length > 0 ? request.qs : undefined,
				body: request.body,
				idempotent: harmlessTwice(request),
				cost: costOf(request),
				itemIndex,
			});
			return outputs(answer, request.split);
		},
		fields: (itemIndex, request) => (request ? { method: request.method, path: request.path } : {}),
	};
	return await runItems.call(this, call);
}
