/**
 * What Create, Create or Update and Update share: reading the mapped fields and the dropdowns of an item, turning
 * them into the record's fields against the portal's own field list and stages before anything is written, and
 * sending them: each write then proven by its answer (proof.ts), phone, email and website as Options say
 * (listEntries.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { crmCode, dropdownFields, entityType, type RecordType } from '../../helpers/entities';
import { fetchFieldsIfListed, prepareFields } from '../../helpers/fields';
import { createRecord, getRecord, updateRecord } from '../../helpers/records';
import { defaultPipeline, fetchPipelines, fetchStageList, hasPipelines, pipelineLabel, pipelineOfStage, pipelineStageList, stageLabel, stageListOf, type Stage } from '../../helpers/stages';
import { fetchUsers, USER_PAGE } from '../../helpers/users';
import { locatorValue, positiveId } from '../../helpers/validate';
import type { VibeSession } from '../../transport';
import type { ReadItem } from '../runItems';
import { listChanges, type ListMode } from './listEntries';
import { proven, unreadRequired, type PortalFacts } from './proof';

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
	/** The CRM Records parameter as Bitrix24's short codes (`D_5141`), for a type with a CRM link field (a task). */
	crmLinks?: string[];
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
	throw new InputError(`${name} must be a whole number${min > 0 ? ' above 0' : ''}; got ${quote(raw)}`, `Choose the ${name.toLowerCase()} from the list, or make the expression return its ID.`);
}

/**
 * The values mapped under Values to Send. n8n checks them as it resolves them and names a field by its API name
 * ("Invalid input for 'title' [item 0]"); the node names it by the label the mapper shows and says what to do.
 */
function mappedValues(this: IExecuteFunctions, itemIndex: number): IDataObject {
	let failure: unknown;
	try {
		return (this.getNodeParameter('columns.value', itemIndex, {}) ?? {}) as IDataObject;
	} catch (error) {
		failure = error;
	}
	throw inUserWords(this.getNode().parameters.columns, failure);
}

/** n8n's check of one mapped value, by the field's label; anything else unchanged (the runner places it). */
function inUserWords(columns: unknown, error: unknown): unknown {
	const id = /^Invalid input for '([^']+)'/.exec(String((error as Error | undefined)?.message))?.[1];
	if (!id) return error;
	const schema = ((columns as IDataObject | undefined)?.schema ?? []) as Array<{ id?: string; displayName?: string }>;
	// The mapper's label without what it adds for lists (" – adds to the entries").
	const name = (schema.find((field) => field.id === id)?.displayName ?? id).replace(/ – .*$/, '');
	const said = String((error as { description?: unknown }).description ?? '');
	if (/is required but not set/.test(said)) {
		return new InputError(`${name} is required, but its value is empty`, `Give ${name} a value: check that its expression in Values to Send returns something for this item.`);
	}
	// n8n's own words ("'amount' expects a number but we got 'a lot'"), with the label for the ID.
	return new InputError(said ? said.split(`'${id}'`).join(name) : `${name} has a value of the wrong type`, `Check the value or expression of ${name} in Values to Send.`);
}

/**
 * Reads an item's mapped fields, dropdowns and write options; sends nothing. The match field only for Create or
 * Update (`upsert`): the editor saves `matchingColumns` with every operation's mapper, and Create has none.
 */
export function readWrite(this: IExecuteFunctions, itemIndex: number, type: RecordType, { upsert = false } = {}): WriteRequest {
	const parameter = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback as never);
	const auto = parameter('columns.mappingMode', 'defineBelow') === 'autoMapInputData';
	const values = auto ? { ...this.getInputData()[itemIndex].json } : mappedValues.call(this, itemIndex);
	const stage = parameter('stage', '');
	const options = (parameter('options', {}) ?? {}) as IDataObject;
	return {
		values,
		auto,
		match: upsert ? [...((parameter('columns.matchingColumns', []) as string[]) ?? [])] : [],
		pipeline: hasPipelines(type.value) ? wholeNumber('Pipeline', parameter('pipeline', ''), 0) : undefined,
		stage: type.stageField && !blank(stage) ? String(stage).trim() : undefined,
		responsible: wholeNumber('Responsible Person', parameter('responsible', ''), 1),
		crmLinks: type.crmLinkField ? crmLinks((parameter('crmRecords', {}) as IDataObject | undefined)?.records) : undefined,
		verify: options.checkWrittenValues !== false,
		lists: options.listEntries === 'replace' ? 'replace' : 'add',
	};
}

