'use strict';
/**
 * Portal users (docs/vibecode-contract.md, "Users"; the `user` scope): `GET /v1/users`, `GET /v1/users/fields`,
 * `GET /v1/users/:id`. The key's own user is `KEY_USER` (auth.js).
 */
const { HttpError } = require('../common/http');
const { conditionsOf, filterOf, listItems, normaliseSort, queryOf } = require('../common/list');

/**
 * Portal users, by the API names of VibeCode's users page (docs/vibecode-contract.md, "Users"), each with the Bitrix24
 * name it is converted from; `secondName` (SECOND_NAME) is one of the Bitrix24 fields the page does not list. How
 * they are answered (camelCase, upper case or both) is the `usersShape` option.
 */
const USER_FIELDS = {
	id: ['ID', { type: 'integer' }],
	name: ['NAME', { type: 'string' }],
	lastName: ['LAST_NAME', { type: 'string' }],
	email: ['EMAIL', { type: 'string' }],
	active: ['ACTIVE', { type: 'boolean' }],
	workPosition: ['WORK_POSITION', { type: 'string' }],
	departmentId: ['UF_DEPARTMENT', { type: 'integer', isMultiple: true }],
	personalPhone: ['PERSONAL_PHONE', { type: 'string' }],
	personalPhoto: ['PERSONAL_PHOTO', { type: 'string' }],
	isAdmin: ['IS_ADMIN', { type: 'boolean', isReadOnly: true }],
	lastLogin: ['LAST_LOGIN', { type: 'datetime', isReadOnly: true }],
};
const USER_TABLE = Object.fromEntries(Object.entries(USER_FIELDS).map(([name, [, field]]) => [name, field]));
const USERS = [
	{ id: 1, name: 'Sandbox', lastName: 'Owner', secondName: '', email: 'owner@sandbox.example', active: true, workPosition: 'Director', departmentId: [1], personalPhone: '', personalPhoto: '', isAdmin: true, lastLogin: '2026-11-01T08:30:00+00:00' },
	{ id: 7, name: 'Olga', lastName: 'Sales', secondName: 'Petrovna', email: 'olga@sandbox.example', active: true, workPosition: 'Sales manager', departmentId: [5], personalPhone: '+49 30 1234567', personalPhoto: '', isAdmin: false, lastLogin: '2026-11-01T07:55:00+00:00' },
	{ id: 9, name: 'Former', lastName: 'Employee', secondName: '', email: 'former@sandbox.example', active: false, workPosition: 'Sales manager', departmentId: [5], personalPhone: '', personalPhoto: '', isAdmin: false, lastLogin: '2025-03-14T16:00:00+00:00' },
];

/**
 * How users are answered: `twins` camelCase names with Bitrix24's upper-case twins, IDs as strings as Bitrix24 gives
 * them (default); `camel` the users page's camelCase only, `id` a number; `upper` Bitrix24's names only (the older docs).
 */
const USERS_SHAPES = ['twins', 'camel', 'upper'];
/** What GET /v1/users/:id answers: the user (`object`, default) or a one-entry list (`array`, the older docs' user.get). */
const USER_GET = ['object', 'array'];

module.exports = (context) => {
	const { sandbox } = context;
	let users;

	/** Adds `count` active users (IDs from 1001), for paging; `make(i)` gives each one's fields. */
	sandbox.seedUsers = (count, make = (i) => ({ name: `Person${i}`, lastName: `Test${i}`, email: `person${i}@sandbox.example` })) => {
		const first = Math.max(1000, ...users.map((user) => user.id)) + 1;
		for (let i = 0; i < count; i++) {
			users.push({ id: first + i, secondName: '', active: true, workPosition: '', departmentId: [5], personalPhone: '', personalPhoto: '', isAdmin: false, lastLogin: null, ...make(i) });
		}
	};

	/** A user as `usersShape` answers it: see USERS_SHAPES. */
	function userAnswer(user) {
		const { usersShape } = sandbox.config;
		const upper = Object.fromEntries(
			Object.entries(user).map(([name, value]) => [USER_FIELDS[name]?.[0] ?? name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase(), name === 'id' ? String(value) : value]),
		);
		if (usersShape === 'upper') return upper;
		if (usersShape === 'camel') return { ...user };
		return { ...user, id: String(user.id), ...upper };
	}

	/**
	 * GET /v1/users: `filter[…]` on the users page's fields only (else 400 INVALID_FILTER_FIELD; an unknown operator
	 * 400 INVALID_FILTER_OPERATOR), sorted by a field of that list (else 400 UNKNOWN_SORT_FIELD), by ID unless asked.
	 */
	function listUsers(query) {
		for (const [rawKey, condition] of Object.entries(filterOf(query))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!USER_TABLE[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		const sort = query.sort ?? 'id';
		for (const [field] of normaliseSort(sort)) {
			if (!USER_TABLE[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems(users, { ...query, sort }, USER_TABLE);
		return { ...answer, data: answer.data.map(userAnswer) };
	}

	/**
	 * GET /v1/users/:id: a positive whole number (else 400 INVALID_PARAMS); a user that does not exist is 404 NOT_FOUND,
	 * or, with `userGet: 'array'`, the empty list Bitrix24's user.get gives.
	 */
	function getUser(raw) {
		if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
		const user = users.find(({ id }) => id === Number(raw));
		if (!user && sandbox.config.userGet === 'array') return { success: true, data: [] };
		if (!user) throw new HttpError(404, 'NOT_FOUND', 'User not found');
		return { success: true, data: sandbox.config.userGet === 'array' ? [userAnswer(user)] : userAnswer(user) };
	}

	function route(req, path, url) {
		const method = req.method;
		if (method === 'GET' && path === '/v1/users') return [200, listUsers(queryOf(url))];
		const userPath = /^\/v1\/users\/([^/]+)$/.exec(path);
		if (method === 'GET' && userPath?.[1] === 'fields') return [200, { success: true, data: { fields: structuredClone(USER_TABLE) } }];
		if (method === 'GET' && userPath) return [200, getUser(userPath[1])];
		return undefined;
	}

	return {
		reset() {
			users = structuredClone(USERS);
		},
		find: (id) => users.find((user) => user.id === Number(id)),
		route,
	};
};

module.exports.USERS_SHAPES = USERS_SHAPES;
module.exports.USER_GET = USER_GET;
