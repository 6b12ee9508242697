/**
 * What Create, Create or Update and Update share: reading the mapped fields and the dropdowns of an item, turning
 * them into the record's fields against the portal's own field list and stages before anything is written, sending
 * them, and the proof that they landed (the answer compared with what was sent).
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, InputError, nodeError } from '../../errors';
import type { EntityType } from '../../helpers/entities';
import { DROPDOWN_FIELDS, fetchFields, label, portalField, prepareFields, show, type PortalField } from '../../helpers/fields';
import { portalHost, recordLink } from '../../helpers/portal';
import { createRecord, getRecord, updateRecord } from '../../helpers/records';
import { dealStageList, fetchPipelines, fetchStageList, pipelineLabel, stageLabel, stageListOf, type Pipeline, type Stage } from '../../helpers/stages';
import { fetchUsers, userLabel, type PortalUser } from '../../helpers/users';
import { locatorValue } from '../../helpers/validate';
import { entryKey, unappliedFields, type Mismatch } from '../../helpers/writtenValues';
import type { VibeSession } from '../../transport';
import type { ReadItem } from '../runItems';

/** Options → Phone, Email and Website: add the entries to the record's lists, or make the lists exactly these. */
export type ListMode = 'add' | 'replace';

/** What one run read from the portal before writing, shared by its items. */
export interface PortalFacts {
	fields: PortalField[];
	/** The stages of every list an item's stage was looked up in. */
	stages: Stage[];
	/** Deal pipelines, read when a deal item sets a pipeline or a stage. */
	pipelines: Pipeline[];
	/** Users, read when an item sets the responsible person. */
	users: PortalUser[];
}

export interface WriteRequest {
	/** The mapped values, as the user gave them. */
	values: IDataObject;
	/** Whether the values were mapped automatically from the input item (other keys are then ignored). */
	auto: boolean;
	/** The fields to match on (Create or Update). */
	match: string[];
	pipeline?: number;
	stage?: string;
	responsible?: number;
	/** Options → Check Written Values (on unless turned off). */
	verify: boolean;
	lists: ListMode;
	/** The record's fields, set by the check once the portal's field list is known. */
	fields?: IDataObject;
	/** The phone, email and website lists among `fields` (Bitrix24 adds each entry sent without its ID). */
	multi?: string[];
	/** A deal stage's pipeline, when no pipeline was chosen: a new deal goes there; an existing one must be in it. */
	stagePipeline?: string;
	portal?: PortalFacts;
}

const blank = (value: unknown) => value === undefined || value === null || String(value).trim() === '';

function wholeNumber(name: string, value: unknown, min: number): number | undefined {
	const raw = locatorValue(value);
	if (blank(raw)) return undefined;
	const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
	if (Number.isInteger(number) && number >= min) return number;
	throw new InputError(`${name} must be a whole number${min > 0 ? ' above 0' : ''}; got ${JSON.stringify(raw)}`, `Choose the ${name.toLowerCase()} from the list, or make the expression return its ID.`);
}

