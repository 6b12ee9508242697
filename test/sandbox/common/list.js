'use strict';
/**
 * The list engine every list and search of the sandbox shares: a query read from a URL, filters in their three
 * spellings, sorts, pages and `select`, as VibeCode's filtering page describes them.
 */
const { HttpError } = require('./http');
const { isObject, storeAsBitrix24 } = require('./values');

/** Filter operators in their three spellings (`$gte`, a `>=` prefix, a nested `>=` key) → the operator. */
const OPERATORS = {
	$eq: '$eq', '=': '$eq',
	$ne: '$ne', '!': '$ne', '!=': '$ne',
	$gt: '$gt', '>': '$gt',
	$gte: '$gte', '>=': '$gte',
	$lt: '$lt', '<': '$lt',
	$lte: '$lte', '<=': '$lte',
	$in: '$in',
	$contains: '$contains', '%': '$contains',
};
/** A money value as Bitrix24 answers it ("150.50|EUR"): compared and sorted by its amount. */
const MONEY = /^-?\d+(?:\.\d+)?\|[A-Z]{3}$/;

function queryOf(url) {
	const query = { filter: {} };
	for (const [name, value] of url.searchParams) {
		const filter = /^filter\[(.+)\]$/.exec(name);
		const order = /^order\[(.+)\]$/.exec(name);
		// `filter[field][$op]=v` is an operator object, `filter[field][]=v` a list (the filtering page's syntaxes in a URL).
		const nested = filter && /^([^\]]+)\]\[([^\]]*)$/.exec(filter[1]);
		if (nested && nested[2] === '') query.filter[nested[1]] = [...(Array.isArray(query.filter[nested[1]]) ? query.filter[nested[1]] : []), value];
		else if (nested) query.filter[nested[1]] = { ...(isObject(query.filter[nested[1]]) ? query.filter[nested[1]] : {}), [nested[2]]: value };
		else if (filter) query.filter[filter[1]] = value;
		else if (order) query.sort = { ...(typeof query.sort === 'object' ? query.sort : {}), [order[1]]: value };
		else if (name === 'limit' || name === 'offset') query[name] = Number(value);
		else if (name === 'sort' || name === 'order') query.sort = value;
		else if (name === 'select') query.select = value.split(',').map((field) => field.trim()).filter(Boolean);
	}
	return query;
}

const filterOf = (body) => (body.filter && typeof body.filter === 'object' && !Array.isArray(body.filter) ? body.filter : {});

/**
 * `storedAs`: the fields kept as Bitrix24 stores them; a filter value for one is put in that form first, so that
 * `{ UF_CRM_VIP: true }` finds the 1 stored and `{ UF_CRM_BUDGET: 150 }` the "150|USD" (a value that does not fit
 * is compared as given; `$contains` always is).
 */
function listItems(all, body, table = {}, storedAs = undefined) {
	let items = [...all];
	for (const [rawKey, condition] of Object.entries(filterOf(body))) {
		const { field, ops } = conditionsOf(rawKey, condition);
		const stored = storedAs?.has(field) ? ops.map(([op, expected]) => [op, op === '$contains' ? expected : asStored(field, table[field], expected)]) : ops;
		items = items.filter((record) => matches(record[field], stored, table[field], field));
	}
	const sort = normaliseSort(body.sort ?? body.order ?? 'id');
	const key = (value) => (typeof value === 'string' && MONEY.test(value) ? Number.parseFloat(value) : value);
	items.sort((a, b) => {
		for (const [field, direction] of sort) {
			const [x, y] = [key(a[field]), key(b[field])];
			const cmp = x < y ? -1 : x > y ? 1 : 0;
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

/** A filter value in the form a Bitrix24-stored field keeps (each of an `$in` list); as given when it does not fit. */
function asStored(name, field, expected) {
	if (Array.isArray(expected)) return expected.map((entry) => asStored(name, field, entry));
	const issues = [];
	const value = storeAsBitrix24(name, { ...field, isMultiple: false }, expected, issues);
	return issues.length > 0 || value === undefined ? expected : value;
}

function normaliseSort(sort) {
	const parts = typeof sort === 'string' ? sort.split(',') : Array.isArray(sort) ? sort : Object.entries(sort).map(([f, d]) => (/desc|-1/i.test(String(d)) ? `-${f}` : f));
	return parts.filter(Boolean).map((p) => (p.startsWith('-') ? [p.slice(1), -1] : [p, 1]));
}

/**
 * One filter entry as its field and `[operator, expected]` pairs: `{ ">=amount": 5 }`, `{ amount: { $gte: 5 } }`
 * and `{ amount: { ">=": 5 } }` are the same; a plain value is equals, a plain array "in". An unknown operator is
 * 400 INVALID_FILTER_OPERATOR.
 */
function conditionsOf(rawKey, condition) {
	const prefix = /^(>=|<=|!=|>|<|!|%|=)?(.+)$/.exec(rawKey);
	const ops = prefix[1]
		? [[prefix[1], condition]]
		: condition && typeof condition === 'object' && !Array.isArray(condition)
			? Object.entries(condition)
			: [[Array.isArray(condition) ? '$in' : '$eq', condition]];
	return {
		field: prefix[2],
		ops: ops.map(([op, expected]) => {
			const name = Object.hasOwn(OPERATORS, op) ? OPERATORS[op] : undefined;
			if (!name) throw new HttpError(400, 'INVALID_FILTER_OPERATOR', `Unknown operator ${op}`);
			return [name, expected];
		}),
	};
}

/**
 * Whether a record's value meets every operator. A phone, email or website list, like any multiple field, matches
 * when any entry does (`$ne` / `!`: when none equals); emails compare case-insensitively, money by its amount.
 */
function matches(value, ops, field, name) {
	const multi = field?.type === 'crm_multifield';
	const values = multi ? (Array.isArray(value) ? value.map((entry) => entry?.value) : []) : field?.isMultiple && Array.isArray(value) ? value : [value];
	const same = multi && name === 'email' ? (v) => String(v).toLowerCase() : (v) => String(v);
	const amount = (v) => (typeof v === 'string' && MONEY.test(v) ? Number.parseFloat(v) : v);
	const cmp = (a, b) => (typeof a === 'string' && /^\d{4}-\d\d-\d\d/.test(a) ? Date.parse(a) - Date.parse(b) : amount(a) - amount(b));
	const any = (test) => values.some((v) => test(v));
	return ops.every(([op, expected]) => {
		switch (op) {
			case '$eq': return any((v) => same(v) === same(expected));
			case '$ne': return !any((v) => same(v) === same(expected));
			case '$gt': return any((v) => v !== undefined && cmp(v, expected) > 0);
			case '$gte': return any((v) => v !== undefined && cmp(v, expected) >= 0);
			case '$lt': return any((v) => v !== undefined && cmp(v, expected) < 0);
			case '$lte': return any((v) => v !== undefined && cmp(v, expected) <= 0);
			case '$in': return Array.isArray(expected) && any((v) => expected.map(same).includes(same(v)));
			default: return any((v) => typeof v === 'string' && v.toLowerCase().includes(String(expected).toLowerCase()));
		}
	});
}

module.exports = { queryOf, filterOf, listItems, normaliseSort, conditionsOf };
