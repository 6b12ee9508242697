'use strict';
/**
 * The CRM records (docs/vibecode-contract.md, "CRM records"): the six CRM entities and the smart processes' items, each
 * at `/v1/{entity}` (a smart process's at `/v1/items/{entityTypeId}`): list, search, fields, create, get, update,
 * delete, and the entity batch (batch.js). Their tables are in tables.js, their pipelines and stages in pipelines.js.
 */
const { HttpError, parseBody } = require('../../common/http');
const { coerce, isEmpty, isObject, kindOf, storeAsBitrix24, SEEDED_AT } = require('../../common/values');
const { conditionsOf, filterOf, listItems, normaliseSort, queryOf } = require('../../common/list');
const { ENTITIES, ENTITY_BY_PATH, FIELDS, SEED, STAGE_FIELDS, STORED_AS_BITRIX24 } = require('./tables');
const { checkStage, defaultCategory, dynamicId, stageRule, stagesOf } = require('./pipelines');
const makeBatch = require('./batch');

/** How a create or update body carries the fields: see `writableFields`. */
const BODY_SHAPES = ['documented', 'wrapped', 'either'];

module.exports = (context) => {
	const { sandbox, KEY_USER } = context;
	/** type → ID → the record, as stored. */
	let records;
	let nextMultiId;
	const batch = makeBatch(context, { create, update, list, tableOf: (type) => records[type] });

	/**
	 * A phone, email or website list after a write, as Bitrix24 keeps it: `[{ id, value, typeId }]`. The value given
	 * may be a string, an array of strings, or an array of `{ value, typeId | valueType }` objects. An entry without
	 * an `id` is added (typeId WORK unless given); `{ id, value }` changes that entry; `{ id, value: '' }` removes it.
	 */
	function mergeMultiField(name, current, value) {
		const list = (current ?? []).map((entry) => ({ ...entry }));
		if (value === undefined || value === null) return list;
		for (const given of Array.isArray(value) ? value : [value]) {
			const entry = given && typeof given === 'object' ? given : { value: given };
			const text = entry.value ?? entry.VALUE;
			if (text !== undefined && text !== null && typeof text !== 'string' && typeof text !== 'number') {
				throw new HttpError(400, 'VALIDATION_ERROR', `fields.${name}: Expected string, received ${kindOf(text)}`);
			}
			const typeId = entry.typeId ?? entry.valueType ?? entry.VALUE_TYPE ?? entry.TYPE_ID;
			const id = entry.id ?? entry.ID;
			const existing = id === undefined ? -1 : list.findIndex((old) => old.id === Number(id));
			const clean = text === undefined || text === null ? '' : String(text).trim();
			if (existing >= 0) {
				if (clean === '') list.splice(existing, 1);
				else list[existing] = { id: list[existing].id, value: clean, typeId: String(typeId ?? list[existing].typeId) };
			} else if (clean !== '') {
				list.push({ id: nextMultiId++, value: clean, typeId: String(typeId ?? 'WORK') });
			}
		}
		return list;
	}

	/** The record's stored values with every phone, email and website list in Bitrix24's shape. */
	function withMultiFields(type, record, changes) {
		const out = { ...changes };
		for (const [name, value] of Object.entries(changes)) {
			if (FIELDS[type][name]?.type === 'crm_multifield') out[name] = mergeMultiField(name, record[name], value);
		}
		return out;
	}

	/**
	 * Adds a record as it is (only phone, email and website lists are put in shape), with its creation and update
	 * times `at`; returns it. For tests that set up a state; POST /v1/{entity} validates first (see `create`).
	 */
	sandbox.createRecord = (type, fields = {}, at = new Date()) => {
		const [created, updated] = ENTITIES[type].dates;
		const values = withMultiFields(type, {}, fields);
		const id = fields.id ?? context.newId();
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const record = { id, ...values, [created]: stamp, [updated]: stamp };
		if (carriesMovedTime(type)) record.movedTime = fields.movedTime ?? stamp;
		records[type].set(id, record);
		return record;
	};

	/**
	 * Changes a record as it is told (a stage move is `{ stageId }`; phone, email and website lists merge as on
	 * PATCH): its update time becomes `at`. Returns the record, or undefined when there is none.
	 */
	sandbox.updateRecord = (type, id, changes = {}, at = new Date()) => {
		const record = records[type].get(Number(id));
		if (!record) return undefined;
		const [created, updated] = ENTITIES[type].dates;
		const { id: _id, [created]: _created, ...rest } = changes;
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const stage = STAGE_FIELDS[type];
		const moved = stage && Object.hasOwn(rest, stage) && String(rest[stage]) !== String(record[stage]);
		Object.assign(record, withMultiFields(type, record, rest), { [updated]: stamp });
		if (moved && carriesMovedTime(type)) record.movedTime = stamp;
		return record;
	};

	/** Whether the entity's records carry `movedTime` on this run (see FIELD_TABLE, tables.js). */
	const carriesMovedTime = (type) => Boolean(FIELDS[type].movedTime) && sandbox.config.movedTime;

	/**
	 * The fields of a create or update body, read as `config.bodyShape` says:
	 * - 'documented' (VibeCode's entity-api page): the body's top-level keys are the fields, so a `{ fields: { … } }`
	 *   wrapper is an unknown field and dropped like any other, as the real API drops it: the create then has none of
	 *   the wrapped values (and fails if one was required), the update changes nothing;
	 * - 'wrapped' (the older docs): only `body.fields` is read, top-level keys are ignored;
	 * - 'either': the wrapper when `body.fields` is an object, else the top level.
	 * Read-only and unknown fields are dropped, values put in their field's type (the deal's user fields as Bitrix24
	 * stores them). Problems are one 400 VALIDATION_ERROR naming every field, worded as VibeCode's Zod words them
	 * ("fields.title: Required") whatever the body's shape.
	 */
	function writableFields(type, body, { create }) {
		const wrapper = isObject(body.fields) ? body.fields : undefined;
		const { bodyShape } = sandbox.config;
		const given = bodyShape === 'wrapped' ? (wrapper ?? {}) : bodyShape === 'either' ? (wrapper ?? body) : body;
		const table = FIELDS[type];
		const storedAs = STORED_AS_BITRIX24[type];
		const issues = [];
		const out = {};
		for (const [name, value] of Object.entries(given)) {
			const field = table[name];
			if (!field || field.isReadOnly || value === undefined) continue;
			if (field.type === 'crm_multifield') out[name] = value;
			else out[name] = storedAs?.has(name) ? storeAsBitrix24(name, field, value, issues) : coerce(name, field, value, issues);
		}
		for (const [name, field] of Object.entries(table)) {
			if (field.isRequired && (create || name in out) && isEmpty(out[name])) issues.unshift(`fields.${name}: Required`);
		}
		if (issues.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', issues.join('; '));
		return out;
	}

	/**
	 * `config.dropOnWrite`: fields VibeCode accepted (and /fields lists as writable) that Bitrix24 does not store,
	 * without a word, as it does with a field the key may not write or a stale custom field. Bitrix24 never sees
	 * them, so it fills in its defaults (first stage, responsible) as if they were not sent.
	 */
	function dropOnWrite(fields) {
		for (const name of sandbox.config.dropOnWrite) delete fields[name];
		return fields;
	}

	/**
	 * `config.rewriteOnWrite`: a field the write set is stored with the configured value instead, as when a robot or
	 * business process rewrites it on save; after Bitrix24's checks, since the rewrite happens after them.
	 */
	function rewriteOnWrite(fields, written) {
		const { rewriteOnWrite: rewrites } = sandbox.config;
		for (const name of written) if (Object.hasOwn(rewrites, name)) fields[name] = structuredClone(rewrites[name]);
		return fields;
	}

	/** POST /v1/{entity}: validated, with the values Bitrix24 fills in itself (pipeline, first stage, users). */
	function create(type, body) {
		const fields = dropOnWrite(writableFields(type, body, { create: true }));
		const written = Object.keys(fields);
		if (type === 'deal') fields.categoryId ??= 0;
		if (type === 'invoice') fields.categoryId ??= 2;
		if (dynamicId(type) !== undefined) fields.categoryId ??= defaultCategory(dynamicId(type));
		const rule = stageRule(type, fields);
		checkStage(type, fields);
		if (rule && isEmpty(fields[rule.field])) fields[rule.field] = stagesOf(rule.list)[0];
		fields.assignedById ??= KEY_USER;
		return sandbox.createRecord(type, { ...rewriteOnWrite(fields, written), createdBy: KEY_USER, updatedBy: KEY_USER });
	}

	/** PATCH /v1/{entity}/:id: validated like a create; a stage is checked when it or the pipeline changes. */
	function update(type, id, body) {
		const changes = dropOnWrite(writableFields(type, body, { create: false }));
		const after = { ...records[type].get(id), ...changes };
		const rule = stageRule(type, after);
		if (rule && (rule.field in changes || 'categoryId' in changes)) checkStage(type, after);
		return sandbox.updateRecord(type, id, { ...rewriteOnWrite(changes, Object.keys(changes)), updatedBy: KEY_USER });
	}

	sandbox.seedRecords = (type, count, make = (i) => ({ title: `Generated ${type} ${i}`, name: `Person${i}`, lastName: `Test${i}` })) => {
		for (let i = 0; i < count; i++) sandbox.createRecord(type, make(i));
	};

	/** Every stored record of a type, for counting what a run wrote (the benchmark). */
	sandbox.recordsOf = (type) => [...records[type].values()];

	/**
	 * A list or search of an entity. Every filter field (prefixed `>=createdTime` and nested `{ field: { $gte } }`
	 * alike) and every sort field must be one of the entity's fields: else 400 INVALID_FILTER_FIELD /
	 * UNKNOWN_SORT_FIELD.
	 */
	function list(type, body) {
		const table = FIELDS[type];
		for (const [rawKey, condition] of Object.entries(filterOf(body))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!table[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		for (const [field] of normaliseSort(body.sort ?? body.order ?? 'id')) {
			if (!table[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems([...records[type].values()], body, table, STORED_AS_BITRIX24[type]);
		// Bitrix24's crm.deal.list leaves the user fields out unless `select` names them: a VibeCode that passes
		// that on is `omitUserFields`.
		const selected = Array.isArray(body.select) && body.select.length > 0;
		if (sandbox.config.omitUserFields && !selected) {
			answer.data = answer.data.map((record) => Object.fromEntries(Object.entries(record).filter(([name]) => !name.startsWith('UF_'))));
		}
		return answer;
	}

	/** The routes of a CRM entity's records; undefined for any other path. */
	function route(req, path, url, raw, caller) {
		const method = req.method;
		const match = /^\/v1\/(items\/\d+|[a-z]+)(?:\/(search|\d+|[^/]+))?$/.exec(path);
		const type = match && ENTITY_BY_PATH[match[1]];
		if (type) {
			const sub = match[2];
			const blockWrite = (action) => {
				if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${action}`);
			};
			if (method === 'GET' && !sub) return [200, list(type, queryOf(url))];
			if (method === 'POST' && sub === 'search') return [200, list(type, parseBody(req, raw))];
			// No page documents a batch call for smart-process items: the sandbox has none (a 404, as any route it lacks).
			if (method === 'POST' && sub === 'batch' && !type.startsWith('dynamic_')) return batch.entityBatch(type, parseBody(req, raw), caller, path);
			if (method === 'GET' && sub === 'fields') {
				const fields = structuredClone(FIELDS[type]);
				if (!sandbox.config.movedTime) delete fields.movedTime;
				return [200, { success: true, data: { fields } }];
			}
			if (method === 'POST' && !sub) {
				blockWrite('add');
				return [201, { success: true, data: create(type, parseBody(req, raw)) }];
			}
			if (sub && /^\d+$/.test(sub)) {
				const id = Number(sub);
				// A read-only key is turned away before VibeCode asks Bitrix24 anything, so before a 404.
				if (method === 'PATCH') blockWrite('update');
				if (method === 'DELETE') blockWrite('delete');
				if (!records[type].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (method === 'GET') return [200, { success: true, data: records[type].get(id) }];
				if (method === 'PATCH') return [200, { success: true, data: update(type, id, parseBody(req, raw)) }];
				if (method === 'DELETE') {
					records[type].delete(id);
					return [204, undefined];
				}
			}
			if (sub && !/^\d+$/.test(sub) && sub !== 'search' && sub !== 'fields' && sub !== 'batch') {
				throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
			}
		}
		return undefined;
	}

	return {
		/** Back to the seeded records (of a type, each a minute after the one before). */
		reset() {
			records = {};
			nextMultiId = 1;
			for (const [type, list] of Object.entries(SEED)) {
				records[type] = new Map();
				list.forEach((record, index) => sandbox.createRecord(type, record, new Date(SEEDED_AT + index * 60_000)));
			}
		},
		/** After `sandbox.configure`: a run without `movedTime` has it on no record. */
		configured() {
			// The seeded records too: a portal without it has it on no record.
			if (!sandbox.config.movedTime) for (const table of Object.values(records)) for (const record of table.values()) delete record.movedTime;
		},
		record: (type, id) => records[type]?.get(Number(id)),
		route,
		callBatch: batch.callBatch,
	};
};

module.exports.BODY_SHAPES = BODY_SHAPES;
