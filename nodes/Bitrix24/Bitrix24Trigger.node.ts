import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { InputError, nodeError } from './errors';
import { ENTITY_TYPES, entityType, type EntityType } from './helpers/entities';
import {
	HASH_CAP,
	STAGE_CAP,
	advance,
	capped,
	cursorFilter,
	fieldsHash,
	handled,
	holdsLease,
	readHashes,
	recordId,
	releaseLease,
	remember,
	rememberKey,
	sameInstant,
	savedHashes,
	takeLease,
	type PollState,
} from './helpers/pollState';
import { fetchFields } from './helpers/fields';
import { searchRecords } from './helpers/search';
import { testConnection } from './methods/credentialTest';
import { getPipelines, getStages, getUsers } from './methods/loadOptions';
import { openSession, type VibeSession } from './transport';

const PAGE_SIZE = 50;
/** Pages of IDs only (activation), as large as VibeCode allows with an offset. */
const ID_PAGE_SIZE = 500;
/** Stops one poll from paging forever if the API keeps answering full pages. */
const MAX_PAGES = 200;

type Event = 'newRecord' | 'updatedRecord' | 'enteredStage';

const WITH_STAGE = ['deal', 'invoice', 'quote'];

/** What the editor's node creator shows over the Bitrix24 entry, which holds both nodes (see the description). */
export const TRIGGER_DESCRIPTION =
	'Create, find and update Bitrix24 CRM records and fire automation triggers, or start a workflow when records are created, changed or reach a stage';

/** The Event parameter, once per group of entity types (leads have statuses, people and companies neither). */
const eventParameter = (types: string[], stage?: string): INodeProperties => ({
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { entityType: types } },
	options: [
		{ name: 'New Record', value: 'newRecord', description: 'A record was created' },
		{ name: 'Updated Record', value: 'updatedRecord', description: 'A record was changed after it was created' },
		...(stage
			? [{ name: `Entered ${stage}`, value: 'enteredStage', description: `A record arrived at the chosen ${stage.toLowerCase()}, created there or moved there` }]
			: []),
	],
	default: 'newRecord',
});

