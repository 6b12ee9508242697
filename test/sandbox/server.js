'use strict';
/**
 * A local VibeCode sandbox: a real HTTP server on 127.0.0.1 that answers like the API described in
 * docs/vibecode-contract.md (keys of every type, /v1/me, /v1/triggers, /v1/triggers/fire, the six CRM
 * entity APIs, the error envelope, per-key rate limits with Retry-After, latency) and keeps a journal of
 * every fire it accepted; where VibeCode's documentation is silent it decides as that page's section
 * "Assumptions the sandbox makes" says. Faults can be queued to test how clients behave (docs/sandbox.md).
 * Used by tests and the demo; never shipped.
 *
 * Its parts: families/auth.js (keys, sessions, /v1/me), families/triggers.js, families/users.js,
 * families/otherEntities.js, families/crm/ (the CRM records, their batches, pipelines and tables) and the families of
 * families/index.js; common/ holds what they share (the list engine, value coercion, HttpError). This file wires them
 * and serves HTTP: faults, rate limits, the /__sandbox/ control routes.
 */
const http = require('node:http');
const crypto = require('node:crypto');

const FAMILIES = require('./families');
const { HttpError, parseBody } = require('./common/http');
const { coerce, isEmpty, isObject, portalTime } = require('./common/values');
const { conditionsOf, filterOf, listItems, normaliseSort, queryOf } = require('./common/list');
const makeAuth = require('./families/auth');
const makeTriggers = require('./families/triggers');
const makeUsers = require('./families/users');
const makeOtherEntities = require('./families/otherEntities');
const makeCrm = require('./families/crm/records');
const { ENTITIES, FIELDS } = require('./families/crm/tables');
const pipelines = require('./families/crm/pipelines');
const { BATCH_RECORDS, BATCH_RESULTS, BATCH_ORDER } = require('./families/crm/batch');

const { KEYS, PORTAL, KEY_USER } = makeAuth;
const { DEFAULT_TRIGGERS } = makeTriggers;
const { BODY_SHAPES } = makeCrm;
const { USERS_SHAPES, USER_GET } = makeUsers;

/** A configuration the sandbox can run with; a mistyped option fails here rather than as a puzzling test. */
function checkConfig(config) {
	if (!BODY_SHAPES.includes(config.bodyShape)) throw new Error(`bodyShape must be one of ${BODY_SHAPES.join(', ')}; got ${JSON.stringify(config.bodyShape)}`);
	if (!Array.isArray(config.dropOnWrite) || config.dropOnWrite.some((name) => typeof name !== 'string')) {
		throw new Error('dropOnWrite must be an array of field names');
	}
	if (!isObject(config.rewriteOnWrite)) throw new Error('rewriteOnWrite must be an object of { fieldName: value }');
	if (typeof config.movedTime !== 'boolean') throw new Error('movedTime must be true or false');
	if (typeof config.omitUserFields !== 'boolean') throw new Error('omitUserFields must be true or false');
	if (typeof config.batchLatencyMs !== 'number' || config.batchLatencyMs < 0) throw new Error('batchLatencyMs must be a number of milliseconds');
	if (!BATCH_RECORDS.includes(config.batchRecords)) throw new Error(`batchRecords must be one of ${BATCH_RECORDS.join(', ')}; got ${JSON.stringify(config.batchRecords)}`);
	if (!BATCH_RESULTS.includes(config.batchResults)) throw new Error(`batchResults must be one of ${BATCH_RESULTS.join(', ')}; got ${JSON.stringify(config.batchResults)}`);
	if (!BATCH_ORDER.includes(config.batchOrder)) throw new Error(`batchOrder must be one of ${BATCH_ORDER.join(', ')}; got ${JSON.stringify(config.batchOrder)}`);
	if (!USERS_SHAPES.includes(config.usersShape)) throw new Error(`usersShape must be one of ${USERS_SHAPES.join(', ')}; got ${JSON.stringify(config.usersShape)}`);
	if (!USER_GET.includes(config.userGet)) throw new Error(`userGet must be one of ${USER_GET.join(', ')}; got ${JSON.stringify(config.userGet)}`);
	return config;
}

