import type { IDataObject } from 'n8n-workflow';

import { scopeTexts } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { RecordType } from './entities';

/** One page of POST /v1/{entity}/search, as the node asks for it. */
export interface SearchQuery {
	/** VibeCode's filter syntax; left out of the body when undefined. */
	filter?: IDataObject;
	/** Field → direction, the first field first. */
	sort: Record<string, 'asc' | 'desc'>;
	select?: string[];
	limit: number;
	offset: number;
}

export interface SearchPage {
	records: IDataObject[];
	/** How many records match in all, when VibeCode says. */
	total?: number;
}

/**
 * The search body. `sort` is the contract's name (`order` is an accepted alias); `autoWindow: false` keeps
 * VibeCode from splitting a date range into windows, so offset paging stays stable.
 */
export function searchBody({ filter, sort, select, limit, offset }: SearchQuery): IDataObject {
	const body: IDataObject = { sort, limit, offset, autoWindow: false };
	if (filter) body.filter = filter;
	if (select) body.select = select;
	return body;
}

export async function searchRecords(
	this: VibeContext,
	session: VibeSession,
	type: RecordType,
	query: SearchQuery,
	itemIndex?: number,
): Promise<SearchPage> {
	// A search changes nothing, so it may be sent again after an unknown outcome.
	const { data, body } = await vibeRequest.call(this, session, {
		method: 'POST',
		path: `/v1/${type.path}/search`,
		body: searchBody(query),
		idempotent: true,
		itemIndex,
		errorTexts: scopeTexts(type),
	});
	const total = Number(body.total ?? (body.meta as IDataObject | undefined)?.total);
	return {
		records: Array.isArray(data) ? (data as IDataObject[]) : [],
		total: Number.isFinite(total) ? total : undefined,
	};
}
