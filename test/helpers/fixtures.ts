import http from 'node:http';

import type { ICredentialDataDecryptedObject, IDataObject, ResourceMapperField } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/server';

export const personal = (sandbox: Sandbox): ICredentialDataDecryptedObject => ({
	keyType: 'personal',
	apiKey: sandbox.keys.personal,
	baseUrl: sandbox.url,
});

export const oauthApp = (sandbox: Sandbox, sessionToken = sandbox.keys.session): ICredentialDataDecryptedObject => ({
	keyType: 'oauthApp',
	apiKey: sandbox.keys.app,
	sessionToken,
	baseUrl: sandbox.url,
});

export interface FireInput {
	entityType?: unknown;
	entity?: unknown;
	trigger?: unknown;
	options?: IDataObject;
}

/** Fire parameters as the editor stores them: resource locators for Entity and Trigger. */
export function fireParameters({ entityType = 'deal', entity = '5141', trigger = 'payment_received', options }: FireInput = {}): IDataObject {
	return {
		resource: 'automationTrigger',
		operation: 'fire',
		entityType: entityType as IDataObject[string],
		entity: typeof entity === 'object' && entity !== null && '__rl' in entity ? entity : { __rl: true, mode: 'id', value: entity },
		trigger: typeof trigger === 'object' && trigger !== null && '__rl' in trigger ? trigger : { __rl: true, mode: 'code', value: trigger },
		options: { maxWait: 5, ...options },
	};
}

/** Everything an error or an output could show a user or a log, as one string. */
export function serialise(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, function (_key, inner) {
		if (inner instanceof Error) {
			const plain: IDataObject = {};
			for (const name of Object.getOwnPropertyNames(inner)) plain[name] = (inner as unknown as IDataObject)[name];
			return { ...plain, cause: (inner as { cause?: unknown }).cause, stack: inner.stack };
		}
		if (inner && typeof inner === 'object') {
			if (seen.has(inner)) return '[circular]';
			seen.add(inner);
		}
		return inner;
	});
}

export type RecordOperation = 'create' | 'upsert' | 'get' | 'getMany' | 'update' | 'delete';

export interface RecordInput {
	/** The record resource: company, contact, deal, invoice, lead or quote. */
	resource: string;
	operation: RecordOperation;
	/** Get, Update, Delete: the Record locator, or an ID (or expression) for its By ID mode. */
	entity?: unknown;
	/** The field mapper: the values mapped below (expressions allowed), or 'auto' to map each input item's keys. */
	values?: IDataObject | 'auto';
	/** Create or Update: the field to match on. */
	match?: string[];
	/** The mapper's fields as the editor saved them with the workflow (what getRecordFields returned). */
	schema?: ResourceMapperField[];
	pipeline?: unknown;
	stage?: unknown;
	responsible?: unknown;
	returnAll?: boolean;
	limit?: number;
	filters?: Array<{ field: string; operator?: string; value?: unknown }>;
	sort?: { field: string; direction?: 'asc' | 'desc' };
	options?: IDataObject;
}

/**
 * Record operation parameters as n8n's editor saves them: the Record locator, the dropdowns, the resource mapper
 * value `{ mappingMode, value, matchingColumns, schema, … }`, Get Many's filter and sort collections.
 */
export function recordParameters(input: RecordInput): IDataObject {
	const { resource, operation, entity, values, match = [], schema = [], options } = input;
	const parameters: IDataObject = { resource, operation, options: { maxWait: 5, ...options } };
	if (entity !== undefined) {
		parameters.entity = (typeof entity === 'object' && entity !== null && '__rl' in entity ? entity : { __rl: true, mode: 'id', value: String(entity) }) as IDataObject;
	}
	if (['create', 'upsert', 'update'].includes(operation)) {
		const auto = values === 'auto';
		parameters.columns = {
			mappingMode: auto ? 'autoMapInputData' : 'defineBelow',
			value: auto ? null : ((values ?? {}) as IDataObject),
			matchingColumns: match,
			schema: schema as unknown as IDataObject[],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		};
		for (const name of ['pipeline', 'stage', 'responsible'] as const) {
			if (input[name] !== undefined) parameters[name] = input[name] as IDataObject[string];
		}
	}
	if (operation === 'getMany') {
		parameters.returnAll = input.returnAll ?? false;
		if (input.limit !== undefined) parameters.limit = input.limit;
		if (input.filters) parameters.filters = { conditions: input.filters.map((row) => ({ operator: 'equals', ...row })) as IDataObject[] };
		if (input.sort) parameters.sort = { by: { direction: 'asc', ...input.sort } };
	}
	return parameters;
}