/** The CRM Records rows as Bitrix24's short codes, each ID checked by the field's label; none when no row is given. */
function crmLinks(rows: unknown): string[] | undefined {
	const list = (Array.isArray(rows) ? rows : []) as IDataObject[];
	if (!list.length) return undefined;
	return list.map((row, index) => {
		const type = entityType(String(row.entityType ?? ''));
		const id = positiveId(row.id);
		if (!type) throw new InputError(`CRM Records: the type of record ${index + 1} is not a CRM type; got ${quote(row.entityType)}`, 'Choose Company, Contact, Deal, Invoice, Lead or Quote.');
		if (id === undefined) {
			throw new InputError(`CRM Records: Record ID of ${type.name.toLowerCase()} ${index + 1} must be a positive whole number; got ${quote(row.id)}`, 'Give the number in the record\'s address, or make the expression return it.');
		}
		return crmCode(type, id);
	});
}

/** The dropdowns as the record's fields, each checked against the portal (the stage against its one list). */
function dropdownValues(type: RecordType, request: WriteRequest, facts: PortalFacts, lists: Map<string, Stage[]>): IDataObject {
	const out: IDataObject = {};
	if (request.pipeline !== undefined) {
		if (!facts.pipelines.some(({ id }) => id === String(request.pipeline))) {
			throw new InputError(`Pipeline ${request.pipeline} does not exist on this portal`, `Choose one of: ${facts.pipelines.map(({ id }) => pipelineLabel(facts.pipelines, id)).join(', ')}.`);
		}
		out.categoryId = request.pipeline;
	}
	if (request.stage !== undefined && type.stageField) {
		const list = stageListOf(type.value, request.stage, stageListOptions(type, request, facts))!;
		const offered = lists.get(list) ?? [];
		const stage = offered.find(({ id }) => id === request.stage);
		const word = type.stageField === 'statusId' ? 'Status' : 'Stage';
		if (!stage) {
			const pipeline = hasPipelines(type.value) ? ` of pipeline ${pipelineLabel(facts.pipelines, request.pipeline ?? pipelineOfStage(type.value, request.stage) ?? defaultPipeline(facts.pipelines))}` : '';
			throw new InputError(
				`${word} "${request.stage}" is not ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name.toLowerCase()} ${word.toLowerCase()}${pipeline} on this portal`,
				`Choose the ${word.toLowerCase()} from the list${offered.length ? `, or use one of: ${offered.slice(0, 20).map(stageLabel).join(', ')}` : ''}.${hasPipelines(type.value) ? ` To move ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name.toLowerCase()} to another pipeline, set Pipeline to that pipeline and Stage to one of its stages.` : ''}`,
			);
		}
		out[type.stageField] = stage.id;
		if (hasPipelines(type.value) && request.pipeline === undefined) request.stagePipeline = stage.pipeline;
	}
	if (request.responsible !== undefined) {
		if (facts.users.length < USER_PAGE && !facts.users.some(({ id }) => id === request.responsible)) {
			throw new InputError(`Responsible Person ${request.responsible} is not a user of this portal`, 'Choose the responsible person from the list, or make the expression return the ID of a portal user.');
		}
		out[type.responsibleField ?? 'assignedById'] = request.responsible;
	}
	if (type.crmLinkField && request.crmLinks?.length) out[type.crmLinkField] = request.crmLinks;
	return out;
}

/** The /v1/statuses list /fields names for the entity's stage field (an invoice stage without its category prefix). */
const stageFieldList = (type: RecordType, facts: PortalFacts) => facts.fields.find(({ name }) => name === type.stageField)?.statusType;

