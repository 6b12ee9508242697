import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { takesBatch, type EntityType } from '../../helpers/entities';
import { label, type PortalField } from '../../helpers/fields';
import { searchAll } from '../../helpers/records';
import { searchRecords } from '../../helpers/search';
import type { VibeSession } from '../../transport';
import { runItems, type BatchResult, type ItemOperation, type ReadItem } from '../runItems';
import { createItems, updateItems } from './bulk';
import { fieldsMapper, portalDropdowns } from './fields.description';
import { writeOptions } from './options.description';
import { checkWrites, createProven, readWrite, updateProven, type WriteRequest } from './write';

export const properties: INodeProperties[] = [
	...portalDropdowns("Empty leaves the portal's default for a new record and the current value of an existing one."),
	fieldsMapper('upsert'),
	writeOptions('upsert'),
];

/** The filter value of a match field: a phone or email list is matched by its first value. */
function matchValue(value: IDataObject[string]): IDataObject[string] {
	return Array.isArray(value) && value[0] && typeof value[0] === 'object' ? (value[0] as IDataObject).value : value;
}

/** The item's match filter: each match field with its value. */
const filterOf = (request: WriteRequest): IDataObject => Object.fromEntries(request.match.map((name) => [name, matchValue(request.fields![name])]));

/** Items with the same key match the same record: they take turns. */
const keyOf = (request: WriteRequest) => JSON.stringify(filterOf(request)).toLowerCase();

/** A value as the search compares it: without case and outer spaces; a phone by its digits. */
function comparable(field: PortalField | undefined, value: unknown): string {
	const text = String(value ?? '').trim().toLowerCase();
	return field?.name === 'phone' ? text.replace(/\D/g, '') : text;
}

/** Whether a record found by the batch's `$in` search is this item's match (every match field holds its value; a list, any entry). */
function isMatch(request: WriteRequest, record: IDataObject): boolean {
	return request.match.every((name) => {
		const field = request.portal?.fields.find((candidate) => candidate.name === name);
		const wanted = comparable(field, matchValue(request.fields![name]));
		const stored = record[name];
		const values = Array.isArray(stored) ? stored.map((entry) => (entry && typeof entry === 'object' ? (entry as IDataObject).value ?? (entry as IDataObject).VALUE : entry)) : [stored];
		return values.some((value) => comparable(field, value) === wanted);
	});
}

/** The refusal when several records match: named by the fields' labels, with the records' IDs. */
function severalMatches(type: EntityType, request: WriteRequest, records: IDataObject[], total: number | undefined): InputError {
	const filter = filterOf(request);
	const field = (name: string) => request.portal?.fields.find((candidate) => candidate.name === name);
	const shown = Object.entries(filter)
		.map(([name, value]) => `${field(name) ? label(field(name)!) : name} = ${quote(value)}`)
		.join(' and ');
	return new InputError(
		`${total ?? 'Several'} ${type.path} have ${shown}, so the node cannot tell which one to update`,
		`Records ${records.slice(0, 10).map((record) => record.id ?? record.ID).join(', ')}${(total ?? 0) > Math.min(records.length, 10) ? ' and more' : ''} match. Match on a field whose value is unique, or use Get Many and then Update.`,
		'SEVERAL_MATCHES',
	).afterRead();
}

/** What the update needs of the match: the match fields, its lists (phone, email, website) and, for a stage, its pipeline. */
const selectFor = (request: WriteRequest) => [...new Set(['id', ...request.match, ...(request.multi ?? []), ...(request.stagePipeline !== undefined ? ['categoryId'] : [])])];

/**
 * For each item, searches the record whose match field has the item's value: updates the one match, creates a
 * record when there is none, and fails the item when several match. Output: the record and `action`
 * ("created" or "updated"). The create is never sent twice; the search and the update may be. In batches, one
 * search (`$in`) finds the matches of the whole batch; items with the same match value go in later rounds.
 */
