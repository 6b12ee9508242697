import type { IDataObject } from 'n8n-workflow';

import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { EntityType } from './entities';

/** The portal's host from GET /v1/me, for links to records; none when VibeCode does not say. */
export async function portalHost(this: VibeContext, session: VibeSession): Promise<string | undefined> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/me' });
	const portal = (data as IDataObject | undefined)?.portal ?? (data as IDataObject | undefined)?.portalDomain;
	return typeof portal === 'string' && /^[a-z0-9.-]+$/i.test(portal) ? portal : undefined;
}

/** A record's address in Bitrix24, when the portal's host is known. */
export const recordLink = (portal: string | undefined, type: EntityType, id: number | string): string | undefined =>
	portal ? `https://${portal}${type.url(String(id))}` : undefined;