/** Where an item's stage is looked up: the chosen pipeline, the one its ID names, else the type's default pipeline. */
const stageListOptions = (type: RecordType, request: WriteRequest, facts: PortalFacts) => ({
	pipeline: request.pipeline,
	fallback: stageFieldList(type, facts),
	defaultPipeline: facts.pipelines.length ? defaultPipeline(facts.pipelines) : undefined,
});

/**
 * The check of every write: one GET of the entity's fields per run; of each stage list an item needs (one list per
 * stage, never every list at once); of pipelines and users when an item sets them. Then each item's `fields`, or
 * the InputError that refuses it.
 */
export async function checkWrites(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	items: Array<ReadItem<WriteRequest>>,
	{ required }: { required: boolean },
): Promise<Map<number, unknown>> {
	const listed = await fetchFieldsIfListed.call(this, session, type, items[0].itemIndex);
	// An Other Entity path without a field list: each item's values are sent as given (Map Automatically: the input
	// item's keys), and the proof then compares each of them with the answer as text.
	const fields = listed ?? [];
	const requests = items.map(({ request }) => request);
	const facts: PortalFacts = { fields, stages: [], pipelines: [], users: [] };
	const needPipelines = hasPipelines(type.value) && requests.some((request) => request.pipeline !== undefined || request.stage !== undefined);
	const needUsers = requests.some((request) => request.responsible !== undefined);
	// The pipelines first: a stage without its pipeline's prefix is in the type's default one, which only the list says.
	const [pipelines, users] = await Promise.all([needPipelines ? fetchPipelines.call(this, session, type.value) : [], needUsers ? fetchUsers.call(this, session) : []]);
	Object.assign(facts, { pipelines, users });
	const stageLists = new Set(
		requests
			.filter((request) => request.stage !== undefined)
			.map((request) => stageListOf(type.value, request.stage!, stageListOptions(type, request, facts)))
			.filter((list): list is string => list !== undefined),
	);
	const lists = await Promise.all([...stageLists].map(async (list) => [list, await fetchStageList.call(this, session, type.value, list)] as const));
	const byList = new Map(lists);
	facts.stages = lists.flatMap(([, stages]) => stages);
	// The dropdowns set these; a value mapped to them as well would be ambiguous, so the mapper never offers them.
	// Other Entity has no dropdowns: every field of its list is mapped.
	const dropdowns = dropdownFields(type);
	const mappable = fields.filter(({ name }) => !dropdowns.includes(name));
	const refused = new Map<number, unknown>();
	for (const { itemIndex, request } of items) {
		try {
			const mapped = listed
				? prepareFields(request.auto ? mappable : fields, request.values, {
						required,
						ignoreUnknown: request.auto,
						keepRequired: !required && !request.auto,
						entity: type.name.toLowerCase(),
						dropdowns,
					})
				: unlisted(request.values);
			request.fields = { ...mapped, ...dropdownValues(type, request, facts, byList) };
			// A responsible person the portal requires of a new record (a task's) is the dropdown's to give: refused here,
			// by its label, rather than by VibeCode's "responsibleId: Required".
			const responsible = type.responsibleField ?? 'assignedById';
			if (required && !request.auto && request.fields[responsible] === undefined && fields.some(({ name, required: needed }) => name === responsible && needed)) {
				throw new InputError(`Responsible Person is required for a new ${type.name.toLowerCase()}`, 'Choose the responsible person from the list, or make the expression return the ID of a portal user.');
			}
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

/** The values of an entity without a field list, as sent: every key with a value (empty ones left out, as for any write). */
function unlisted(values: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => !blank(value) || (typeof value === 'object' && value !== null)));
}

/** The fields a create sends: the item's, and the pipeline of a stage of another pipeline, which takes the record there. */
export function createFields(request: WriteRequest): IDataObject {
	const fields = { ...request.fields! };
	const pipelines = request.portal?.pipelines ?? [];
	if (request.stagePipeline !== undefined && request.stagePipeline !== (pipelines.length ? defaultPipeline(pipelines) : '0')) fields.categoryId = Number(request.stagePipeline);
	return fields;
}

/** POST of a new record with the item's fields, proven. */
export async function createProven(this: IExecuteFunctions, session: VibeSession, type: RecordType, request: WriteRequest, itemIndex: number): Promise<IDataObject> {
	const fields = createFields(request);
	const record = await createRecord.call(this, session, type, fields, itemIndex).catch((error: unknown) => {
		throw (request.portal && unreadRequired(this, type, error, fields, request.portal, itemIndex)) || error;
	});
	return request.verify && request.portal ? await proven.call(this, session, type, { facts: request.portal, sent: fields, record, created: true, replaced: [], itemIndex }) : record;
}

/**
 * PATCH of a record with an item's fields, proven. The record (from `known`, else read) is needed for phone, email
 * and website lists and for a deal stage chosen without its pipeline, which must be of the deal's own pipeline. With
 * nothing left to change, the record as it is.
 */
export async function updateProven(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	{ id, request, known, itemIndex }: { id: number; request: WriteRequest; known?: IDataObject; itemIndex: number },
): Promise<IDataObject> {
	const fields = request.fields!;
	const multi = request.multi ?? [];
	const current = needsCurrent(request) ? (known ?? (await getRecord.call(this, session, type, id, itemIndex))) : undefined;
	const mismatch = await pipelineMismatch.call(this, session, type, id, request, current);
	if (mismatch) throw mismatch;
	const changes = updateChanges(request, current);
	const record =
		Object.keys(changes).length === 0
			? await getRecord.call(this, session, type, id, itemIndex)
			: await updateRecord.call(this, session, type, id, changes, itemIndex, { addsEntries: addsEntries(request, changes) });
	return request.verify && request.portal
		? await proven.call(this, session, type, { facts: request.portal, sent: fields, record, created: false, replaced: request.lists === 'replace' ? multi : [], itemIndex })
		: record;
}

/** Whether an update needs the record first: for its phone, email and website lists, or a deal stage's pipeline. */
export const needsCurrent = (request: WriteRequest) => (request.multi ?? []).length > 0 || request.stagePipeline !== undefined;

/** What an update sends: the item's fields, its phone, email and website lists merged with the record's as Options say. */
export function updateChanges(request: WriteRequest, current: IDataObject | undefined): IDataObject {
	const multi = request.multi ?? [];
	return multi.length > 0 ? listChanges(request.fields!, current!, multi, request.lists) : request.fields!;
}

/** Whether the changes add phone, email or website entries (sent without an ID): Bitrix24 would add them twice. */
export const addsEntries = (request: WriteRequest, changes: IDataObject) =>
	(request.multi ?? []).some((name) => Array.isArray(changes[name]) && (changes[name] as IDataObject[]).some((entry) => entry.id === undefined));

/** A stage chosen without its pipeline must be of the record's own pipeline: the refusal when it is not. */
export async function pipelineMismatch(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	id: number,
	request: WriteRequest,
	current: IDataObject | undefined,
): Promise<InputError | undefined> {
	if (request.stagePipeline === undefined || !current) return undefined;
	const own = String(current.categoryId ?? current.CATEGORY_ID ?? '0');
	if (own === request.stagePipeline) return undefined;
	const facts = request.portal!;
	const offered = await fetchStageList.call(this, session, type.value, pipelineStageList(type.value, own));
	const noun = type.name.toLowerCase();
	return new InputError(
		`Stage "${request.stage}" is in pipeline ${pipelineLabel(facts.pipelines, request.stagePipeline)}, but ${noun} ${id} is in pipeline ${pipelineLabel(facts.pipelines, own)}`,
		`Choose a stage of ${pipelineLabel(facts.pipelines, own)}${offered.length ? `: ${offered.slice(0, 20).map(stageLabel).join(', ')}` : ''}. To move the ${noun} to another pipeline, set Pipeline to that pipeline and Stage to one of its stages.`,
	).afterRead();
}