/** The seeded record of each type (test/sandbox/families/crm/tables.js): the one Get, Update and Delete act on. */
/**
 * One stage move per entity type with stages, for Entered Stage tests: [type, a start stage, the watched stage,
 * another stage]; the sandbox's deals, leads and invoices carry a move time, quotes do not.
 */
export const STAGE_MOVES: Array<[string, string, string, string]> = [
	['deal', 'NEW', 'WON', 'LOSE'],
	['quote', 'DRAFT', 'APPROVED', 'SENT'],
	['invoice', 'DT31_2:N', 'DT31_2:P', 'DT31_2:S'],
	['lead', 'NEW', 'CONVERTED', 'JUNK'],
];
/** The field holding the stage: a lead's status, the others' stage. */
export const stageField = (type: string) => (type === 'lead' ? 'statusId' : 'stageId');

export const RECORD_IDS: Record<string, number> = { company: 301, contact: 201, deal: 5141, invoice: 501, lead: 101, quote: 401 };

/** Both key types, as `describe.each` rows. */
export const KEY_TYPES = [
	['a personal key', personal],
	['an OAuth application', (sandbox: Sandbox) => oauthApp(sandbox)],
] as const;

export interface RecordingProxy {
	/** Use as the credential's Base URL. */
	url: string;
	/** Every request as sent, its JSON body parsed. */
	sent: Array<{ method: string; path: string; body?: IDataObject }>;
	stop(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of the sandbox: records each request's body (the sandbox keeps only method,
 * path and status) and may rewrite JSON answers, to show the node an answer the sandbox would not give.
 */
export async function startProxy(target: string, rewrite?: (path: string, answer: IDataObject) => IDataObject): Promise<RecordingProxy> {
	const sent: RecordingProxy['sent'] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const path = (req.url ?? '/').split('?')[0];
			let body: IDataObject | undefined;
			try {
				body = raw.length ? (JSON.parse(raw.toString('utf8')) as IDataObject) : undefined;
			} catch {
				body = undefined;
			}
			sent.push({ method: req.method ?? 'GET', path, body });
			const headers = { ...req.headers };
			delete headers.host;
			const upstream = http.request(`${target}${req.url}`, { method: req.method, headers }, (answer) => {
				const parts: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => parts.push(chunk));
				answer.on('end', () => {
					let text = Buffer.concat(parts).toString('utf8');
					if (rewrite && text) {
						try {
							text = JSON.stringify(rewrite(path, JSON.parse(text) as IDataObject));
						} catch {
							// not JSON: passed on as it came
						}
					}
					const out = { ...answer.headers };
					delete out['content-length'];
					delete out['transfer-encoding'];
					res.writeHead(answer.statusCode ?? 502, out);
					res.end(text);
				});
			});
			upstream.on('error', () => res.socket?.destroy());
			upstream.end(raw);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		sent,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Asks the sandbox directly with the personal key (what a test checks afterwards, not what the node did):
 * `data` of the answer. Such requests appear in `sandbox.requests` too, so check those first.
 */
export async function askSandbox(sandbox: Sandbox, method: 'GET' | 'POST', path: string, body?: IDataObject): Promise<IDataObject & { data: unknown }> {
	const answer = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { 'X-Api-Key': sandbox.keys.personal, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await answer.json()) as IDataObject & { data: unknown };
}

/** A raw answer of the sandbox: its status, its text and the JSON it holds (none for an empty body). */
export interface SandboxAnswer {
	status: number;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

/**
 * A plain HTTP client of the sandbox for its own tests: `call(method, path, body?, key)` with the personal key unless
 * another key (or headers, such as an OAuth application's) is given.
 */
export function sandboxCaller(sandbox: Sandbox) {
	return async (method: string, path: string, body?: unknown, key: string | Record<string, string> = sandbox.keys.personal): Promise<SandboxAnswer> => {
		const response = await fetch(`${sandbox.url}${path}`, {
			method,
			headers: { ...(typeof key === 'string' ? { 'X-Api-Key': key } : key), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		// The text is there for a test that reads it, but not enumerable: tests compare `{ status, body }` whole.
		return Object.defineProperty({ status: response.status, body: text ? JSON.parse(text) : undefined }, 'text', { value: text, enumerable: false }) as SandboxAnswer;
	};
}

/** The sandbox's user 7 as the User operations output it: each field once, in camelCase, the ID a number. */
export const OLGA = {
	id: 7,
	name: 'Olga',
	lastName: 'Sales',
	email: 'olga@sandbox.example',
	active: true,
	workPosition: 'Sales manager',
	departmentId: [5],
	personalPhone: '+49 30 1234567',
	personalPhoto: '',
	isAdmin: false,
	lastLogin: '2026-11-01T07:55:00+00:00',
	secondName: 'Petrovna',
};