/** Reads an item's mapped fields, dropdowns and write options; sends nothing. */
export function readWrite(this: IExecuteFunctions, itemIndex: number, type: EntityType): WriteRequest {
	const auto = this.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') === 'autoMapInputData';
	const values = auto
		? { ...this.getInputData()[itemIndex].json }
		: ((this.getNodeParameter('columns.value', itemIndex, {}) ?? {}) as IDataObject);
	const stage = this.getNodeParameter('stage', itemIndex, '');
	const options = (this.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
	return {
		values,
		auto,
		match: (this.getNodeParameter('columns.matchingColumns', itemIndex, []) as string[]) ?? [],
		pipeline: type.value === 'deal' ? wholeNumber('Pipeline', this.getNodeParameter('pipeline', itemIndex, ''), 0) : undefined,
		stage: type.stageField && !blank(stage) ? String(stage).trim() : undefined,
		responsible: wholeNumber('Responsible Person', this.getNodeParameter('responsible', itemIndex, ''), 1),
		verify: options.checkWrittenValues !== false,
		lists: options.listEntries === 'replace' ? 'replace' : 'add',
	};
}

/** The most rows one /v1/users page holds: a shorter list is the whole list. */
const USER_PAGE = 500;

/** The dropdowns as the record's fields, each checked against the portal (the stage against its one list). */
function dropdownFields(type: EntityType, request: WriteRequest, facts: PortalFacts, lists: Map<string, Stage[]>): IDataObject {
	const out: IDataObject = {};
	if (request.pipeline !== undefined) {
		if (!facts.pipelines.some(({ id }) => id === String(request.pipeline))) {
			throw new InputError(`Pipeline ${request.pipeline} does not exist on this portal`, `Choose one of: ${facts.pipelines.map(({ id }) => pipelineLabel(facts.pipelines, id)).join(', ')}.`);
		}
		out.categoryId = request.pipeline;
	}
	if (request.stage !== undefined && type.stageField) {
		const list = stageListOf(type.value, request.stage, { pipeline: request.pipeline, fallback: stageFieldList(type, facts) })!;
		const offered = lists.get(list) ?? [];
		const stage = offered.find(({ id }) => id === request.stage);
		const word = type.stageField === 'statusId' ? 'Status' : 'Stage';
		if (!stage) {
			const pipeline = type.value === 'deal' ? ` of pipeline ${pipelineLabel(facts.pipelines, request.pipeline ?? (/^C(\d+):/.exec(request.stage)?.[1] ?? '0'))}` : '';
			throw new InputError(
				`${word} "${request.stage}" is not ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name.toLowerCase()} ${word.toLowerCase()}${pipeline} on this portal`,
				`Choose the ${word.toLowerCase()} from the list${offered.length ? `, or use one of: ${offered.slice(0, 20).map(stageLabel).join(', ')}` : ''}.${type.value === 'deal' ? ' To move a deal to another pipeline, set Pipeline to that pipeline and Stage to one of its stages.' : ''}`,
			);
		}
		out[type.stageField] = stage.id;
		if (type.value === 'deal' && request.pipeline === undefined) request.stagePipeline = stage.pipeline;
	}
	if (request.responsible !== undefined) {
		if (facts.users.length < USER_PAGE && !facts.users.some(({ id }) => id === request.responsible)) {
			throw new InputError(`Responsible Person ${request.responsible} is not a user of this portal`, 'Choose the responsible person from the list, or make the expression return the ID of a portal user.');
		}
		out.assignedById = request.responsible;
	}
	return out;
}

/** The /v1/statuses list /fields names for the entity's stage field (an invoice stage without its category prefix). */
const stageFieldList = (type: EntityType, facts: PortalFacts) => facts.fields.find(({ name }) => name === type.stageField)?.statusType;

/**
 * The check of every write: one GET of the entity's fields per run; of each stage list an item needs (one list per
 * stage, never every list at once); of pipelines and users when an item sets them. Then each item's `fields`, or
 * the InputError that refuses it.
 */
export async function checkWrites(
	this: IExecuteFunctions,
	session: VibeSession,
	type: EntityType,
	items: Array<ReadItem<WriteRequest>>,
	{ required }: { required: boolean },
): Promise<Map<number, unknown>> {
	const fields = await fetchFields.call(this, session, type, items[0].itemIndex);
	const requests = items.map(({ request }) => request);
	const facts: PortalFacts = { fields, stages: [], pipelines: [], users: [] };
	const stageLists = new Set(
		requests
			.filter((request) => request.stage !== undefined)
			.map((request) => stageListOf(type.value, request.stage!, { pipeline: request.pipeline, fallback: stageFieldList(type, facts) }))
			.filter((list): list is string => list !== undefined),
	);
	const needPipelines = type.value === 'deal' && requests.some((request) => request.pipeline !== undefined || request.stage !== undefined);
	const needUsers = requests.some((request) => request.responsible !== undefined);
	const [lists, pipelines, users] = await Promise.all([
		Promise.all([...stageLists].map(async (list) => [list, await fetchStageList.call(this, session, type.value, list)] as const)),
		needPipelines ? fetchPipelines.call(this, session) : [],
		needUsers ? fetchUsers.call(this, session) : [],
	]);
	const byList = new Map(lists);
	Object.assign(facts, { stages: lists.flatMap(([, stages]) => stages), pipelines, users });
	// The dropdowns set these; a value mapped to them as well would be ambiguous, so the mapper never offers them.
	const mappable = fields.filter(({ name }) => !DROPDOWN_FIELDS.includes(name));
	const refused = new Map<number, unknown>();
	for (const { itemIndex, request } of items) {
		try {
			const mapped = prepareFields(request.auto ? mappable : fields, request.values, {
				required,
				ignoreUnknown: request.auto,
				entity: type.name.toLowerCase(),
			});
			request.fields = { ...mapped, ...dropdownFields(type, request, facts, byList) };
			request.multi = fields.filter((field) => field.type === 'crm_multifield' && mapped[field.name] !== undefined).map((field) => field.name);
			request.portal = facts;
			for (const name of request.match) {
				if (request.fields[name] === undefined) {
					throw new InputError(`Create or Update matches on ${name}, but the item has no value for it`, `Map a value to ${name}, or choose another field to match on.`);
				}
			}
		} catch (error) {
			refused.set(itemIndex, error);
		}
	}
	return refused;
}

/** A value as a message shows it: a user, pipeline, stage or choice by its name and ID, a list by its entries. */
function shown(field: PortalField, value: unknown, facts: PortalFacts): string {
	if (value === undefined) return 'nothing (VibeCode answered without the field)';
	if (Array.isArray(value)) return `[${value.map((entry) => (entry && typeof entry === 'object' ? show((entry as IDataObject).value ?? (entry as IDataObject).VALUE) : shown(field, entry, facts))).join(', ')}]`;
	if (field.name === 'assignedById' || field.type === 'employee') return userLabel(facts.users, value);
	if (field.name === 'categoryId' && facts.pipelines.length) return pipelineLabel(facts.pipelines, String(value));
	const stage = field.type === 'crm_status' ? facts.stages.find(({ id }) => id === String(value)) : undefined;
	if (stage) return stageLabel(stage);
	const choice = field.type === 'enumeration' ? field.items.find(({ id }) => id === String(value)) : undefined;
	if (choice) return `"${choice.label} (${choice.id})"`;
	return show(value);
}

/**
 * The proof that a write landed: every field sent is in VibeCode's answer with the value sent (compared by type).
 * An answer that carries none of the fields sent (only the ID) is not taken as proof either way: the record is read.
 * Otherwise the item fails with WRITE_NOT_APPLIED naming each field, and, for a create, the new record.
 */
async function proven(
	this: IExecuteFunctions,
	session: VibeSession,
	type: EntityType,
	{ request, sent, record, created, itemIndex }: { request: WriteRequest; sent: IDataObject; record: IDataObject; created: boolean; itemIndex: number },
): Promise<IDataObject> {
	if (!request.verify || !request.portal) return record;
	const id = Number(record.id ?? record.ID);
	const names = Object.keys(sent);
	const answer = names.length > 0 && !names.some((name) => name in record) && id > 0 ? await getRecord.call(this, session, type, id, itemIndex) : record;
	const misses = unappliedFields(request.portal.fields, sent, answer, request.lists === 'replace' ? (request.multi ?? []) : []);
	if (misses.length === 0) return answer;
	const link = created ? await portalHost.call(this, session).then((host) => recordLink(host, type, id), () => undefined) : undefined;
	throw notApplied(this, type, { id, created, misses, facts: request.portal, link, itemIndex });
}

function notApplied(
	context: IExecuteFunctions,
	type: EntityType,
	{ id, created, misses, facts, link, itemIndex }: { id: number; created: boolean; misses: Mismatch[]; facts: PortalFacts; link?: string; itemIndex: number },
) {
	const noun = type.name.toLowerCase();
	const names = misses.map(({ field }) => label(field));
	const message = `${type.name} ${id} was ${created ? 'created' : 'saved'}, but ${misses.length === 1 ? `${names[0]} does` : `${misses.length} fields do`} not hold the value sent`;
	const lines = misses.map(({ field, sent, stored }) => `${label(field)}: sent ${shown(field, sent, facts)}, stored ${shown(field, stored, facts)}.`);
	const after = created
		? `The new ${noun} is ${id}${link ? ` (${link})` : ''}: check or delete it in Bitrix24 before running this item again, which would create another ${noun}.`
		: `The other fields of ${noun} ${id} were saved.`;
	const hint = [
		...lines,
		'Causes: a field Bitrix24 does not know or the key may not write (reload the fields in the mapper), a value Bitrix24 or a robot rewrote, or a change in VibeCode\'s body format.',
		after,
		'Turn off Options → Check Written Values only for fields Bitrix24 rewrites on purpose.',
	].join('\n');
	return nodeError(context.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status: created ? 201 : 200 }), {
		itemIndex,
		texts: { WRITE_NOT_APPLIED: { message, hint } },
	});
}

