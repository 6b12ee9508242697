import type { IDataObject } from 'n8n-workflow';

import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { RecordType } from './entities';

/** The portal's host from GET /v1/me, for links to records; none when VibeCode does not say. */
export async function portalHost(this: VibeContext, session: VibeSession): Promise<string | undefined> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/me' });
	const portal = (data as IDataObject | undefined)?.portal ?? (data as IDataObject | undefined)?.portalDomain;
	return typeof portal === 'string' && /^[a-z0-9.-]+$/i.test(portal) ? portal : undefined;
}

/** A record's address in Bitrix24, when the portal's host and the entity's record page (CRM types only) are known. */
export const recordLink = (portal: string | undefined, type: RecordType, id: number | string): string | undefined =>
	portal && type.url ? `https://${portal}${type.url(String(id))}` : undefined;

/**
 * The entity paths the key may use, as `GET /v1/me` lists them in `api.entityApi.entities` (the older docs show an
 * object of name → "/v1/{path}"; a list of paths, or of objects with a `path`, is read too), each without `/v1/`.
 * Empty when VibeCode does not say.
 */
export async function entityPaths(this: VibeContext, session: VibeSession): Promise<string[]> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/me' });
	const listed = (((data as IDataObject | undefined)?.api as IDataObject | undefined)?.entityApi as IDataObject | undefined)?.entities;
	const entries: unknown[] = Array.isArray(listed) ? listed : listed && typeof listed === 'object' ? Object.entries(listed).map(([name, path]) => path ?? name) : [];
	const paths = entries.map((entry) => String(entry && typeof entry === 'object' ? ((entry as IDataObject).path ?? (entry as IDataObject).name ?? '') : entry).replace(/^\/?(v1\/)?/, '').replace(/\/+$/, ''));
	return [...new Set(paths.filter(Boolean))];
}