/**
 * createSandbox({ rateLimit, windowMs, latencyMs, checkEntityExists, bodyShape, dropOnWrite, rewriteOnWrite, movedTime, omitUserFields,
 * batchLatencyMs, batchRecords, batchResults, batchOrder }) →
 * sandbox with start(), stop(), url, journal, faults, configure(), reset(), createRecord(), updateRecord(),
 * seedRecords().
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
	let windows;
	let nextId;

	sandbox.configure = (changes) => {
		Object.assign(sandbox.config, checkFamilyOptions(checkConfig({ ...sandbox.config, ...structuredClone(changes) })));
		crm.configured();
		return sandbox;
	};

	sandbox.reset = () => {
		sandbox.journal.length = 0;
		sandbox.requests.length = 0;
		sandbox.faults.length = 0;
		// Copies, so that a test changing sandbox.config.dropOnWrite in place does not change the next reset's.
		sandbox.config = checkConfig({
			rateLimit: 300,
			windowMs: 60_000,
			latencyMs: 0,
			checkEntityExists: true,
			bodyShape: 'documented',
			dropOnWrite: [],
			rewriteOnWrite: {},
			movedTime: true,
			omitUserFields: false,
			batchLatencyMs: 0,
			batchRecords: 'whole',
			batchResults: 'results',
			batchOrder: 'sent',
			usersShape: 'twins',
			userGet: 'object',
			...Object.fromEntries(families.flatMap((family) => Object.entries(family.options ?? {}).map(([name, { values }]) => [name, values[0]]))),
			...structuredClone(options),
		});
		checkFamilyOptions(sandbox.config);
		auth.reset();
		triggers.reset();
		windows = new Map();
		nextId = 10_000;
		users.reset();
		for (const family of families) family.reset?.();
		otherEntities.reset();
		crm.reset();
		return sandbox;
	};

	/** Queue a fault for the next matching request(s): see docs/sandbox.md, "Faults", for the kinds. */
	sandbox.addFault = (fault) => {
		sandbox.faults.push({ times: 1, method: undefined, path: undefined, ...fault });
		return sandbox;
	};

	/**
	 * What a family (families/index.js, and the sandbox's own: auth, triggers, users, otherEntities, crm) may use of the
	 * sandbox; the stores are read through functions, as reset replaces them.
	 */
	const familyContext = {
		sandbox,
		HttpError,
		KEY_USER,
		PORTAL,
		newId: () => nextId++,
		record: (type, id) => crm.record(type, id),
		updateRecord: (type, id, changes) => sandbox.updateRecord(type, id, changes),
		user: (id) => users.find(id),
		parseBody: (req, raw) => parseBody(req, raw),
		queryOf: (url) => queryOf(url),
		listItems: (all, body, table) => listItems(all, body, table),
		conditionsOf: (rawKey, condition) => conditionsOf(rawKey, condition),
		filterOf: (body) => filterOf(body),
		normaliseSort: (sort) => normaliseSort(sort),
		coerce,
		isEmpty,
		portalTime,
	};
	const triggers = makeTriggers(familyContext);
	const users = makeUsers(familyContext);
	const otherEntities = makeOtherEntities(familyContext);
	const crm = makeCrm(familyContext);
	const families = FAMILIES.map((make) => make(familyContext));
	const auth = makeAuth(familyContext, families);
	sandbox.store = (name) => {
		const family = families.find((candidate) => candidate.name === name);
		if (!family?.store) throw new Error(`no sandbox family stores ${JSON.stringify(name)}`);
		return family.store();
	};
	/** A family's options (`options: { name: { values } }`, the first value the default) take only their values. */
	function checkFamilyOptions(config) {
		for (const family of families) {
			for (const [name, { values }] of Object.entries(family.options ?? {})) {
				if (!values.includes(config[name])) throw new Error(`${name} must be one of ${values.join(', ')}; got ${JSON.stringify(config[name])}`);
			}
		}
		return config;
	}

	sandbox.reset();

	const server = http.createServer((req, res) => {
		let raw = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const received = Date.now();
			const delay = sandbox.config.latencyMs + batchChunks(req, raw) * sandbox.config.batchLatencyMs;
			if (delay > 0) setTimeout(() => handle(req, res, raw, received), delay);
			else handle(req, res, raw, received);
		});
	});
	server.keepAliveTimeout = 5000;
	sandbox.server = server;

	function takeFault(method, path) {
		const index = sandbox.faults.findIndex(
			(f) => f.kind !== 'itemError' && (!f.method || f.method === method) && (!f.path || f.path === path) && f.times > 0,
		);
		if (index < 0) return undefined;
		const fault = sandbox.faults[index];
		fault.times -= 1;
		if (fault.times <= 0) sandbox.faults.splice(index, 1);
		return fault;
	}

	/** `received`: when the request's body arrived; each logged request gets `ms`, the time until its answer was sent. */
	function handle(req, res, raw, received = Date.now()) {
		const requestId = `req_${crypto.randomBytes(6).toString('hex')}`;
		const url = new URL(req.url, 'http://sandbox');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const headers = { 'X-Request-Id': requestId };
		const log = { method: req.method, path, status: 0, at: Date.now() };
		sandbox.requests.push(log);

		const send = (status, body, extraHeaders = {}, contentType = 'application/json; charset=utf-8') => {
			log.status = status;
			log.ms = Date.now() - received;
			const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			res.writeHead(status, { ...(status === 204 ? {} : { 'Content-Type': contentType }), ...headers, ...extraHeaders });
			res.end(text);
		};
		const fail = (error) => {
			const extra = {};
			if (error.extra.retryAfter !== undefined) extra['Retry-After'] = String(error.extra.retryAfter);
			send(error.status, { success: false, error: { code: error.code, message: error.message, ...error.extra } }, extra);
		};

		if (path.startsWith('/__sandbox/')) return control(req, res, path, raw, send);
		// The browser page a user opens from the connection test's link: no key, as a sign-in page takes none.
		if (req.method === 'GET' && path === '/v1/oauth/authorize') {
			const page = auth.signInPage(url.searchParams.get('app') ?? '');
			return send(page.status, page.html, {}, 'text/html; charset=utf-8');
		}

		try {
			const caller = auth.authenticate(req, path);
			rateLimit(caller, headers, batchChunks(req, raw) || 1);
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
				// `data`: what VibeCode adds beside the error, such as a refused batch's errors by call (`{ errors }`).
				return send(status ?? 400, { success: false, error, ...(fault.data ? { data: fault.data } : {}) }, extra);
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

	/**
	 * The units a request costs: 1, and for `POST /v1/{entity}/batch` one per 50 records (the older entity-api page:
	 * 500 records for 10 units), as VibeCode sends them to Bitrix24 in batches of 50. 0 for anything but a batch.
	 */
	function batchChunks(req, raw) {
		if (req.method !== 'POST') return 0;
		const path = new URL(req.url, 'http://sandbox').pathname.replace(/\/+$/, '');
		if (path === '/v1/batch') return 1;
		if (!/^\/v1\/[a-z]+\/batch$/.test(path)) return 0;
		let body;
		try {
			body = JSON.parse(raw || '{}');
		} catch {
			return 1;
		}
		const list = Array.isArray(body?.items) ? body.items : Array.isArray(body?.ids) ? body.ids : [];
		return Math.max(1, Math.ceil(list.length / 50));
	}

	function rateLimit(caller, headers, cost = 1) {
		const { rateLimit: limit, windowMs } = sandbox.config;
		const now = Date.now();
		let window = windows.get(caller.key);
		if (!window) windows.set(caller.key, (window = []));
		while (window.length && window[0] <= now - windowMs) window.shift();
		const resetSeconds = (oldest) => Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
		headers['X-RateLimit-Limit'] = String(limit);
		if (window.length + cost > limit) {
			const retryAfter = resetSeconds(window[Math.max(0, Math.min(window.length - 1, window.length + cost - limit - 1))] ?? now);
			headers['X-RateLimit-Remaining'] = '0';
			headers['X-RateLimit-Reset'] = String(retryAfter);
			throw new HttpError(429, 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED', {
				hint: 'Wait 1-2 seconds and retry. Use POST /v1/batch to combine up to 50 calls in 1 request.',
				retryAfter,
			});
		}
		for (let unit = 0; unit < cost; unit++) window.push(now);
		headers['X-RateLimit-Remaining'] = String(limit - window.length);
		headers['X-RateLimit-Reset'] = String(resetSeconds(window[0]));
	}

	/**
	 * The sandbox's own routes first (exact paths; a smart-process item's path is checked before a family reads it),
	 * then the families', the Other Entities', the CRM records' last.
	 */
	function route(req, path, url, raw, caller, requestId) {
		const method = req.method;
		const own = auth.route(req, path, caller) ?? triggers.route(req, path, raw, caller, requestId) ?? pipelines.route(req, path, url) ?? users.route(req, path, url);
		if (own) return own;
		if (method === 'POST' && path === '/v1/batch') return crm.callBatch(parseBody(req, raw), caller, path);
		for (const family of families) {
			const answer = family.route?.(req, path, url, raw, caller);
			if (answer) return answer;
		}
		const other = otherEntities.route(req, path, url, raw, caller);
		if (other) return other;
		const record = crm.route(req, path, url, raw, caller);
		if (record) return record;
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	/** Every stored record of an Other Entity path (OTHER_ENTITIES, or a family's records: tasks), as stored (camelCase). */
	sandbox.othersOf = (path) => {
		const stored = otherEntities.records(path);
		if (stored) return stored;
		const family = families.find((candidate) => candidate.name === path && candidate.records);
		if (!family) throw new Error(`no sandbox entity ${JSON.stringify(path)}`);
		return family.records();
	};

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
			// A bad option is the caller's mistake: say so, rather than let the throw end the request unanswered.
			try {
				sandbox.configure(JSON.parse(raw || '{}'));
			} catch (error) {
				return send(400, { error: String(error.message) });
			}
			return send(200, { ok: true, config: sandbox.config });
		}
		const stored = /^\/__sandbox\/store\/([a-z-]+)$/.exec(path);
		const family = stored && families.find((candidate) => candidate.name === stored[1]);
		if (req.method === 'GET' && family?.store) return send(200, family.store());
		const updated = /^\/__sandbox\/records\/([a-z0-9_]+)\/(\d+)$/.exec(path);
		if (req.method === 'PATCH' && updated && ENTITIES[updated[1]]) {
			const record = sandbox.updateRecord(updated[1], updated[2], JSON.parse(raw || '{}'));
			return record ? send(200, { record }) : send(404, { error: 'no such record' });
		}
		const created = /^\/__sandbox\/records\/([a-z0-9_]+)$/.exec(path);
		if (req.method === 'POST' && created && ENTITIES[created[1]]) {
			const body = JSON.parse(raw || '{}');
			// An array seeds many records at once (the benchmark's sandbox runs in a process of its own).
			if (Array.isArray(body)) return send(201, { ids: body.map((fields) => sandbox.createRecord(created[1], fields).id) });
			return send(201, { record: sandbox.createRecord(created[1], body) });
		}
		if (req.method === 'GET' && created && ENTITIES[created[1]]) return send(200, { records: sandbox.recordsOf(created[1]) });
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

module.exports = { createSandbox, KEYS, PORTAL, DEFAULT_TRIGGERS, FIELDS, KEY_USER };