/**
 * A create VibeCode refused because a required field is missing although the node sent it: the server did not read
 * the body as the node wrote it, which is no mistake of the user's, so it is said as such (WRITE_NOT_APPLIED).
 */
function unreadRequired(context: IExecuteFunctions, type: EntityType, error: unknown, sent: IDataObject, facts: PortalFacts, itemIndex: number) {
	if (!(error instanceof NodeApiError) || error.context.vibeCode !== 'VALIDATION_ERROR') return undefined;
	const body = (error.errorResponse ?? {}) as JsonObject;
	const said = typeof body.apiMessage === 'string' ? body.apiMessage : '';
	const unread = [...said.matchAll(/(?:fields\.)?([A-Za-z_]\w*): Required/g)].map((match) => match[1]).filter((name) => sent[name] !== undefined);
	if (unread.length === 0) return undefined;
	const labels = unread.map((name) => label(facts.fields.find((field) => field.name === name) ?? portalField(name))).join(', ');
	const failure = new ApiFailure('WRITE_NOT_APPLIED', {
		status: Number(error.httpCode) || 400,
		apiMessage: said,
		requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
	});
	return nodeError(context.getNode(), failure, {
		itemIndex,
		texts: {
			WRITE_NOT_APPLIED: {
				message: `VibeCode did not read ${labels}, which the node sent, and created no ${type.name.toLowerCase()}`,
				hint: "The node sends the fields at the top level of the body, as VibeCode documents; a server that reads another body format ignores them. Nothing was created. Report it to the package's maintainers with the request ID.",
			},
		},
	});
}

