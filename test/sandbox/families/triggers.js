'use strict';
/**
 * Automation triggers (docs/vibecode-contract.md, "Automation triggers"): `GET /v1/triggers`, an OAuth application's
 * list, and `POST /v1/triggers/fire`, each accepted fire kept in the journal (`sandbox.journal`, `GET /__sandbox/journal`).
 */
const { HttpError, parseBody } = require('../common/http');
const { ENTITIES } = require('./crm/tables');

const DEFAULT_TRIGGERS = [
	{ NAME: 'Payment received', CODE: 'payment_received' },
	{ NAME: 'Delivery confirmed', CODE: 'delivery_confirmed' },
	{ NAME: 'Contract signed', CODE: 'contract_signed' },
	{ NAME: 'Form submitted', CODE: 'form_submitted' },
];

module.exports = (context) => {
	const { sandbox } = context;
	/** app → its triggers. */
	let triggers;

	sandbox.setTriggers = (list, app = 'app-1') => {
		triggers[app] = list;
	};

	sandbox.fires = () => sandbox.journal.length;

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
		if (sandbox.config.checkEntityExists && !context.record(entityType, entityId)) {
			throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		}
		sandbox.journal.push({ entityType, entityId, triggerId, keyType: caller.type, requestId, at: Date.now() });
		return { success: true, data: true };
	}

	function route(req, path, raw, caller, requestId) {
		const method = req.method;
		if (method === 'GET' && path === '/v1/triggers') {
			if (caller.type !== 'oauth_app') throw new HttpError(403, 'BITRIX_ACCESS_DENIED', 'Access denied! Application context required');
			return [200, { success: true, data: triggers[caller.app] ?? [] }];
		}
		if (method === 'POST' && path === '/v1/triggers/fire') {
			return [200, fire(parseBody(req, raw), caller, requestId)];
		}
		return undefined;
	}

	return {
		reset() {
			triggers = { 'app-1': DEFAULT_TRIGGERS.map((t) => ({ ...t })), 'app-2': [] };
		},
		route,
	};
};

module.exports.DEFAULT_TRIGGERS = DEFAULT_TRIGGERS;
