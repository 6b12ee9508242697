'use strict';
/**
 * A local VibeCode sandbox: a real HTTP server on 127.0.0.1 that answers like the API described in
 * docs/vibecode-contract.md (keys of every type, /v1/me, /v1/triggers, /v1/triggers/fire, the six CRM
 * entity APIs, the error envelope, per-key rate limits with Retry-After, latency) and keeps a journal of
 * every fire it accepted; where VibeCode's documentation is silent it decides as that page's section
 * "Assumptions the sandbox makes" says. Faults can be queued to test how clients behave (docs/sandbox.md).
 * Used by tests and the demo; never shipped.
 */
const http = require('node:http');
const crypto = require('node:crypto');

const KEYS = {
	personal: 'vibe_api_sandbox_personal',
	app: 'vibe_app_sandbox_application',
	session: 'vibe_session_sandbox_valid',
	expiredSession: 'vibe_session_sandbox_expired',
	otherAppSession: 'vibe_session_sandbox_other_app',
	noCrm: 'vibe_api_sandbox_without_crm',
	readonly: 'vibe_api_sandbox_readonly',
	revoked: 'vibe_api_sandbox_revoked',
	management: 'vibe_live_sandbox_management',
	emptyApp: 'vibe_app_sandbox_no_triggers',
	emptySession: 'vibe_session_sandbox_no_triggers',
	expiringSoon: 'vibe_api_sandbox_expiring_soon',
};

const PORTAL = 'sandbox.bitrix24.com';

const ENTITIES = {
	deal: { path: 'deals', dates: ['createdAt', 'updatedAt'] },
	lead: { path: 'leads', dates: ['createdTime', 'updatedTime'] },
	contact: { path: 'contacts', dates: ['createdTime', 'updatedTime'] },
	company: { path: 'companies', dates: ['createdTime', 'updatedTime'] },
	quote: { path: 'quotes', dates: ['createdAt', 'updatedAt'] },
	invoice: { path: 'invoices', dates: ['createdTime', 'updatedTime'] },
};
const ENTITY_BY_PATH = Object.fromEntries(Object.entries(ENTITIES).map(([type, { path }]) => [path, type]));

const DEFAULT_TRIGGERS = [
	{ NAME: 'Payment received', CODE: 'payment_received' },
	{ NAME: 'Delivery confirmed', CODE: 'delivery_confirmed' },
	{ NAME: 'Contract signed', CODE: 'contract_signed' },
];

const SEED = {
	deal: [
		{ id: 5141, title: 'Website redesign', amount: 12000, currency: 'USD', stageId: 'NEW' },
		{ id: 5142, title: 'Annual support contract', amount: 4800, currency: 'USD', stageId: 'PREPARATION' },
		{ id: 5143, title: 'Office chairs for Globex', amount: 2300, currency: 'EUR', stageId: 'EXECUTING' },
	],
	lead: [
		{ id: 101, title: 'Inbound call', name: 'Anna', lastName: 'Smirnova', statusId: 'NEW' },
		{ id: 102, title: 'Web form: pricing', name: 'Oleg', lastName: 'Volkov', statusId: 'IN_PROCESS' },
	],
	contact: [
		{ id: 201, name: 'Ivan', lastName: 'Petrov', post: 'Buyer' },
		{ id: 202, name: 'Maria', lastName: 'Ivanova', post: 'CFO' },
	],
	company: [
		{ id: 301, title: 'Acme LLC', industry: 'IT' },
		{ id: 302, title: 'Globex Corporation', industry: 'MANUFACTURING' },
	],
	quote: [{ id: 401, title: 'Quote for Acme: redesign', amount: 12000, stageId: 'DRAFT' }],
	invoice: [{ id: 501, title: 'Invoice 501 for Globex', opportunity: 2300, stageId: 'DT31_2:N' }],
};