/** POST of a new record with the item's fields, proven. A deal stage of another pipeline takes the deal there. */
export async function createProven(this: IExecuteFunctions, session: VibeSession, type: EntityType, request: WriteRequest, itemIndex: number): Promise<IDataObject> {
	const fields = { ...request.fields! };
	if (request.stagePipeline !== undefined && request.stagePipeline !== '0') fields.categoryId = Number(request.stagePipeline);
	const record = await createRecord.call(this, session, type, fields, itemIndex).catch((error: unknown) => {
		throw (request.portal && unreadRequired(this, type, error, fields, request.portal, itemIndex)) || error;
	});
	return await proven.call(this, session, type, { request, sent: fields, record, created: true, itemIndex });
}

/** Add: the entries the record does not have yet. Bitrix24 adds every entry sent without its ID, so a known one would be listed twice. */
function addedEntries(name: string, wanted: IDataObject[], current: IDataObject[]): IDataObject[] {
	const known = new Set(current.map((entry) => entryKey(name, entry)));
	return wanted.filter((entry) => !known.has(entryKey(name, entry)));
}

/**
 * Replace: the changes that leave exactly the entries wanted. Entries already there stay untouched; the others are
 * changed into the new values by their `id`, and those left over removed (`{ id, value: '' }`); only new values
 * beyond those are added.
 */
