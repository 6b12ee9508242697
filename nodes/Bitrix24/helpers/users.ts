import type { IDataObject } from 'n8n-workflow';

import { ApiFailure, nodeError, type ErrorText } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import { field, portalList, text } from './stages';

export interface PortalUser {
	id: number;
	/** "First Last", or "User 7" when the portal gives no name. */
	name: string;
	email: string;
	active: boolean;
}

/** The portal's users (GET /v1/users, one page of 500), active or not. */
export async function fetchUsers(this: VibeContext, session: VibeSession): Promise<PortalUser[]> {
	const rows = await portalList.call(this, session, '/v1/users');
	return rows.map((row) => {
		const id = Number(field(row, 'id', 'ID'));
		const name = [field(row, 'name', 'NAME'), field(row, 'lastName', 'LAST_NAME')].map(text).filter(Boolean).join(' ');
		return {
			id,
			name: name || `User ${id}`,
			email: text(field(row, 'email', 'EMAIL')),
			active: !['N', false, 'false'].includes(field(row, 'active', 'ACTIVE') as string),
		};
	});
}

/** A user as messages name them: "Olga Sales (7)", or the bare ID of a user the list does not have. */
export const userLabel = (users: PortalUser[], id: unknown): string => {
	const user = users.find((candidate) => String(candidate.id) === String(id));
	return user ? `"${user.name} (${user.id})"` : `user ${String(id)}`;
};

/**
 * The user fields VibeCode's users page lists, by their API name, with the Bitrix24 name each is converted from. The
 * page calls users a legacy entity whose names are converted to camelCase; an answer may still carry the upper-case
 * twin, or only it (the older docs), so each is read under both names.
 */
export const USER_FIELDS = {
	id: 'ID',
	name: 'NAME',
	lastName: 'LAST_NAME',
	email: 'EMAIL',
	active: 'ACTIVE',
	workPosition: 'WORK_POSITION',
	departmentId: 'UF_DEPARTMENT',
	personalPhone: 'PERSONAL_PHONE',
	personalPhoto: 'PERSONAL_PHOTO',
	isAdmin: 'IS_ADMIN',
	lastLogin: 'LAST_LOGIN',
} as const;

const UPPER_NAMES = new Set<string>(Object.values(USER_FIELDS));
/** Bitrix24's own spelling: NAME, LAST_NAME, PERSONAL_MOBILE. Custom fields (UF_USR_…) keep their names, as CRM ones do. */
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const camelOf = (upper: string) => upper.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** A number given as a number or as its digits (Bitrix24 answers IDs as strings); anything else as it came. */
const whole = (value: unknown): unknown => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value);
/** Bitrix24's Y/N, or a boolean, as a boolean; anything else as it came. */
const yesNo = (value: unknown): unknown => (value === 'Y' || value === 'true' ? true : value === 'N' || value === 'false' ? false : value);

/**
 * One user as the node outputs it: every field once, in camelCase (`id ?? ID`, `lastName ?? LAST_NAME`, …), the
 * documented fields first; `id` and the department IDs as numbers, `active` and `isAdmin` as booleans.
 */
export function userOutput(row: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [camel, upper] of Object.entries(USER_FIELDS)) {
		// A null is an answer too (a user who never signed in has no last login).
		const value = row[camel] !== undefined ? row[camel] : row[upper];
		if (value !== undefined) out[camel] = value as IDataObject[string];
	}
	if (out.id !== undefined) out.id = whole(out.id) as IDataObject[string];
	for (const flag of ['active', 'isAdmin']) if (out[flag] !== undefined) out[flag] = yesNo(out[flag]) as IDataObject[string];
	if (out.departmentId !== undefined) {
		const ids = Array.isArray(out.departmentId) ? out.departmentId : [out.departmentId];
		out.departmentId = ids.map(whole) as IDataObject[string];
	}
	for (const [name, value] of Object.entries(row)) {
		if (name in USER_FIELDS || UPPER_NAMES.has(name)) continue;
		const camel = UPPER_SNAKE.test(name) && !name.startsWith('UF_') ? camelOf(name) : name;
		// The camelCase twin wins over the upper-case one, whichever came first.
		if (camel !== name && camel in row) continue;
		out[camel] = value;
	}
	return out;
}

/** What a user request's failures say: the user looked for, and the `user` scope (the table's text names `crm`). */
export function userTexts(id?: number): Partial<Record<string, ErrorText>> {
	const scope: ErrorText = {
		message: "The key lacks the 'user' scope",
		hint: "Re-issue the key with the 'user' scope ticked (scopes are fixed when a key is created) and paste it into the credential.",
	};
	const texts: Partial<Record<string, ErrorText>> = { SCOPE_DENIED: scope, SCOPE_NOT_ALLOWED: scope };
	if (id !== undefined) {
		const missing = { message: `The portal has no user ${id}`, hint: 'Check the User ID: it is the number in the user\'s profile address (/company/personal/user/7/). A dismissed user still has one.' };
		texts.ENTITY_NOT_FOUND = missing;
		texts.NOT_FOUND = missing;
	}
	return texts;
}

/**
 * GET /v1/users/{id}. The older docs say Bitrix24's user.get answers a list even for one ID: the first entry is the
 * user, an empty list the not-found answer.
 */
export async function getUser(this: VibeContext, session: VibeSession, id: number, itemIndex?: number): Promise<IDataObject> {
	const texts = userTexts(id);
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/users/${id}`, itemIndex, errorTexts: texts });
	const row = Array.isArray(data) ? data[0] : data;
	if (!row || typeof row !== 'object' || Array.isArray(row)) {
		throw nodeError(this.getNode(), new ApiFailure('NOT_FOUND', { status: 404, apiMessage: 'VibeCode answered no user for this ID' }), { itemIndex, texts });
	}
	return userOutput(row as IDataObject);
}

/** The most users one /v1/users page holds (VibeCode advises at most 500 once the offset is past 0): a shorter list is the whole list. */
export const USER_PAGE = 500;

/**
 * Every user GET /v1/users answers for the given `filter[…]` query parameters, up to `limit`, page by page: sorted by
 * ID so that the pages are stable, stopping at the total (`total ?? meta.total`) or at a short page.
 */
export async function listUsers(this: VibeContext, session: VibeSession, filter: IDataObject, limit: number, itemIndex?: number): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	for (let offset = 0; found.length < limit; ) {
		const size = Math.min(USER_PAGE, limit - found.length);
		const { data, body } = await vibeRequest.call(this, session, {
			method: 'GET',
			path: '/v1/users',
			qs: { ...filter, 'order[id]': 'asc', limit: size, offset },
			itemIndex,
			errorTexts: userTexts(),
		});
		const rows = Array.isArray(data) ? (data as IDataObject[]) : [];
		found.push(...rows.slice(0, limit - found.length).map(userOutput));
		offset += rows.length;
		const total = Number(body.total ?? (body.meta as IDataObject | undefined)?.total);
		if (rows.length < size || (Number.isFinite(total) && offset >= total)) break;
	}
	return found;
}
