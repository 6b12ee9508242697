import type { IPollFunctions } from 'n8n-workflow';

import { fetchFields } from '../helpers/fields';
import { HASH_CAP, advance, capped, fieldsHash, recordId, savedHashes, type PollState } from '../helpers/pollState';
import type { Event, Watch } from './parameters';
import { ID_PAGE_SIZE, MAX_PAGES, pages, search, timeField, timeOf, type Query } from './read';

/**
 * First activation: remember where "now" is and emit nothing old. New Record: the newest record's time and ID
 * (every record at that second up to that ID is old). Updated Record and Entered Stage: every record changed in
 * the newest second (up to the cap), and for Entered Stage which records are at the stage already.
 */
export async function activate(this: IPollFunctions, query: Query, event: Event, watch: Watch | undefined, next: PollState, fields: string[]) {
	const field = timeField(query.type, event);
	// Watch Fields: the watched values first. A record changed between the two reads is then compared with its
	// older values at the next poll (emitted if a watched one differs), not taken as known with its new ones.
	if (fields.length) next.fieldHashes = await knownValues.call(this, query, fields);
	const all = { ...query, filters: {} };
	// New Record: without a matching record, the newest of any kind marks "now". Changes: the newest change of
	// any record does. On an empty portal everything to come is new.
	const [newest] = (event === 'newRecord' ? await search.call(this, query, field, 'desc', 0, 1) : []).concat(
		await search.call(this, all, field, 'desc', 0, 1),
	);
	const cursor = newest && timeOf(newest, field);
	if (cursor && event === 'newRecord') {
		Object.assign(next, { cursor, idsAtCursor: [], maxIdAtCursor: recordId(newest) });
	} else if (cursor) {
		const atCursor: Array<{ time: string; id: number }> = [];
		for await (const records of pages.call(this, all, { [`>=${field}`]: cursor }, field, ID_PAGE_SIZE, ['id', field])) {
			for (const record of records) atCursor.push({ time: timeOf(record, field) ?? cursor, id: recordId(record) });
		}
		advance(next, atCursor, false);
	}
	if (watch) {
		next.movedField = await movedField.call(this, query);
		// From-stage first: a record that moves on meanwhile is then known at the stage, not lost between the two.
		next.atFrom = watch.from ? await idsAt.call(this, query, watch.field, watch.from) : undefined;
		next.inStage = next.movedField ? undefined : await idsAt.call(this, query, watch.field, watch.stage);
	}
	return [];
}

/**
 * The field holding the time of a record's last stage move, when the portal's records carry one (Bitrix24 keeps
 * it for deals, leads and invoices; VibeCode's pages do not list it, so it is looked up, once, at activation).
 */
async function movedField(this: IPollFunctions, { session, type }: Query): Promise<string | undefined> {
	const names = new Set((await fetchFields.call(this, session, type)).map(({ name }) => name));
	return ['movedTime', 'MOVED_TIME'].find((name) => names.has(name));
}

/**
 * The watched values' hashes of the HASH_CAP records changed most recently (matching the filters), as
 * `id:hash`, the most recently changed last: the records most likely to change next.
 * Paged by offset, newest first, unlike the other loops: keys cannot page "the 10,000 newest" in one request a
 * page. A record that changes meanwhile moves to the front, already read: it is known with its older values
 * (compared at the next poll, as intended) or, if not read yet, not known (its first change is then emitted);
 * a page may repeat a record (kept once) or, when one leaves the filters, skip one (also not known). So the
 * offsets cost at most an extra event, never a missed one.
 */
async function knownValues(this: IPollFunctions, query: Query, fields: string[]): Promise<string[]> {
	const field = query.type.updatedField;
	const newestFirst = new Map<number, string>();
	for (let offset = 0; offset < HASH_CAP; offset += ID_PAGE_SIZE) {
		const records = await search.call(this, query, field, 'desc', offset, ID_PAGE_SIZE, ['id', field, ...fields]);
		for (const record of records) if (!newestFirst.has(recordId(record))) newestFirst.set(recordId(record), fieldsHash(record, fields));
		if (records.length < ID_PAGE_SIZE) break;
	}
	return savedHashes(new Map([...newestFirst].reverse()));
}

/**
 * IDs of the records at a stage, newest last, up to STAGE_CAP. Paged by ID above the last one read, not by
 * offset: a record that changes or leaves the stage meanwhile shifts no page, so none is skipped or read twice,
 * and each page is one request. Ordered by update time afterwards, so the cap drops the ones changed longest ago.
 */
async function idsAt(this: IPollFunctions, query: Query, field: string, stage: string): Promise<number[]> {
	const updated = query.type.updatedField;
	const found: Array<{ time: number; id: number }> = [];
	let after: number | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const filters = { ...query.filters, [field]: stage, ...(after === undefined ? {} : { '>id': after }) };
		const records = await search.call(this, { ...query, filters }, 'id', 'asc', 0, ID_PAGE_SIZE, ['id', updated]);
		for (const record of records) found.push({ time: Date.parse(timeOf(record, updated) ?? '') || 0, id: recordId(record) });
		if (records.length < ID_PAGE_SIZE) break;
		after = recordId(records[records.length - 1]);
	}
	found.sort((a, b) => a.time - b.time || a.id - b.id);
	return capped(new Set(found.map(({ id }) => id)));
}
