import type { IDataObject } from 'n8n-workflow';

import { TRIGGER_LIST_WITH_PERSONAL_KEY, type ErrorText } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';

export interface TriggerInfo {
	name: string;
	code: string;
	raw: IDataObject;
}

/**
 * GET /v1/triggers: the codes and names the portal's application registered. `personalKey` is what a personal
 * key's refusal says, worded for the caller (the Trigger field by default).
 */
export async function fetchTriggers(
	this: VibeContext,
	session: VibeSession,
	itemIndex?: number,
	personalKey: ErrorText = TRIGGER_LIST_WITH_PERSONAL_KEY,
): Promise<TriggerInfo[]> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'GET',
		path: '/v1/triggers',
		itemIndex,
		// A personal key is refused with a generic "access denied": say that the list needs an application.
		errorTexts:
			session.keyType === 'personal'
				? { BITRIX_ACCESS_DENIED: personalKey, OAUTH_REQUIRED: personalKey }
				: undefined,
	});
	const list = Array.isArray(data) ? (data as IDataObject[]) : [];
	return list
		.map((raw) => ({
			code: String(raw.CODE ?? raw.code ?? ''),
			name: String(raw.NAME ?? raw.name ?? raw.CODE ?? raw.code ?? ''),
			raw,
		}))
		.filter((trigger) => trigger.code !== '');
}