/** A stage (or status) picker for Entered Stage; `types` are the entity types it is shown for. */
const stageParameter = (name: string, label: string, types: string[], required: boolean): INodeProperties => ({
	displayName: required ? `${label} Name or ID` : `From ${label} Name or ID`,
	name,
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['entityType', 'pipeline'] },
	displayOptions: { show: { entityType: types, event: ['enteredStage'] } },
	default: '',
	required,
	description:
		'Stage: the one to watch. From Stage: only records the trigger saw there since its activation. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
});

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["event"] === "enteredStage" ? $parameter["entityType"] + " entered " + $parameter["stage"] : ($parameter["event"] === "updatedRecord" ? "Updated " : "New ") + $parameter["entityType"]}}',
		// n8n's node creator shows a trigger and the node it is named after ("bitrix24Trigger" → "bitrix24") as one
		// entry, with the trigger's description over both nodes' actions, in the "What triggers this workflow?" and
		// the "What happens next?" panels alike: this text is that entry's, so it says what both nodes do.
		description: TRIGGER_DESCRIPTION,
		defaults: { name: 'Bitrix24 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// n8n may run the connection test through either node that uses the credential.
		credentials: [{ name: 'bitrix24VibeApi', required: true, testedBy: 'testConnection' }],
		properties: [
			{
				displayName: 'Entity Type',
				name: 'entityType',
				type: 'options',
				noDataExpression: true,
				options: ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
				default: 'deal',
				description: 'The kind of CRM record to watch',
			},
			eventParameter(WITH_STAGE, 'Stage'),
			eventParameter(['lead'], 'Status'),
			eventParameter(['company', 'contact']),
			{
				displayName: 'Pipeline Name or ID',
				name: 'pipeline',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getPipelines' },
				displayOptions: { show: { entityType: ['deal'], event: ['enteredStage'] } },
				default: '',
				description:
					'The pipeline whose stages the Stage list shows; empty shows every pipeline\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			stageParameter('stage', 'Stage', WITH_STAGE, true),
			stageParameter('stage', 'Status', ['lead'], true),
			stageParameter('fromStage', 'Stage', WITH_STAGE, false),
			stageParameter('fromStage', 'Status', ['lead'], false),
			{
				displayName: 'Watch Field Names or IDs',
				name: 'watchFields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getWatchableFields', loadOptionsDependsOn: ['entityType'] },
				displayOptions: { show: { event: ['updatedRecord'] } },
				default: [],
				description:
					'Emit an update only when one of these fields changed; none chosen: any change. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				options: [
					{
						displayName: 'Responsible User Name or ID',
						name: 'assignedById',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getUsers' },
						default: '',
						description:
							'Only records assigned to this Bitrix24 user. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Pipeline Name or ID',
						name: 'categoryId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getPipelines' },
						displayOptions: { show: { '/entityType': ['deal'] } },
						default: '',
						description:
							'Only deals in this pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Stage Name or ID',
						name: 'stageId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['entityType', 'filters.categoryId'] },
						displayOptions: { show: { '/entityType': WITH_STAGE, '/event': ['newRecord', 'updatedRecord'] } },
						default: '',
						description:
							'Only records at this stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Status Name or ID',
						name: 'statusId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['entityType'] },
						displayOptions: { show: { '/entityType': ['lead'], '/event': ['newRecord', 'updatedRecord'] } },
						default: '',
						description:
							'Only leads with this status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { testConnection },
		loadOptions: { getPipelines, getStages, getUsers, getWatchableFields },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const type = entityType(this.getNodeParameter('entityType') as string);
		if (!type) throw nodeError(this.getNode(), new InputError('Choose an Entity Type', 'Pick the kind of CRM record to watch.'));
		const event = (this.getNodeParameter('event', 'newRecord') as Event) ?? 'newRecord';
		const watch = event === 'enteredStage' ? stageWatch.call(this, type) : undefined;
		const fields = event === 'updatedRecord' ? watchedFields(this.getNodeParameter('watchFields', []) as unknown) : [];
		const filters = applicableFilters(type, event, this.getNodeParameter('filters', {}) as IDataObject);

		if (this.getMode() === 'manual') return await testRun.call(this, type, event, filters, watch);

		// Taken before the first await: a poll that overlaps a running one does nothing (see pollState.ts).
		const state = this.getWorkflowStaticData('node') as PollState;
		const lease = takeLease(state, Date.now());
		if (!lease) return null;
		try {
			const session = await openSession.call(this, { maxRetries: 2 });
			const watchKey = watch ? `${watch.stage}<${watch.from ?? ''}` : fields.length ? `fields:${fields.join(',')}` : undefined;
			const fresh = state.entityType !== type.value || (state.event ?? 'newRecord') !== event || state.watch !== watchKey;
			const next: PollState = fresh
				? { entityType: type.value, event, watch: watchKey }
				: { entityType: state.entityType, event, watch: state.watch, cursor: state.cursor, idsAtCursor: state.idsAtCursor, maxIdAtCursor: state.maxIdAtCursor, pastCursor: state.pastCursor, movedField: state.movedField, inStage: state.inStage, atFrom: state.atFrom, fieldHashes: state.fieldHashes };
			const query = { session, type, filters };
			const items = fresh
				? await activate.call(this, query, event, watch, next, fields)
				: await pollOnce.call(this, query, event, watch, next, fields);
			// Only the poll that still holds the lease keeps what it read and emits it.
			if (!holdsLease(state, lease)) return null;
			for (const key of Object.keys(state)) if (key !== 'lease') delete state[key as keyof PollState];
			for (const [key, value] of Object.entries(next)) if (value !== undefined) (state as IDataObject)[key] = value;
			return items.length ? [this.helpers.returnJsonArray(items)] : null;
		} finally {
			releaseLease(state, lease);
		}
	}
}

interface Query {
	session: VibeSession;
	type: EntityType;
	filters: IDataObject;
}

interface Watch {
	field: 'stageId' | 'statusId';
	stage: string;
	from?: string;
}

/** The Watch Fields parameter as a sorted list of names (an expression may give "a, b"). */
function watchedFields(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return [...new Set(list.map((name) => String(name ?? '').trim()).filter(Boolean))].sort();
}

/**
 * The fields of the chosen entity type (GET /v1/{entity}/fields), for Watch Fields: all but the ID and the
 * creation and update times (the update time changes with every change, the creation time never).
 */
export async function getWatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = entityType(String(this.getCurrentNodeParameter('entityType') ?? ''));
	if (!type) return [];
	const session = await openSession.call(this, { maxRetries: 1 });
	const unwatchable = new Set(['id', type.createdField, type.updatedField]);
	return (await fetchFields.call(this, session, type))
		.filter(({ name }) => !unwatchable.has(name))
		.map(({ name, title }) => ({ name: title && title !== name ? `${title} (${name})` : name, value: name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function stageWatch(this: IPollFunctions, type: EntityType): Watch {
	const stage = String(this.getNodeParameter('stage', '') ?? '').trim();
	const from = String(this.getNodeParameter('fromStage', '') ?? '').trim();
	const label = type.stageField === 'statusId' ? 'Status' : 'Stage';
	if (!type.stageField) {
		throw nodeError(this.getNode(), new InputError(`${type.name} records have no stage`, 'Entered Stage works for deals, quotes, invoices and (as Entered Status) leads.'));
	}
	if (!stage) throw nodeError(this.getNode(), new InputError(`Choose a ${label}`, `Pick the ${label.toLowerCase()} to watch from the list, or enter its ID.`));
	return { field: type.stageField, stage, from: from || undefined };
}

/** The filters that apply to the entity type and event; values left from another entity type are dropped. */
function applicableFilters(type: EntityType, event: Event, filters: IDataObject): IDataObject {
	const applies: Record<string, boolean> = {
		assignedById: true,
		categoryId: type.value === 'deal',
		stageId: WITH_STAGE.includes(type.value) && event !== 'enteredStage',
		statusId: type.value === 'lead' && event !== 'enteredStage',
	};
	const filter: IDataObject = {};
	for (const [name, value] of Object.entries(filters)) {
		// 0 is a real pipeline (the default one) but no user.
		if (!applies[name] || value === '' || value === undefined || value === null || (name === 'assignedById' && Number(value) === 0)) continue;
		filter[name] = value;
	}
	return filter;
}

const timeOf = (record: IDataObject, field: string): string | undefined => {
	const upper: Record<string, string[]> = {
		createdAt: ['createdTime', 'DATE_CREATE', 'CREATED_TIME'],
		createdTime: ['createdAt', 'DATE_CREATE', 'CREATED_TIME'],
		updatedAt: ['updatedTime', 'DATE_MODIFY', 'UPDATED_TIME'],
		updatedTime: ['updatedAt', 'DATE_MODIFY', 'UPDATED_TIME'],
	};
	const value = [field, ...upper[field]].map((name) => record[name]).find((v) => typeof v === 'string' && v);
	return value as string | undefined;
};
const stringField = (record: IDataObject, field: string) => (typeof record[field] === 'string' && record[field] ? (record[field] as string) : undefined);
const stageOf = (record: IDataObject, field: string) => String(record[field] ?? record[field.toUpperCase().replace('ID', '_ID')] ?? '');
const timeField = (type: EntityType, event: Event) => (event === 'newRecord' ? type.createdField : type.updatedField);

/** A test run shows the newest matching record, so the user can map its fields; none says which filters applied. */
async function testRun(
	this: IPollFunctions,
	type: EntityType,
	event: Event,
	filters: IDataObject,
	watch: Watch | undefined,
): Promise<INodeExecutionData[][]> {
	const session = await openSession.call(this, { maxRetries: 2 });
	const filter = watch ? { ...filters, [watch.field]: watch.stage } : filters;
	const [newest] = await search.call(this, { session, type, filters: filter }, timeField(type, event), 'desc', 0, 1);
	if (newest) return [this.helpers.returnJsonArray([newest])];
	const labels: IDataObject = { assignedById: 'Responsible User', categoryId: 'Pipeline', stageId: 'Stage', statusId: 'Status' };
	const applied = Object.entries(filter).map(([name, value]) => `${String(labels[name] ?? name)} = ${String(value)}`);
	throw nodeError(
		this.getNode(),
		new InputError(
			applied.length
				? `No ${type.value} matches the filters applied: ${applied.join(', ')}`
				: `The portal has no ${type.value} yet`,
			applied.length
				? 'Nothing was wrong with the request: no record matches. Check the filters, or create a matching record in Bitrix24 and test again.'
				: `Create a ${type.value} in Bitrix24 and test again, so there is a record to map fields from.`,
			'NO_MATCHING_RECORDS',
		),
	);
}

/** One page ordered by `field` (then ID; `id` alone orders by ID). */
async function search(
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
async function* pages(this: IPollFunctions, query: Query, start: IDataObject, field: string, pageSize = PAGE_SIZE, select?: string[]) {
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

/**
 * First activation: remember where "now" is and emit nothing old. New Record: the newest record's time and ID
 * (every record at that second up to that ID is old). Updated Record and Entered Stage: every record changed in
 * the newest second (up to the cap), and for Entered Stage which records are at the stage already.
 */
async function activate(this: IPollFunctions, query: Query, event: Event, watch: Watch | undefined, next: PollState, fields: string[]) {
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

/** A poll after activation: the records created or changed since the cursor, and what they mean for the event. */
async function pollOnce(this: IPollFunctions, query: Query, event: Event, watch: Watch | undefined, next: PollState, fields: string[]) {
	const field = timeField(query.type, event);
	const seen = new Set(next.idsAtCursor ?? []);
	// Watch Fields: the last seen hash of the watched values per record.
	const hashes = fields.length ? readHashes(next.fieldHashes) : undefined;
	const read: Array<{ time: string; id: number }> = [];
	// A record that changes during the poll is read again at its new time: emitted once, as it was read last, at
	// the place of that read (a Map keeps the order of insertion).
	const emitted = new Map<number, IDataObject>();
	const emit = (record: IDataObject) => {
		emitted.delete(recordId(record));
		emitted.set(recordId(record), record);
	};
	const versions = new Set<string>();
	const inStage = new Set(next.inStage ?? []);
	const atFrom = new Set(next.atFrom ?? []);
	// The cursor's second is read again each poll: one page holds it and what is new, up to ID_PAGE_SIZE.
	const pageSize = Math.min(ID_PAGE_SIZE, seen.size + PAGE_SIZE);
	for await (const records of pages.call(this, query, cursorFilter(next, field), field, pageSize)) {
		for (const record of records) {
			const time = timeOf(record, field);
			const id = recordId(record);
			if (!time) continue;
			// A second read once more (see pages) brings versions already handled in this poll.
			const version = `${id}@${Date.parse(time)}`;
			if (versions.has(version)) continue;
			versions.add(version);
			if (handled(next, time, id, seen)) {
				// Watch Fields: a record of the cursor's second, read again, whose watched values differ from those
				// seen changed once more within that second.
				if (hashes?.has(id) && next.cursor && sameInstant(time, next.cursor)) {
					const hash = fieldsHash(record, fields);
					if (hash !== hashes.get(id)) emit(record);
					rememberKey(hashes, id, hash);
				}
				continue;
			}
			read.push({ time, id });
			if (event === 'newRecord') emit(record);
			else if (event === 'updatedRecord') {
				// A record never changed since its creation is New Record's, not an update.
				const created = timeOf(record, query.type.createdField);
				const changed = !created || !sameInstant(created, time);
				if (hashes) {
					// Only when a watched value differs from the one last seen. A record without one (not seen since
					// activation, or forgotten at the cap) is emitted: its earlier values are unknown, and an extra
					// event is better than a missed one.
					const hash = fieldsHash(record, fields);
					// Emitted earlier in this poll: the same update, now with newer values.
					if (changed && (hashes.get(id) !== hash || emitted.has(id))) emit(record);
					rememberKey(hashes, id, hash);
				} else if (changed) emit(record);
			} else if (watch) {
				const stage = stageOf(record, watch.field);
				if (stage === watch.stage) {
					// By move time: a move the previous polls have not read past (a record never moved arrived at its
					// creation). Else by memory: a record not known at the stage.
					const moved = next.movedField && (stringField(record, next.movedField) ?? timeOf(record, query.type.createdField));
					const arrived = moved ? !handled(next, moved, id, seen) : !inStage.has(id);
					// Emitted earlier in this poll and still there: the same arrival, newer values. One that left again
					// meanwhile keeps the version that arrived.
					if ((arrived && (!watch.from || atFrom.has(id))) || emitted.has(id)) emit(record);
					if (!next.movedField) remember(inStage, id);
					atFrom.delete(id);
				} else {
					inStage.delete(id);
					if (watch.from && stage === watch.from) remember(atFrom, id);
					else atFrom.delete(id);
				}
			}
		}
	}
	advance(next, read, event === 'newRecord');
	if (hashes) next.fieldHashes = savedHashes(hashes);
	if (watch) {
		next.inStage = next.movedField ? undefined : capped(inStage, STAGE_CAP);
		next.atFrom = watch.from ? capped(atFrom, STAGE_CAP) : undefined;
	}
	return [...emitted.values()];
}
