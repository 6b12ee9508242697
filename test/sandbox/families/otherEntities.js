'use strict';
/** The Other Entity resource's entities that are no family of their own (OTHER_ENTITIES: departments). */
const { HttpError, parseBody } = require('../common/http');
const { coerce, isEmpty, SEEDED_AT } = require('../common/values');
const { conditionsOf, filterOf, listItems, normaliseSort, queryOf } = require('../common/list');

/**
 * Entities beyond the CRM records that the sandbox serves itself (this file) for the Other Entity resource
 * (docs/vibecode-contract.md, "Other entities"); tasks are a family of their own (families/tasks.js):
 * - `departments`, which has no `/fields` (`GET /v1/departments/fields` is `404 NOT_FOUND`, as for any route that is
 *   not there) and answers in Bitrix24's UPPER_CASE with the ID as text, as the older docs say the legacy entities
 *   do; the `department` scope.
 * A row of `fields` is [name, type, flags, title]: flags `R` required, `O` read-only, `C` set on create only. It
 * drops a field it does not have, filters and sorts only on its fields (else `400 INVALID_FILTER_FIELD` /
 * `UNKNOWN_SORT_FIELD`) and has no batch calls (`POST /v1/{e}/batch` is `404 NOT_FOUND`).
 */
const OTHER_ENTITIES = {
	departments: {
		scopes: ['department'],
		listsFields: false,
		upper: true,
		method: 'department',
		times: [],
		defaults: {},
		fields: [
			['id', 'integer', 'O', 'ID'],
			['name', 'string', 'R', 'Name'],
			['parent', 'integer', '', 'Parent department'],
			['sort', 'integer', '', 'Sort'],
		],
		seed: [{ id: 1, name: 'Sandbox Inc.', sort: 100 }, { id: 5, name: 'Sales', parent: 1, sort: 200 }],
	},
};
/** "responsibleId" → "RESPONSIBLE_ID": Bitrix24's name of a field. */
const upperName = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
/** OTHER_FIELDS[path][name] → { type, isRequired, isReadOnly, isMultiple, title, createOnly } */
const OTHER_FIELDS = Object.fromEntries(
	Object.entries(OTHER_ENTITIES).map(([path, { fields }]) => [
		path,
		Object.fromEntries(fields.map(([name, type, flags, title]) => [name, { type, isRequired: flags.includes('R'), isReadOnly: flags.includes('O'), isMultiple: false, title, createOnly: flags.includes('C') }])),
	]),
);