/** Pipelines, stage/status lists and users (docs/vibecode-contract.md, "Pipelines, stages and users"). */
const DEAL_CATEGORIES = [
	{ id: 0, name: 'General', sort: 100, isDefault: 'Y' },
	{ id: 1, name: 'Wholesale', sort: 200, isDefault: 'N' },
];
const stages = (entityId, categoryId, list) =>
	list.map(([statusId, name], index) => ({ id: 0, entityId, statusId, name, sort: (index + 1) * 10, categoryId }));
const STATUSES = [
	...stages('DEAL_STAGE', 0, [['NEW', 'New'], ['PREPARATION', 'Preparing documents'], ['EXECUTING', 'In progress'], ['WON', 'Deal won'], ['LOSE', 'Deal lost']]),
	...stages('DEAL_STAGE_1', 1, [['C1:NEW', 'New'], ['C1:NEGOTIATION', 'Negotiation'], ['C1:WON', 'Won'], ['C1:LOSE', 'Lost']]),
	...stages('STATUS', null, [['NEW', 'Unassigned'], ['IN_PROCESS', 'In progress'], ['CONVERTED', 'Good lead'], ['JUNK', 'Junk lead']]),
	...stages('QUOTE_STATUS', null, [['DRAFT', 'New'], ['SENT', 'Sent to client'], ['APPROVED', 'Approved'], ['DECLAINED', 'Declined']]),
	...stages('SMART_INVOICE_STAGE_2', 2, [['DT31_2:N', 'New'], ['DT31_2:S', 'Sent'], ['DT31_2:P', 'Paid'], ['DT31_2:D', 'Not paid']]),
	...stages('SOURCE', null, [['CALL', 'Call'], ['WEB', 'Website']]),
].map((status, index) => ({ ...status, id: index + 1 }));
const USERS = [
	{ ID: '1', NAME: 'Sandbox', LAST_NAME: 'Owner', EMAIL: 'owner@sandbox.example', ACTIVE: true },
	{ ID: '7', NAME: 'Olga', LAST_NAME: 'Sales', EMAIL: 'olga@sandbox.example', ACTIVE: true },
	{ ID: '9', NAME: 'Former', LAST_NAME: 'Employee', EMAIL: 'former@sandbox.example', ACTIVE: false },
];