function replacedEntries(name: string, wanted: IDataObject[], current: IDataObject[]): IDataObject[] {
	const wantedKeys = new Set(wanted.map((entry) => entryKey(name, entry)));
	const currentKeys = new Set(current.map((entry) => entryKey(name, entry)));
	const spare = current.filter((entry) => !wantedKeys.has(entryKey(name, entry)));
	const fresh = wanted.filter((entry) => !currentKeys.has(entryKey(name, entry)));
	const changed = fresh.map((entry, index) => (spare[index] ? { id: spare[index].id ?? spare[index].ID, ...entry } : entry));
	const removed = spare.slice(fresh.length).map((entry) => ({ id: entry.id ?? entry.ID, value: '' }));
	return [...changed, ...removed];
}

/** The fields an update sends: the phone, email and website lists as Add or Replace needs them against `record`. */
function listChanges(fields: IDataObject, record: IDataObject, multi: string[], mode: ListMode): IDataObject {
	const out = { ...fields };
	for (const name of multi) {
		const current = (Array.isArray(record[name]) ? record[name] : []) as IDataObject[];
		const wanted = (Array.isArray(out[name]) ? out[name] : []) as IDataObject[];
		const changes = mode === 'replace' ? replacedEntries(name, wanted, current) : addedEntries(name, wanted, current);
		if (changes.length > 0) out[name] = changes;
		else delete out[name];
	}
	return out;
}

/**
 * PATCH of a record with an item's fields, proven. The record (from `known`, else read) is needed for phone, email
 * and website lists and for a deal stage chosen without its pipeline, which must be of the deal's own pipeline. With
 * nothing left to change, the record as it is.
 */
export async function updateProven(
	this: IExecuteFunctions,
	session: VibeSession,
	type: EntityType,
	{ id, request, known, itemIndex }: { id: number; request: WriteRequest; known?: IDataObject; itemIndex: number },
): Promise<IDataObject> {
	const fields = request.fields!;
	const multi = request.multi ?? [];
	const checksPipeline = request.stagePipeline !== undefined;
	const current = multi.length > 0 || checksPipeline ? (known ?? (await getRecord.call(this, session, type, id, itemIndex))) : undefined;
	if (checksPipeline) {
		const own = String(current!.categoryId ?? current!.CATEGORY_ID ?? '0');
		if (own !== request.stagePipeline) {
			const facts = request.portal!;
			const offered = await fetchStageList.call(this, session, type.value, dealStageList(own));
			throw new InputError(
				`Stage "${request.stage}" is in pipeline ${pipelineLabel(facts.pipelines, request.stagePipeline!)}, but deal ${id} is in pipeline ${pipelineLabel(facts.pipelines, own)}`,
				`Choose a stage of ${pipelineLabel(facts.pipelines, own)}${offered.length ? `: ${offered.slice(0, 20).map(stageLabel).join(', ')}` : ''}. To move the deal to another pipeline, set Pipeline to that pipeline and Stage to one of its stages.`,
			).afterRead();
		}
	}
	const changes = multi.length > 0 ? listChanges(fields, current!, multi, request.lists) : fields;
	const record =
		Object.keys(changes).length === 0
			? await getRecord.call(this, session, type, id, itemIndex)
			: await updateRecord.call(this, session, type, id, changes, itemIndex, {
					addsEntries: multi.some((name) => Array.isArray(changes[name]) && (changes[name] as IDataObject[]).some((entry) => entry.id === undefined)),
				});
	return await proven.call(this, session, type, { request, sent: fields, record, created: false, itemIndex });
}