module.exports = (context) => {
	const { sandbox, KEY_USER } = context;
	/** Other Entity records by path, then ID, stored in camelCase (OTHER_ENTITIES). */
	let others;

	/** An Other Entity record's creation and update times (none for an entity without them), `at`. */
	function stamps(path, at) {
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		return Object.fromEntries(OTHER_ENTITIES[path].times.map((name) => [name, stamp]));
	}

	/** An Other Entity record as its entity answers it: camelCase, or Bitrix24's UPPER_CASE with the ID as text. */
	function otherAnswer(path, record) {
		if (!OTHER_ENTITIES[path].upper) return { ...record };
		return Object.fromEntries(Object.entries(record).map(([name, value]) => [upperName(name), name === 'id' ? String(value) : value]));
	}

	/**
	 * A create (`id` undefined) or update of an Other Entity record: unknown and read-only fields dropped, values in
	 * their field's type, required fields checked (`400 VALIDATION_ERROR` "title: Required"), a create-only field in
	 * an update refused (`400 READONLY_FIELD`); `dropOnWrite` applies as to CRM records.
	 */
	function otherWrite(path, body, id) {
		const table = OTHER_FIELDS[path];
		const issues = [];
		const out = {};
		for (const [name, value] of Object.entries(body)) {
			const field = table[name];
			if (!field || field.isReadOnly || value === undefined) continue;
			if (id !== undefined && field.createOnly) throw new HttpError(400, 'READONLY_FIELD', `${name} can be set only when the record is created`);
			out[name] = coerce(name, field, value, issues);
		}
		for (const [name, field] of Object.entries(table)) {
			if (field.isRequired && (id === undefined || name in out) && isEmpty(out[name])) issues.unshift(`${name}: Required`);
		}
		if (issues.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', issues.join('; '));
		for (const name of sandbox.config.dropOnWrite) delete out[name];
		const store = others[path];
		const spec = OTHER_ENTITIES[path];
		// An update moves the update time (the second of `times`) only.
		const [, updated] = spec.times;
		if (id !== undefined) return Object.assign(store.get(id), out, updated ? { [updated]: stamps(path, new Date())[updated] } : {});
		const record = { id: context.newId(), ...spec.defaults, ...(table.createdBy ? { createdBy: KEY_USER } : {}), ...out, ...stamps(path, new Date()) };
		store.set(record.id, record);
		return record;
	}

	/** A list or search of an Other Entity: filters and sorts on its fields only, as `list` checks the CRM's. */
	function otherList(path, body) {
		const table = OTHER_FIELDS[path];
		for (const [rawKey, condition] of Object.entries(filterOf(body))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!table[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		for (const [field] of normaliseSort(body.sort ?? body.order ?? 'id')) {
			if (!table[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems([...others[path].values()], body, table);
		return { ...answer, data: answer.data.map((record) => otherAnswer(path, record)) };
	}

	/** The routes of an Other Entity (OTHER_ENTITIES); undefined for any other path. */
	function otherEntity(req, path, url, raw, caller) {
		const match = /^\/v1\/([a-z][a-z0-9-]*)(?:\/([^/]+))?$/.exec(path);
		const spec = match && OTHER_ENTITIES[match[1]];
		if (!spec) return undefined;
		const [, name, sub] = match;
		const { method } = req;
		const blockWrite = (action) => {
			if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: ${spec.method}.${action}`);
		};
		if (method === 'GET' && sub === 'fields' && spec.listsFields) {
			// Each field by its camelCase name and by Bitrix24's UPPER_CASE twin, as the tasks fields page shows.
			const fields = Object.entries(OTHER_FIELDS[name]).map(([field, { createOnly: _createOnly, ...described }]) => [field, described]);
			return [200, { success: true, data: { fields: Object.fromEntries([...fields, ...fields.map(([field, described]) => [upperName(field), described])]) } }];
		}
		if (method === 'GET' && !sub) return [200, otherList(name, queryOf(url))];
		if (method === 'POST' && sub === 'search') return [200, otherList(name, parseBody(req, raw))];
		if (method === 'POST' && !sub) {
			blockWrite('add');
			return [201, { success: true, data: otherAnswer(name, otherWrite(name, parseBody(req, raw), undefined)) }];
		}
		if (sub && /^\d+$/.test(sub)) {
			const id = Number(sub);
			if (method === 'PATCH') blockWrite('update');
			if (method === 'DELETE') blockWrite('delete');
			if (!others[name].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
			if (method === 'GET') return [200, { success: true, data: otherAnswer(name, others[name].get(id)) }];
			if (method === 'PATCH') return [200, { success: true, data: otherAnswer(name, otherWrite(name, parseBody(req, raw), id)) }];
			if (method === 'DELETE') {
				others[name].delete(id);
				return [204, undefined];
			}
		}
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	return {
		reset() {
			others = Object.fromEntries(Object.entries(OTHER_ENTITIES).map(([path, { seed }]) => [path, new Map(seed.map((record) => [record.id, { ...structuredClone(record), ...stamps(path, new Date(SEEDED_AT)) }]))]));
		},
		route: otherEntity,
		/** An Other Entity path's records, as stored (camelCase); undefined for a path not in OTHER_ENTITIES. */
		records: (path) => (others[path] ? [...others[path].values()] : undefined),
	};
};

module.exports.OTHER_ENTITIES = OTHER_ENTITIES;
