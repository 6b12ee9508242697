'use strict';
/**
 * The CRM records' batches: `POST /v1/{entity}/batch` (the entity batch) and `POST /v1/batch` (calls on any CRM
 * entity), each item or call processed on its own, a queued `itemError` fault failing one of them.
 */
const { HttpError } = require('../../common/http');
const { isObject } = require('../../common/values');
const { ENTITY_BY_PATH, FIELDS } = require('./tables');

/**
 * What `POST /v1/{entity}/batch` answers for each record it wrote. The pages say only "an array of results with a
 * success flag for each element" (docs/vibecode-contract.md, "Batches"), so every shape they leave open can be served:
 * `whole` `{ success: true, data: <the record> }` (default); `id` `{ success: true, data: { id } }`; `idBeside`
 * `{ index, success: true, id }`, no `data`; `bareId` `{ success: true, data: <id> }`. `none` answers
 * `{ index, success: true }` with no ID anywhere: no reading of the pages, but what a client must survive (the
 * records exist, and it cannot tell which is whose). A delete answers its ID in the same place (`whole` as `id`).
 */
const BATCH_RECORDS = ['whole', 'id', 'idBeside', 'bareId', 'none'];
/** Where the entity batch's results sit: `data.results` beside `data.summary` (`results`, default), or `data` itself (`array`). */
const BATCH_RESULTS = ['results', 'array'];
/** The results' order: as sent (`sent`, default) or `reversed`, each result then carrying its `index`. */
const BATCH_ORDER = ['sent', 'reversed'];

