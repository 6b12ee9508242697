import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ensureNodeError, vibeRequest, type VibeContext, type VibeSession } from '../transport';

export interface TriggerInfo {
	name: string;
	code: string;
	raw: IDataObject;
}

export const PERSONAL_KEY_LIST_MESSAGE =
	'The trigger list needs an OAuth application key: VibeCode lists only the triggers an application registered, and answers a personal key with "application context required"';

export const PERSONAL_KEY_LIST_HINT =
	'Switch Trigger to By Code and type the trigger code (for example payment_received), or use an OAuth Application credential (vibe_app_… plus session token). With a personal key the code cannot be verified: an unknown code fires nothing and raises no error.';

/** GET /v1/triggers: the codes and names the portal's application registered. */
export async function fetchTriggers(this: VibeContext, session: VibeSession, itemIndex?: number): Promise<TriggerInfo[]> {
	try {
		const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/triggers', itemIndex });
		const list = Array.isArray(data) ? (data as IDataObject[]) : [];
		return list
			.map((raw) => ({
				code: String(raw.CODE ?? raw.code ?? ''),
				name: String(raw.NAME ?? raw.name ?? raw.CODE ?? raw.code ?? ''),
				raw,
			}))
			.filter((trigger) => trigger.code !== '');
	} catch (error) {
		const code = error instanceof NodeApiError ? error.context.vibeCode : undefined;
		if (session.keyType === 'personal' && (code === 'BITRIX_ACCESS_DENIED' || code === 'OAUTH_REQUIRED')) {
			error.message = `${PERSONAL_KEY_LIST_MESSAGE} [${code}]`;
			error.description = PERSONAL_KEY_LIST_HINT;
		}
		throw ensureNodeError(this.getNode(), error, itemIndex);
	}
}
