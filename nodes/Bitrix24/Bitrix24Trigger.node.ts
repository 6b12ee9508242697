import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { InputError, nodeError } from './errors';
import { ENTITY_TYPES, entityType, type EntityType } from './helpers/entities';
import { searchRecords } from './helpers/search';
import { openSession, type VibeSession } from './transport';

const PAGE_SIZE = 50;
/** Stops one poll from paging forever if the API keeps answering full pages. */
const MAX_PAGES = 200;

/** What the trigger remembers between polls (the node's static data). */
interface PollState {
	/** The entity type the state belongs to; another one starts afresh. */
	entityType?: string;
	/**
	 * The creation time of the newest record seen so far, as VibeCode wrote it; undefined while the portal
	 * has no record of this type. Always a server time: n8n's clock is never compared with Bitrix24's.
	 */
	cursor?: string;
	/** IDs of the records created at exactly `cursor`, already emitted (records can share a second). */
	idsAtCursor?: number[];
}

const recordTime = (record: IDataObject): string | undefined => {
	const value = record.createdAt ?? record.createdTime ?? record.CREATED_TIME ?? record.DATE_CREATE;
	return typeof value === 'string' && value ? value : undefined;
};
const recordId = (record: IDataObject) => Number(record.id ?? record.ID);
const sameInstant = (a: string, b: string) => a === b || Date.parse(a) === Date.parse(b);

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New " + $parameter["entityType"]}}',
		description: 'Starts the workflow when new Bitrix24 CRM records appear (polls the VibeCode API)',
		defaults: { name: 'Bitrix24 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'New Record', value: 'newRecord', description: 'A CRM record of the chosen type was created' }],
				default: 'newRecord',
			},
			{
				displayName: 'Entity Type',
				name: 'entityType',
				type: 'options',
				noDataExpression: true,
				options: ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
				default: 'deal',
				description: 'The kind of CRM record to watch',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				options: [
					{
						displayName: 'Assigned To (User ID)',
						name: 'assignedById',
						type: 'number',
						default: 0,
						description: 'Only records assigned to this Bitrix24 user',
					},
					{
						displayName: 'Pipeline ID',
						name: 'categoryId',
						type: 'number',
						default: 0,
						description: 'Only deals (or invoices) in this pipeline; 0 is the default pipeline',
					},
					{
						displayName: 'Stage ID',
						name: 'stageId',
						type: 'string',
						default: '',
						placeholder: 'e.g. NEW or C1:NEW',
						description: 'Only deals, quotes or invoices at this stage',
					},
					{
						displayName: 'Status ID',
						name: 'statusId',
						type: 'string',
						default: '',
						placeholder: 'e.g. NEW',
						description: 'Only leads with this status',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const type = entityType(this.getNodeParameter('entityType') as string);
		if (!type) throw nodeError(this.getNode(), new InputError('Choose an Entity Type', 'Pick the kind of CRM record to watch.'));
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const session = await openSession.call(this, { maxRetries: 2 });
		const state = this.getWorkflowStaticData('node') as PollState;

		if (this.getMode() === 'manual') {
			// A test run shows the newest record, so the user can map its fields.
			const [newest] = await search.call(this, session, type, filters, 'desc', undefined, 0, 1);
			return newest ? [this.helpers.returnJsonArray([newest])] : null;
		}

		if (state.entityType !== type.value) {
			// First activation: remember the newest record's time and emit nothing old. Without a matching
			// record, the newest of any kind marks "now"; on an empty portal everything to come is new.
			const [newest] =
				(await search.call(this, session, type, filters, 'desc', undefined, 0, 1)).concat(
					await search.call(this, session, type, {}, 'desc', undefined, 0, 1),
				);
			const cursor = newest && recordTime(newest);
			const atCursor = cursor ? await search.call(this, session, type, filters, 'asc', cursor, 0, PAGE_SIZE) : [];
			Object.assign(state, {
				entityType: type.value,
				cursor,
				idsAtCursor: atCursor.filter((r) => cursor && sameInstant(recordTime(r) ?? '', cursor)).map(recordId),
			});
			return null;
		}

		const seen = new Set(state.idsAtCursor ?? []);
		const fresh: IDataObject[] = [];
		for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
			const records = await search.call(this, session, type, filters, 'asc', state.cursor, offset, PAGE_SIZE);
			for (const record of records) {
				const time = recordTime(record);
				if (!time || (state.cursor && sameInstant(time, state.cursor) && seen.has(recordId(record)))) continue;
				fresh.push(record);
			}
			if (records.length < PAGE_SIZE) break;
			offset += records.length;
		}
		if (fresh.length === 0) return null;

		const newestTime = fresh.map((r) => recordTime(r)!).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
		const idsAtNewest = fresh.filter((r) => sameInstant(recordTime(r)!, newestTime)).map(recordId);
		state.idsAtCursor = state.cursor && sameInstant(newestTime, state.cursor) ? [...seen, ...idsAtNewest] : idsAtNewest;
		state.cursor = newestTime;
		return [this.helpers.returnJsonArray(fresh)];
	}
}

/** One page of records ordered by creation (then ID), from `since` on when given. */
async function search(
	this: IPollFunctions,
	session: VibeSession,
	type: EntityType,
	filters: IDataObject,
	direction: 'asc' | 'desc',
	since: string | undefined,
	offset: number,
	limit: number,
): Promise<IDataObject[]> {
	const filter: IDataObject = {};
	for (const [name, value] of Object.entries(filters)) {
		// 0 is a real pipeline (the default one) but no user.
		if (value === '' || value === undefined || value === null || (name === 'assignedById' && value === 0)) continue;
		filter[name] = value;
	}
	if (since) filter[`>=${type.createdField}`] = since;
	const { records } = await searchRecords.call(this, session, type, {
		filter,
		sort: { [type.createdField]: direction, id: direction },
		limit,
		offset,
	});
	return records;
}