export async function execute(this: IExecuteFunctions, type: EntityType): Promise<INodeExecutionData[]> {
	// Items with the same match value take turns, so two of them cannot both find nothing and both create.
	const turns = new Map<string, Promise<IDataObject[]>>();
	const upsert: ItemOperation<WriteRequest> = {
		read: (itemIndex) => {
			const request = readWrite.call(this, itemIndex, type, { upsert: true });
			if (request.match.length === 0) {
				throw new InputError('Create or Update needs a field to match on', 'Choose it under "Field to Match On" in the Fields mapper, such as Email.');
			}
			return request;
		},
		check: async (session, items) => await checkWrites.call(this, session, type, items, { required: true }),
		send: async (session, request, itemIndex) => {
			const key = keyOf(request);
			const turn = (turns.get(key) ?? Promise.resolve())
				.catch(() => [])
				.then(async () => await createOrUpdate(session, request, itemIndex));
			turns.set(key, turn);
			return await turn;
		},
		rounds: (items) => {
			// The n-th item of each match value goes in round n, after the round that may have created its record.
			const seen = new Map<string, number>();
			const rounds: Array<Array<ReadItem<WriteRequest>>> = [];
			for (const item of items) {
				const key = keyOf(item.request);
				const round = seen.get(key) ?? 0;
				seen.set(key, round + 1);
				(rounds[round] ??= []).push(item);
			}
			return rounds;
		},
		sendBatch: takesBatch(type) ? async (session, items) => await createOrUpdateMany(session, items) : undefined,
	};
	const createOrUpdate = async (session: VibeSession, request: WriteRequest, itemIndex: number): Promise<IDataObject[]> => {
		const { records, total } = await searchRecords.call(this, session, type, { filter: filterOf(request), sort: { id: 'asc' }, select: selectFor(request), limit: 2, offset: 0 }, itemIndex);
		if (records.length > 1) throw severalMatches(type, request, records, total);
		if (records.length === 0) return [{ ...(await createProven.call(this, session, type, request, itemIndex)), action: 'created' }];
		const id = Number(records[0].id ?? records[0].ID);
		const record = await updateProven.call(this, session, type, { id, request, known: records[0], itemIndex });
		return [{ ...record, action: 'updated' }];
	};
	const createOrUpdateMany = async (session: VibeSession, items: Array<ReadItem<WriteRequest>>): Promise<Map<number, BatchResult>> => {
		// One search for the whole batch: each match field with every value of the batch ($in).
		const filter: IDataObject = {};
		for (const name of items[0].request.match) filter[name] = { $in: [...new Set(items.map(({ request }) => matchValue(request.fields![name])))] };
		const select = [...new Set(items.flatMap(({ request }) => selectFor(request)))];
		const found = await searchAll.call(this, session, type, { filter, sort: { id: 'asc' }, select }, 5000);
		const results = new Map<number, BatchResult>();
		const creates: Array<ReadItem<WriteRequest>> = [];
		const updates: Array<{ itemIndex: number; request: WriteRequest; id: number; known: IDataObject }> = [];
		for (const item of items) {
			const matches = found.filter((record) => isMatch(item.request, record));
			if (matches.length > 1) results.set(item.itemIndex, { error: severalMatches(type, item.request, matches, matches.length) });
			else if (matches.length === 0) creates.push(item);
			else updates.push({ ...item, id: Number(matches[0].id ?? matches[0].ID), known: matches[0] });
		}
		const [created, updated] = await Promise.all([
			creates.length ? createItems.call(this, session, type, creates, { action: 'created' }) : new Map<number, BatchResult>(),
			updates.length ? updateItems.call(this, session, type, updates, { action: 'updated' }) : new Map<number, BatchResult>(),
		]);
		return new Map([...results, ...created, ...updated]);
	};
	return await runItems.call(this, upsert);
}