/** `crm`: what the records give a batch, `{ create, update, list, tableOf(type) }` (the type's records, by ID). */
module.exports = (context, crm) => {
	const { sandbox } = context;
	const { create, update, list, tableOf } = crm;

	/** A queued per-item fault (`kind: 'itemError'`) for this item of a batch: by its place (`index`) or its values (`where`). */
	function itemFault(path, item, index) {
		const at = sandbox.faults.findIndex(
			(f) =>
				f.kind === 'itemError' &&
				f.times > 0 &&
				(!f.path || f.path === path) &&
				(f.index === undefined || f.index === index) &&
				(!f.where || Object.entries(f.where).every(([name, value]) => isObject(item) && JSON.stringify(item[name]) === JSON.stringify(value))),
		);
		if (at < 0) return undefined;
		const fault = sandbox.faults[at];
		fault.times -= 1;
		if (fault.times <= 0) sandbox.faults.splice(at, 1);
		return new HttpError(fault.status ?? 422, fault.code ?? 'BITRIX_ERROR', fault.message ?? 'Bitrix24 refused the record');
	}

	const VALIDATION_CODES = new Set(['VALIDATION_ERROR', 'INVALID_PARAMS', 'INVALID_CALL', 'MISSING_ENTITY_ID', 'UNKNOWN_ENTITY', 'ACTION_NOT_SUPPORTED']);
	const asError = (error) => (error instanceof HttpError ? { code: error.code, message: error.message } : { code: 'INTERNAL_ERROR', message: String(error?.message) });
	/** An entity batch's result for a record it wrote (or, for a delete, `{ id }`), in the shape `batchRecords` names. */
	function answered(record) {
		switch (sandbox.config.batchRecords) {
			case 'id':
				return { success: true, data: { id: record.id } };
			case 'idBeside':
				return { success: true, id: record.id };
			case 'bareId':
				return { success: true, data: record.id };
			case 'none':
				return { success: true };
			default:
				return { success: true, data: record };
		}
	}

	/**
	 * When every call or item of a batch failed its validation, nothing ran: the whole request is
	 * `400 INVALID_REQUEST` with the errors under `data.errors` by call id (the batch page; the same assumed for
	 * the entity batch).
	 */
	function refuseWhole(errors, count) {
		const list = Object.values(errors);
		if (count === 0 || list.length < count || !list.every((error) => VALIDATION_CODES.has(error.code))) return undefined;
		return [400, { success: false, error: { code: 'INVALID_REQUEST', message: 'All calls in the batch failed validation' }, data: { errors } }];
	}

	/**
	 * POST /v1/{entity}/batch (the batch and optimization pages): `{ action: 'create' | 'update', items }` or
	 * `{ action: 'delete', ids }`, 1 to 500, each processed on its own. Answers `data.results` in the items' order,
	 * each `{ success, data | error }`, and `data.summary` (the per-item shape is assumed: the pages say only "an
	 * array of results with a success flag for each element"). The other shapes they leave open: `batchRecords`
	 * (where a result carries the ID), `batchResults` (`data` the bare list, no summary) and `batchOrder` (results
	 * out of order, placed by their `index`); a result carries `index` with `idBeside`, `none` or `reversed`.
	 */
	function entityBatch(type, body, caller, path) {
		const { action } = body;
		if (!['create', 'update', 'delete'].includes(action)) {
			throw new HttpError(400, 'INVALID_REQUEST', `action must be one of create, update, delete (read actions take calls); got ${JSON.stringify(action)}`);
		}
		const list = action === 'delete' ? body.ids : body.items;
		const name = action === 'delete' ? 'ids' : 'items';
		if (!Array.isArray(list) || list.length === 0) throw new HttpError(400, 'INVALID_REQUEST', `${name}: Array must contain at least 1 element(s)`);
		if (list.length > 500) throw new HttpError(400, 'INVALID_REQUEST', `${name}: Array must contain at most 500 element(s)`);
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${action === 'create' ? 'add' : action}`);
		const checked = list.map((item, index) => {
			if (action === 'delete') return Number.isInteger(item) && item > 0 ? undefined : new HttpError(400, 'INVALID_PARAMS', `ids.${index}: Expected a positive integer`);
			if (!isObject(item)) return new HttpError(400, 'VALIDATION_ERROR', `items.${index}: Expected object`);
			if (action === 'update' && !(Number.isInteger(item.id) && item.id > 0)) return new HttpError(400, 'INVALID_PARAMS', `items.${index}.id: Expected a positive integer`);
			return undefined;
		});
		const refused = refuseWhole(Object.fromEntries(checked.flatMap((error, index) => (error ? [[String(index), asError(error)]] : []))), list.length);
		if (refused) return refused;
		const results = list.map((item, index) => {
			try {
				if (checked[index]) throw checked[index];
				const fault = itemFault(path, item, index);
				if (fault) throw fault;
				if (action === 'create') return answered(create(type, item));
				const id = action === 'delete' ? item : item.id;
				if (!tableOf(type).has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (action === 'delete') {
					tableOf(type).delete(id);
					return answered({ id });
				}
				const { id: _id, ...changes } = item;
				return answered(update(type, id, changes));
			} catch (error) {
				return { success: false, error: asError(error) };
			}
		});
		const failed = results.filter((result) => !result.success).length;
		const { batchRecords, batchResults, batchOrder } = sandbox.config;
		const indexed = batchRecords === 'idBeside' || batchRecords === 'none' || batchOrder === 'reversed';
		const listed = results.map((result, index) => (indexed ? { index, ...result } : result));
		if (batchOrder === 'reversed') listed.reverse();
		if (batchResults === 'array') return [200, { success: true, data: listed }];
		return [200, { success: true, data: { results: listed, summary: { total: results.length, succeeded: results.length - failed, failed } } }];
	}

	/**
	 * POST /v1/batch (the batch page): `{ calls: [{ id?, entity, action, entityId?, params? }] }`, 1 to 50 calls, each
	 * processed on its own; `data.results`, `totals`, `errors`, `summary`, `meta` by call id. The sandbox serves the
	 * CRM entities only.
	 */
	function callBatch(body, caller, path) {
		const { calls } = body;
		if (!Array.isArray(calls) || calls.length === 0) throw new HttpError(400, 'INVALID_REQUEST', 'calls: Array must contain at least 1 element(s)');
		if (calls.length > 50) throw new HttpError(400, 'INVALID_REQUEST', 'calls: Array must contain at most 50 element(s)');
		const ids = calls.map((call, index) => (isObject(call) && typeof call.id === 'string' && call.id ? call.id.slice(0, 64) : String(index)));
		const checked = calls.map((call) => {
			if (!isObject(call) || typeof call.entity !== 'string' || typeof call.action !== 'string') return new HttpError(400, 'INVALID_CALL', 'A call needs entity and action');
			if (!ENTITY_BY_PATH[call.entity]) return new HttpError(400, 'UNKNOWN_ENTITY', `Unknown entity "${call.entity}". Check GET /v1/guide for available entities.`);
			if (!['list', 'get', 'create', 'update', 'delete', 'fields', 'search'].includes(call.action)) return new HttpError(400, 'ACTION_NOT_SUPPORTED', `Action "${call.action}" is not supported`);
			if (['get', 'update', 'delete'].includes(call.action) && (call.entityId === undefined || call.entityId === null || call.entityId === '')) {
				return new HttpError(400, 'MISSING_ENTITY_ID', `Action "${call.action}" requires entityId.`);
			}
			return undefined;
		});
		const refused = refuseWhole(Object.fromEntries(checked.flatMap((error, index) => (error ? [[ids[index], asError(error)]] : []))), calls.length);
		if (refused) return refused;
		const data = { results: {}, totals: {}, errors: {}, summary: { total: calls.length, succeeded: 0, failed: 0 }, meta: {} };
		calls.forEach((call, index) => {
			const id = ids[index];
			try {
				if (checked[index]) throw checked[index];
				const fault = itemFault(path, call, index);
				if (fault) throw fault;
				const type = ENTITY_BY_PATH[call.entity];
				const params = isObject(call.params) ? call.params : {};
				const writes = { create: 'add', update: 'update', delete: 'delete' };
				if (writes[call.action] && caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${writes[call.action]}`);
				const entityId = Number(call.entityId);
				if (['get', 'update', 'delete'].includes(call.action) && !tableOf(type).has(entityId)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (call.action === 'get') data.results[id] = tableOf(type).get(entityId);
				else if (call.action === 'create') data.results[id] = create(type, params);
				else if (call.action === 'update') data.results[id] = update(type, entityId, params);
				else if (call.action === 'delete') {
					tableOf(type).delete(entityId);
					data.results[id] = true;
				} else if (call.action === 'fields') data.results[id] = structuredClone(FIELDS[type]);
				else {
					const answer = list(type, params);
					data.results[id] = answer.data;
					data.totals[id] = answer.total;
					data.meta[id] = { total: answer.total, returned: answer.data.length, hasMore: answer.meta?.hasMore ?? false, truncated: false };
				}
				data.summary.succeeded += 1;
			} catch (error) {
				data.errors[id] = asError(error);
				data.summary.failed += 1;
			}
		});
		return [200, { success: true, data }];
	}

	return { entityBatch, callBatch };
};

module.exports.BATCH_RECORDS = BATCH_RECORDS;
module.exports.BATCH_RESULTS = BATCH_RESULTS;
module.exports.BATCH_ORDER = BATCH_ORDER;
