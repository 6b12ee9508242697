import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import type { EntityType } from '../../helpers/entities';
import { label } from '../../helpers/fields';
import { searchRecords } from '../../helpers/search';
import type { VibeSession } from '../../transport';
import { runItems, type ItemOperation } from '../runItems';
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

/**
 * For each item, searches the record whose match field has the item's value: updates the one match, creates a
 * record when there is none, and fails the item when several match. Output: the record and `action`
 * ("created" or "updated"). The create is never sent twice; the search and the update may be.
 */
export async function execute(this: IExecuteFunctions, type: EntityType): Promise<INodeExecutionData[]> {
	// Items with the same match value take turns, so two of them cannot both find nothing and both create.
	const turns = new Map<string, Promise<IDataObject[]>>();
	const upsert: ItemOperation<WriteRequest> = {
		read: (itemIndex) => {
			const request = readWrite.call(this, itemIndex, type);
			if (request.match.length === 0) {
				throw new InputError('Create or Update needs a field to match on', 'Choose it under "Field to Match On" in the Fields mapper, such as Email.');
			}
			return request;
		},
		check: async (session, items) => await checkWrites.call(this, session, type, items, { required: true }),
		send: async (session, request, itemIndex) => {
			const fields = request.fields!;
			const filter = Object.fromEntries(request.match.map((name) => [name, matchValue(fields[name])]));
			const key = JSON.stringify(filter).toLowerCase();
			const turn = (turns.get(key) ?? Promise.resolve())
				.catch(() => [])
				.then(async () => await createOrUpdate(session, request, filter, itemIndex));
			turns.set(key, turn);
			return await turn;
		},
	};
	const createOrUpdate = async (session: VibeSession, request: WriteRequest, filter: IDataObject, itemIndex: number): Promise<IDataObject[]> => {
			// What the update needs of the match: its lists (phone, email, website) and, for a stage, its pipeline.
			const select = ['id', ...(request.multi ?? []), ...(request.stagePipeline !== undefined ? ['categoryId'] : [])];
			const { records, total } = await searchRecords.call(this, session, type, { filter, sort: { id: 'asc' }, select, limit: 2, offset: 0 }, itemIndex);
			if (records.length > 1) {
				// The match field by the portal's label, as the mapper shows it.
				const field = (name: string) => request.portal?.fields.find((candidate) => candidate.name === name);
				const shown = Object.entries(filter)
					.map(([name, value]) => `${field(name) ? label(field(name)!) : name} = ${quote(value)}`)
					.join(' and ');
				throw new InputError(
					`${total ?? 'Several'} ${type.path} have ${shown}, so the node cannot tell which one to update`,
					`Records ${records.map((record) => record.id ?? record.ID).join(', ')}${(total ?? 0) > 2 ? ' and more' : ''} match. Match on a field whose value is unique, or use Get Many and then Update.`,
					'SEVERAL_MATCHES',
				).afterRead();
			}
			if (records.length === 0) return [{ ...(await createProven.call(this, session, type, request, itemIndex)), action: 'created' }];
			const id = Number(records[0].id ?? records[0].ID);
			const record = await updateProven.call(this, session, type, { id, request, known: records[0], itemIndex });
			return [{ ...record, action: 'updated' }];
	};
	return await runItems.call(this, upsert);
}