function keyTable() {
	return {
		[KEYS.personal]: { type: 'personal', scopes: ['crm', 'task', 'user'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.app]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-1' },
		[KEYS.emptyApp]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-2' },
		[KEYS.noCrm]: { type: 'personal', scopes: ['task'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.readonly]: { type: 'personal', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READONLY' },
		[KEYS.revoked]: { type: 'personal', scopes: ['crm'], status: 'REVOKED', accessMode: 'READWRITE' },
		// Expires three days after the sandbox (re)starts: the connection test warns about keys expiring within 7 days.
		[KEYS.expiringSoon]: { type: 'personal', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
		[KEYS.management]: { type: 'management', scopes: ['vibe:mgmt:keys'], status: 'ACTIVE', accessMode: 'READWRITE' },
	};
}

function sessionTable() {
	return {
		[KEYS.session]: { app: 'app-1', expired: false },
		[KEYS.expiredSession]: { app: 'app-1', expired: true },
		[KEYS.otherAppSession]: { app: 'app-9', expired: false },
		[KEYS.emptySession]: { app: 'app-2', expired: false },
	};
}

class HttpError extends Error {
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.extra = extra;
	}
}

/**
 * createSandbox({ rateLimit, windowMs, latencyMs, checkEntityExists }) → sandbox with
 * start(), stop(), url, journal, faults, configure(), reset(), createRecord(), seedRecords().
 */
function createSandbox(options = {}) {
	const sandbox = {
		url: '',
		keys: KEYS,
		portal: PORTAL,
		journal: [],
		/** Every request as { method, path, status, key } (keys shortened), for counting 429s and calls. */
		requests: [],
		faults: [],
		config: {},
		server: undefined,
	};
	let keys;
	let sessions;
	let records;
	let triggers;
	let windows;
	let nextId;

	sandbox.configure = (changes) => {
		Object.assign(sandbox.config, changes);
		return sandbox;
	};

	sandbox.reset = () => {
		sandbox.journal.length = 0;
		sandbox.requests.length = 0;
		sandbox.faults.length = 0;
		sandbox.config = {
			rateLimit: 300,
			windowMs: 60_000,
			latencyMs: 0,
			checkEntityExists: true,
			...options,
		};
		keys = keyTable();
		sessions = sessionTable();
		triggers = { 'app-1': DEFAULT_TRIGGERS.map((t) => ({ ...t })), 'app-2': [] };
		windows = new Map();
		nextId = 10_000;
		records = {};
		const base = Date.parse('2026-11-01T09:00:00Z');
		for (const [type, list] of Object.entries(SEED)) {
			records[type] = new Map();
			list.forEach((record, index) => sandbox.createRecord(type, record, new Date(base + index * 60_000)));
		}
		return sandbox;
	};

	/** Adds a record as POST /v1/{entity} would; returns it. */
	sandbox.createRecord = (type, fields = {}, at = new Date()) => {
		const [created, updated] = ENTITIES[type].dates;
		const id = fields.id ?? nextId++;
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const record = { ...fields, id, [created]: stamp, [updated]: stamp };
		records[type].set(id, record);
		return record;
	};

	/**
	 * Changes a record as PATCH /v1/{entity}/:id would (a stage move is `{ stageId }`): its update time becomes
	 * `at`. Returns the record, or undefined when there is none.
	 */
	sandbox.updateRecord = (type, id, changes = {}, at = new Date()) => {
		const record = records[type].get(Number(id));
		if (!record) return undefined;
		const [created, updated] = ENTITIES[type].dates;
		const { id: _id, [created]: _created, ...rest } = changes;
		Object.assign(record, rest, { [updated]: at.toISOString().replace(/\.\d{3}Z$/, '+00:00') });
		return record;
	};

	sandbox.seedRecords = (type, count, make = (i) => ({ title: `Generated ${type} ${i}`, name: `Person${i}`, lastName: `Test${i}` })) => {
		for (let i = 0; i < count; i++) sandbox.createRecord(type, make(i));
	};

	sandbox.setTriggers = (list, app = 'app-1') => {
		triggers[app] = list;
	};

	/** Queue a fault for the next matching request(s): see docs/sandbox.md, "Faults", for the kinds. */
	sandbox.addFault = (fault) => {
		sandbox.faults.push({ times: 1, method: undefined, path: undefined, ...fault });
		return sandbox;
	};

	sandbox.fires = () => sandbox.journal.length;

	sandbox.reset();

	const server = http.createServer((req, res) => {
		let raw = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const delay = sandbox.config.latencyMs;
			if (delay > 0) setTimeout(() => handle(req, res, raw), delay);
			else handle(req, res, raw);
		});
	});
	server.keepAliveTimeout = 5000;
	sandbox.server = server;

	function takeFault(method, path) {
		const index = sandbox.faults.findIndex(
			(f) => (!f.method || f.method === method) && (!f.path || f.path === path) && f.times > 0,
		);
		if (index < 0) return undefined;
		const fault = sandbox.faults[index];
		fault.times -= 1;
		if (fault.times <= 0) sandbox.faults.splice(index, 1);
		return fault;
	}

	function handle(req, res, raw) {
		const requestId = `req_${crypto.randomBytes(6).toString('hex')}`;
		const url = new URL(req.url, 'http://sandbox');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const headers = { 'X-Request-Id': requestId };
		const log = { method: req.method, path, status: 0, at: Date.now() };
		sandbox.requests.push(log);

		const send = (status, body, extraHeaders = {}, contentType = 'application/json; charset=utf-8') => {
			log.status = status;
			const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			res.writeHead(status, { 'Content-Type': contentType, ...headers, ...extraHeaders });
			res.end(text);
		};
		const fail = (error) => {
			const extra = {};
			if (error.extra.retryAfter !== undefined) extra['Retry-After'] = String(error.extra.retryAfter);
			send(error.status, { success: false, error: { code: error.code, message: error.message, ...error.extra } }, extra);
		};

		if (path.startsWith('/__sandbox/')) return control(req, res, path, raw, send);

		try {
			const caller = authenticate(req, path);
			rateLimit(caller, headers);
			const fault = takeFault(req.method, path);
			if (fault && !fault.afterProcessing) return applyFault(fault, req, res, send, headers);
			const [status, body] = route(req, path, url, raw, caller, requestId);
			if (fault) return applyFault(fault, req, res, send, headers);
			send(status, body);
		} catch (error) {
			if (error instanceof HttpError) return fail(error);
			send(500, { success: false, error: { code: 'INTERNAL_ERROR', message: String(error && error.message) } });
		}
	}

	function applyFault(fault, req, res, send, headers) {
		const status = fault.status;
		switch (fault.kind) {
			case 'error': {
				const extra = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
				const error = { code: fault.code, message: fault.message ?? fault.code };
				if (fault.retryAfter !== undefined) error.retryAfter = fault.retryAfter;
				if (fault.hint) error.hint = fault.hint;
				return send(status ?? 400, { success: false, error }, extra);
			}
			case 'successFalse':
				return send(200, { success: false, error: { code: fault.code ?? 'BITRIX_ERROR', message: fault.message ?? 'Bitrix24 said no' } });
			case 'html':
				return send(status ?? 502, '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', {}, 'text/html');
			case 'empty':
				return send(status ?? 200, '');
			case 'badjson':
				return send(status ?? 200, '{"success": true, "data": tr');
			case 'echo':
				// A broken proxy that echoes the request headers (secrets included) in its error body.
				return send(status ?? 500, { success: false, error: { code: 'INTERNAL_ERROR', message: `Upstream failed for ${JSON.stringify(req.headers)}`, hint: `x-api-key was ${req.headers['x-api-key']}; authorization was ${req.headers.authorization}` } });
			case 'reset':
				sandbox.requests[sandbox.requests.length - 1].status = 'reset';
				return req.socket.destroy();
			case 'hang':
				// Answer only after `delayMs` (longer than the client's timeout); the request was processed.
				return setTimeout(() => {
					if (!res.writableEnded && !req.socket.destroyed) send(200, { success: true, data: true });
				}, fault.delayMs ?? 5000);
			default:
				return send(500, { success: false, error: { code: 'INTERNAL_ERROR', message: `unknown fault ${fault.kind}` } });
		}
	}

	function authenticate(req, path) {
		let key = req.headers['x-api-key'];
		const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (!key && bearer && /^vibe_(api|live)_/.test(bearer)) key = bearer;
		if (!key) throw new HttpError(401, 'MISSING_API_KEY', 'API key required. Pass via X-Api-Key header.');
		const info = keys[key];
		if (!info) throw new HttpError(401, 'INVALID_API_KEY', 'Invalid or expired API key');
		if (info.status !== 'ACTIVE') throw new HttpError(401, 'KEY_INACTIVE', 'API key is revoked or expired');
		const caller = { key, ...info };
		if (path === '/v1/me') return caller;
		if (info.type === 'management') {
			throw new HttpError(403, 'MANAGEMENT_KEY_NO_ENTITY_ACCESS', 'Management keys have no access to entity data');
		}
		if (info.type === 'oauth_app') {
			if (!bearer || bearer === key) throw new HttpError(401, 'TOKEN_MISSING', 'The OAuth key has no active user session — Authorization: Bearer is missing');
			const session = sessions[bearer];
			if (!session) throw new HttpError(401, 'INVALID_SESSION', 'Invalid session token');
			if (session.expired) throw new HttpError(401, 'TOKEN_EXPIRED', 'The OAuth user session has expired — re-authorize via /v1/oauth/authorize');
			if (session.app !== info.app) throw new HttpError(403, 'SESSION_APP_MISMATCH', 'Session belongs to another application');
		}
		if (!info.scopes.includes('crm')) throw new HttpError(403, 'SCOPE_DENIED', "This endpoint requires 'crm' scope");
		return caller;
	}

	function rateLimit(caller, headers) {
		const { rateLimit: limit, windowMs } = sandbox.config;
		const now = Date.now();
		let window = windows.get(caller.key);
		if (!window) windows.set(caller.key, (window = []));
		while (window.length && window[0] <= now - windowMs) window.shift();
		const resetSeconds = (oldest) => Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
		headers['X-RateLimit-Limit'] = String(limit);
		if (window.length >= limit) {
			const retryAfter = resetSeconds(window[0]);
			headers['X-RateLimit-Remaining'] = '0';
			headers['X-RateLimit-Reset'] = String(retryAfter);
			throw new HttpError(429, 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED', {
				hint: 'Wait 1-2 seconds and retry. Use POST /v1/batch to combine up to 50 calls in 1 request.',
				retryAfter,
			});
		}
		window.push(now);
		headers['X-RateLimit-Remaining'] = String(limit - window.length);
		headers['X-RateLimit-Reset'] = String(resetSeconds(window[0]));
	}

	function parseBody(req, raw) {
		if (!/application\/json/i.test(req.headers['content-type'] ?? '')) {
			throw new HttpError(400, 'VALIDATION_ERROR', 'Content-Type must be application/json');
		}
		try {
			const body = JSON.parse(raw || '{}');
			if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
			return body;
		} catch {
			throw new HttpError(400, 'VALIDATION_ERROR', 'Request body is not valid JSON');
		}
	}

	function route(req, path, url, raw, caller, requestId) {
		const method = req.method;
		if (method === 'GET' && path === '/v1/me') return [200, me(caller)];
		if (method === 'GET' && path === '/v1/triggers') {
			if (caller.type !== 'oauth_app') throw new HttpError(403, 'BITRIX_ACCESS_DENIED', 'Access denied! Application context required');
			return [200, { success: true, data: triggers[caller.app] ?? [] }];
		}
		if (method === 'GET' && path === '/v1/deal-categories') return [200, listItems(DEAL_CATEGORIES, queryOf(url))];
		if (method === 'GET' && path === '/v1/statuses') return [200, listItems(STATUSES, { sort: 'sort', limit: 500, ...queryOf(url) })];
		if (method === 'GET' && path === '/v1/users') return [200, listItems(USERS, { sort: 'ID', ...queryOf(url) })];
		if (method === 'POST' && path === '/v1/triggers/fire') {
			return [200, fire(parseBody(req, raw), caller, requestId)];
		}
		const match = /^\/v1\/([a-z]+)(?:\/(search|\d+|[^/]+))?$/.exec(path);
		const type = match && ENTITY_BY_PATH[match[1]];
		if (type) {
			const sub = match[2];
			if (method === 'GET' && !sub) return [200, list(type, queryOf(url))];
			if (method === 'POST' && sub === 'search') return [200, list(type, parseBody(req, raw))];
			if (method === 'POST' && !sub) {
				if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.add`);
				const fields = parseBody(req, raw).fields ?? {};
				delete fields.id;
				return [201, { success: true, data: sandbox.createRecord(type, fields) }];
			}
			if (sub && /^\d+$/.test(sub)) {
				const id = Number(sub);
				if (!records[type].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (method === 'GET') return [200, { success: true, data: records[type].get(id) }];
				if (method === 'PATCH') {
					if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.update`);
					return [200, { success: true, data: sandbox.updateRecord(type, id, parseBody(req, raw).fields ?? {}) }];
				}
				if (method === 'DELETE') {
					records[type].delete(id);
					return [200, { success: true, data: true }];
				}
			}
			if (sub && !/^\d+$/.test(sub) && sub !== 'search') {
				throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
			}
		}
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	function queryOf(url) {
		const query = { filter: {} };
		for (const [name, value] of url.searchParams) {
			const filter = /^filter\[(.+)\]$/.exec(name);
			if (filter) query.filter[filter[1]] = value;
			else if (name === 'limit' || name === 'offset') query[name] = Number(value);
			else if (name === 'sort' || name === 'order') query.sort = value;
		}
		return query;
	}

	function me(caller) {
		if (caller.type === 'management') {
			return { success: true, data: { type: 'management', keyPrefix: 'vibe_live_sand', scopes: caller.scopes, portals: [{ id: 1, domain: PORTAL, status: 'ACTIVE', role: 'ADMIN' }] } };
		}
		const data = {
			type: caller.type,
			portal: PORTAL,
			scopes: caller.scopes,
			accessMode: caller.accessMode,
			rateLimit: { requestsPerSecond: 10 },
			expiresAt: caller.expiresAt ?? null,
		};
		if (caller.type === 'oauth_app') {
			data.app = { title: 'Sandbox App', id: caller.app };
			data.oauth = { authorizeUrl: `${sandbox.url}/v1/oauth/authorize?app_key=...`, tokenUrl: `${sandbox.url}/v1/oauth/token` };
		} else {
			data.owner = { name: 'Sandbox Owner' };
		}
		return { success: true, data };
	}

	function fire(body, caller, requestId) {
		const { entityType, entityId, triggerId } = body;
		if (entityType === undefined || entityId === undefined || triggerId === undefined || entityType === '' || triggerId === '') {
			throw new HttpError(400, 'MISSING_PARAMS', 'One of the required parameters is missing: entityType, entityId, triggerId');
		}
		if (!ENTITIES[entityType]) {
			throw new HttpError(400, 'INVALID_ENTITY_TYPE', `Unknown entityType "${entityType}". Supported: deal, lead, contact, company, quote, invoice`);
		}
		if (typeof entityId !== 'number' || !Number.isInteger(entityId) || entityId <= 0) {
			throw new HttpError(400, 'VALIDATION_ERROR', `entityId: Expected positive integer, received ${typeof entityId}`);
		}
		if (typeof triggerId !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', `triggerId: Expected string, received ${typeof triggerId}`);
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', 'Write blocked: crm.automation.trigger');
		if (sandbox.config.checkEntityExists && !records[entityType].has(entityId)) {
			throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		}
		sandbox.journal.push({ entityType, entityId, triggerId, keyType: caller.type, requestId, at: Date.now() });
		return { success: true, data: true };
	}

	function list(type, body) {
		return listItems([...records[type].values()], body);
	}

	function listItems(all, body) {
		let items = [...all];
		for (const [rawKey, condition] of Object.entries(body.filter ?? {})) {
			items = items.filter((record) => matches(record, rawKey, condition));
		}
		const sort = normaliseSort(body.sort ?? body.order ?? 'id');
		items.sort((a, b) => {
			for (const [field, direction] of sort) {
				const cmp = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0;
				if (cmp) return direction * cmp;
			}
			return 0;
		});
		const limit = Math.min(Number(body.limit ?? 50) || 50, 5000);
		const offset = Number(body.offset ?? 0) || 0;
		const page = items.slice(offset, offset + limit);
		const select = Array.isArray(body.select) && body.select.length ? body.select : undefined;
		const data = select ? page.map((r) => Object.fromEntries(select.filter((f) => f in r).map((f) => [f, r[f]]))) : page;
		const hasMore = offset + page.length < items.length;
		return { success: true, data, total: items.length, meta: { total: items.length, hasMore, truncated: false } };
	}

	function normaliseSort(sort) {
		const parts = typeof sort === 'string' ? sort.split(',') : Array.isArray(sort) ? sort : Object.entries(sort).map(([f, d]) => (/desc|-1/i.test(String(d)) ? `-${f}` : f));
		return parts.filter(Boolean).map((p) => (p.startsWith('-') ? [p.slice(1), -1] : [p, 1]));
	}

	function matches(record, rawKey, condition) {
		const prefix = /^(>=|<=|!=|>|<|!|%|=)?(.+)$/.exec(rawKey);
		const field = prefix[2];
		const value = record[field];
		const ops = prefix[1]
			? { [{ '>=': '$gte', '<=': '$lte', '>': '$gt', '<': '$lt', '!': '$ne', '!=': '$ne', '%': '$contains', '=': '$eq' }[prefix[1]]]: condition }
			: condition && typeof condition === 'object' && !Array.isArray(condition)
				? condition
				: Array.isArray(condition)
					? { $in: condition }
					: { $eq: condition };
		return Object.entries(ops).every(([op, expected]) => {
			const cmp = (a, b) => (typeof a === 'string' && /^\d{4}-\d\d-\d\d/.test(a) ? Date.parse(a) - Date.parse(b) : a - b);
			switch (op) {
				case '$eq': case '=': return String(value) === String(expected);
				case '$ne': case '!': return String(value) !== String(expected);
				case '$gt': case '>': return value !== undefined && cmp(value, expected) > 0;
				case '$gte': case '>=': return value !== undefined && cmp(value, expected) >= 0;
				case '$lt': case '<': return value !== undefined && cmp(value, expected) < 0;
				case '$lte': case '<=': return value !== undefined && cmp(value, expected) <= 0;
				case '$in': return Array.isArray(expected) && expected.map(String).includes(String(value));
				case '$contains': return typeof value === 'string' && value.toLowerCase().includes(String(expected).toLowerCase());
				default: throw new HttpError(400, 'INVALID_FILTER_OPERATOR', `Unknown operator ${op}`);
			}
		});
	}

	function control(req, res, path, raw, send) {
		if (req.method === 'GET' && path === '/__sandbox/journal') return send(200, { journal: sandbox.journal });
		if (req.method === 'GET' && path === '/__sandbox/requests') return send(200, { requests: sandbox.requests });
		if (req.method === 'POST' && path === '/__sandbox/reset') {
			sandbox.reset();
			return send(200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__sandbox/faults') {
			sandbox.addFault(JSON.parse(raw || '{}'));
			return send(200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__sandbox/config') {
			sandbox.configure(JSON.parse(raw || '{}'));
			return send(200, { ok: true, config: sandbox.config });
		}
		const updated = /^\/__sandbox\/records\/([a-z]+)\/(\d+)$/.exec(path);
		if (req.method === 'PATCH' && updated && ENTITIES[updated[1]]) {
			const record = sandbox.updateRecord(updated[1], updated[2], JSON.parse(raw || '{}'));
			return record ? send(200, { record }) : send(404, { error: 'no such record' });
		}
		const created = /^\/__sandbox\/records\/([a-z]+)$/.exec(path);
		if (req.method === 'POST' && created && ENTITIES[created[1]]) {
			return send(201, { record: sandbox.createRecord(created[1], JSON.parse(raw || '{}')) });
		}
		return send(404, { error: 'unknown sandbox control' });
	}

	sandbox.start = (port = 0, host = '127.0.0.1') =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				sandbox.url = `http://${host}:${server.address().port}`;
				resolve(sandbox);
			});
		});

	sandbox.stop = () =>
		new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		});

	return sandbox;
}

module.exports = { createSandbox, KEYS, PORTAL, DEFAULT_TRIGGERS };
