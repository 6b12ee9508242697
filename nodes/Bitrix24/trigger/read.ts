import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { EntityType } from '../helpers/entities';
import { recordId } from '../helpers/pollState';
import { searchRecords } from '../helpers/search';
import type { VibeSession } from '../transport';
import type { Event } from './parameters';

/**
 * How the Bitrix24 Trigger reads records: one search page, every page from a start by keys, and the record
 * fields it reads (a time, the stage), whichever spelling VibeCode answers.
 */

export const PAGE_SIZE = 50;
/** Pages of IDs only (activation), as large as VibeCode allows with an offset. */
export const ID_PAGE_SIZE = 500;
/** Stops one poll from paging forever if the API keeps answering full pages. */
export const MAX_PAGES = 200;

export interface Query {
	session: VibeSession;
	type: EntityType;
	filters: IDataObject;
}

export const timeOf = (record: IDataObject, field: string): string | undefined => {
	const upper: Record<string, string[]> = {
		createdAt: ['createdTime', 'DATE_CREATE', 'CREATED_TIME'],
		createdTime: ['createdAt', 'DATE_CREATE', 'CREATED_TIME'],
		updatedAt: ['updatedTime', 'DATE_MODIFY', 'UPDATED_TIME'],
		updatedTime: ['updatedAt', 'DATE_MODIFY', 'UPDATED_TIME'],
	};
	const value = [field, ...upper[field]].map((name) => record[name]).find((v) => typeof v === 'string' && v);
	return value as string | undefined;
};
export const stringField = (record: IDataObject, field: string) => (typeof record[field] === 'string' && record[field] ? (record[field] as string) : undefined);
export const stageOf = (record: IDataObject, field: string) => String(record[field] ?? record[field.toUpperCase().replace('ID', '_ID')] ?? '');
export const timeField = (type: EntityType, event: Event) => (event === 'newRecord' ? type.createdField : type.updatedField);

/** One page ordered by `field` (then ID; `id` alone orders by ID). */
export async function search(
	this: IPollFunctions,
	{ session, type, filters }: Query,
	field: string,
	direction: 'asc' | 'desc',
	offset: number,
	limit: number,
	select?: string[],
): Promise<IDataObject[]> {
	const { records } = await searchRecords.call(this, session, type, {
		filter: filters,
		sort: { [field]: direction, id: direction },
		select,
		limit,
		offset,
	});
	return records;
}

/**
 * Every record matching the query from `start` on (a filter on `field` and the ID), in order of `field` then ID,
 * page by page (at most MAX_PAGES pages), by keys instead of offsets: after a full page that ends at second T and
 * ID X, the rest of second T by ID above X, then the records after T. A record that changes meanwhile moves to a
 * later time, ahead of the reader, and is read again there; with offsets it would shift the pages under the
 * reader, which then skips as many records as moved and reads the moved ones twice (issue 21).
 */
export async function* pages(this: IPollFunctions, query: Query, start: IDataObject, field: string, pageSize = PAGE_SIZE, select?: string[]) {
	const at = (time: string, after?: number): IDataObject =>
		// One-second times: "at T" is both bounds on T.
		({ [`>=${field}`]: time, [`<=${field}`]: time, ...(after === undefined ? {} : { '>id': after }) });
	let from = start;
	let page = 0;
	// The second being finished by ID, after a full page ended inside it; every such second; the newest time read.
	let within: string | undefined;
	const split = new Set<string>();
	let newest = -Infinity;
	for (; page < MAX_PAGES; page++) {
		const records = await search.call(this, { ...query, filters: { ...query.filters, ...from } }, field, 'asc', 0, pageSize, select);
		yield records;
		for (const record of records) newest = Math.max(newest, Date.parse(timeOf(record, field) ?? '') || -Infinity);
		const last = records[records.length - 1];
		const time = last && timeOf(last, field);
		if (records.length >= pageSize && time) {
			within = time;
			split.add(time);
			from = at(time, recordId(last));
		} else if (within) {
			from = { [`>${field}`]: within };
			within = undefined;
		} else break;
	}
	// A second finished by ID may have been the current one then: a record changed in it meanwhile with an ID
	// below the last one read landed behind the reader. Once a later time was read that second is over, so it is
	// read once more, whole (the caller skips what it read already); a later poll, past it, would not see it.
	for (const second of split) {
		if (Date.parse(second) >= newest) continue;
		for (let after: number | undefined; page < MAX_PAGES; page++) {
			const records = await search.call(this, { ...query, filters: { ...query.filters, ...at(second, after) } }, field, 'asc', 0, pageSize, select);
			yield records;
			if (records.length < pageSize) break;
			after = recordId(records[records.length - 1]);
		}
	}
}
