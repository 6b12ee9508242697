import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { vibeRequest } from '../../transport';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [searchOptions];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getCurrent'] } }, properties);

/**
 * What GET /v1/me says about whom the key acts for: the key's type, portal, scopes, access mode and expiry, its
 * owner (a personal key), the application (an application key) and the signed-in user (with a session). The rest of
 * the answer (the API guide, the auth header's recipe, the application's sign-in links) is about the key, not the
 * user, and may quote it.
 */
const KEPT = ['type', 'portal', 'portalDomain', 'scopes', 'accessMode', 'status', 'expiresAt', 'owner', 'currentUser', 'app', 'rateLimit'];
/** Names of what could hold a key or token, dropped wherever they sit (the key's prefix and suffix too). */
const KEY_LIKE = /key|token|secret|password|^auth|session|oauth/i;
/** A value shaped like a VibeCode key or session, whatever field carries it. */
const KEY_VALUE = /vibe_(api|app|live|mgmt|session)_/;

function withoutSecrets(value: unknown): unknown {
	if (typeof value === 'string') return KEY_VALUE.test(value) ? undefined : value;
	if (Array.isArray(value)) return value.map(withoutSecrets).filter((entry) => entry !== undefined);
	if (!value || typeof value !== 'object') return value;
	const out: IDataObject = {};
	for (const [name, inner] of Object.entries(value)) {
		if (KEY_LIKE.test(name)) continue;
		const clean = withoutSecrets(inner);
		if (clean !== undefined) out[name] = clean as IDataObject[string];
	}
	return out;
}

/** The user the key acts as, when VibeCode names one: the signed-in user of a session, else the key's owner. */
function userIdOf(me: IDataObject): number | undefined {
	const current = (me.currentUser ?? {}) as IDataObject;
	const owner = (me.owner ?? {}) as IDataObject;
	const id = Number(current.bitrixUserId ?? current.id ?? owner.userId ?? owner.id);
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** GET /v1/me for each item (it needs no scope, and no session for an application key). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const getCurrent: ItemOperation<Record<string, never>> = {
		read: () => ({}),
		send: async (session, _request, itemIndex) => {
			const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/me', itemIndex });
			const me = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as IDataObject;
			const userId = userIdOf(me);
			const out: IDataObject = userId === undefined ? {} : { userId };
			for (const name of KEPT) {
				const value = withoutSecrets(me[name]);
				if (value !== undefined) out[name] = value as IDataObject[string];
			}
			return [out];
		},
		done: 'read',
	};
	return await runItems.call(this, getCurrent);
}
