/**
 * What Create, Create or Update and Update share: reading the mapped fields and the dropdowns of an item, and
 * turning them into VibeCode's `fields` against the portal's own field list and stages, before anything is written.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../errors';
import type { EntityType } from '../../helpers/entities';
import { DROPDOWN_FIELDS, fetchFields, prepareFields, type PortalField } from '../../helpers/fields';
import { getRecord, updateRecord } from '../../helpers/records';
import { fetchStages, type Stage } from '../../helpers/stages';
import { locatorValue } from '../../helpers/validate';
import type { VibeSession } from '../../transport';
import type { ReadItem } from '../runItems';

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
	/** VibeCode's `fields`, set by the check once the portal's field list is known. */
	fields?: IDataObject;
	/** The phone, email and website lists among `fields` (Bitrix24 adds each entry sent without its ID). */
	multi?: string[];
}

const blank = (value: unknown) => value === undefined || value === null || String(value).trim() === '';

function wholeNumber(name: string, value: unknown, min: number): number | undefined {
	const raw = locatorValue(value);
	if (blank(raw)) return undefined;
	const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
	if (Number.isInteger(number) && number >= min) return number;
	throw new InputError(`${name} must be a whole number${min > 0 ? ' above 0' : ''}; got ${JSON.stringify(raw)}`, `Choose the ${name.toLowerCase()} from the list, or make the expression return its ID.`);
}

/** Reads an item's mapped fields and dropdowns; sends nothing. */
export function readWrite(this: IExecuteFunctions, itemIndex: number, type: EntityType): WriteRequest {
	const auto = this.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') === 'autoMapInputData';
	const values = auto
		? { ...this.getInputData()[itemIndex].json }
		: ((this.getNodeParameter('columns.value', itemIndex, {}) ?? {}) as IDataObject);
	const stage = this.getNodeParameter('stage', itemIndex, '');
	return {
		values,
		auto,
		match: (this.getNodeParameter('columns.matchingColumns', itemIndex, []) as string[]) ?? [],
		pipeline: type.value === 'deal' ? wholeNumber('Pipeline', this.getNodeParameter('pipeline', itemIndex, ''), 0) : undefined,
		stage: type.stageField && !blank(stage) ? String(stage).trim() : undefined,
		responsible: wholeNumber('Responsible Person', this.getNodeParameter('responsible', itemIndex, ''), 1),
	};
}

/** The dropdowns as VibeCode's fields, the stage checked against the portal's stages (of the pipeline, for deals). */
function dropdownFields(type: EntityType, request: WriteRequest, stages: Stage[]): IDataObject {
	const out: IDataObject = {};
	if (request.pipeline !== undefined) out.categoryId = request.pipeline;
	if (request.stage !== undefined && type.stageField) {
		const wanted = request.pipeline === undefined ? undefined : String(request.pipeline);
		const stage = stages.find(({ id, pipeline }) => id === request.stage && (wanted === undefined || pipeline === wanted));
		const word = type.stageField === 'statusId' ? 'status' : 'stage';
		if (!stage) {
			const offered = stages.filter(({ pipeline }) => wanted === undefined || pipeline === wanted).map(({ id }) => id);
			throw new InputError(
				`${word === 'status' ? 'Status' : 'Stage'} "${request.stage}" is not ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name.toLowerCase()} ${word}${wanted === undefined ? '' : ` of pipeline ${wanted}`} on this portal`,
				`Choose the ${word} from the list${offered.length ? `, or use one of: ${offered.slice(0, 20).join(', ')}` : ''}.`,
			);
		}
		out[type.stageField] = stage.id;
		// A deal stage belongs to one pipeline: a stage of another pipeline moves the deal there.
		if (type.value === 'deal' && request.pipeline === undefined && stage.pipeline !== '0') out.categoryId = Number(stage.pipeline);
	}
	if (request.responsible !== undefined) out.assignedById = request.responsible;
	return out;
}

/**
 * The check of every write: one GET of the entity's fields (and of its stages when an item sets one) per run,
 * then each item's `fields`, or the InputError that refuses it.
 */
export async function checkWrites(
	this: IExecuteFunctions,
	session: VibeSession,
	type: EntityType,
	items: Array<ReadItem<WriteRequest>>,
	{ required }: { required: boolean },
): Promise<Map<number, unknown>> {
	const portal: PortalField[] = await fetchFields.call(this, session, type, items[0].itemIndex);
	const stages = items.some(({ request }) => request.stage !== undefined) ? await fetchStages.call(this, session, type.value) : [];
	// The dropdowns set these; a value mapped to them as well would be ambiguous, so the mapper never offers them.
	const mappable = portal.filter(({ name }) => !DROPDOWN_FIELDS.includes(name));
	const refused = new Map<number, unknown>();
	for (const { itemIndex, request } of items) {
		try {
			const mapped = prepareFields(request.auto ? mappable : portal, request.values, {
				required,
				ignoreUnknown: request.auto,
				entity: type.name.toLowerCase(),
			});
			request.fields = { ...mapped, ...dropdownFields(type, request, stages) };
			request.multi = portal.filter((field) => field.type === 'crm_multifield' && mapped[field.name] !== undefined).map((field) => field.name);
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

/** An entry of a phone, email or website list as compared: its text, trimmed, in lower case. */
const entryKey = (entry: unknown): string => {
	const value = entry && typeof entry === 'object' ? ((entry as IDataObject).value ?? (entry as IDataObject).VALUE) : entry;
	return String(value ?? '').trim().toLowerCase();
};

/**
 * The fields an update of the matched record sends: without the phone, email and website entries it already has.
 * Bitrix24 adds every entry sent without its ID, so sending the matched email again would list it twice.
 */
function withoutKnownEntries(fields: IDataObject, record: IDataObject, multi: string[]): IDataObject {
	const out = { ...fields };
	for (const name of multi) {
		const current = record[name];
		const known = new Set((Array.isArray(current) ? current : []).map(entryKey));
		const fresh = (Array.isArray(out[name]) ? (out[name] as IDataObject[]) : []).filter((entry) => !known.has(entryKey(entry)));
		if (fresh.length > 0) out[name] = fresh;
		else delete out[name];
	}
	return out;
}

/**
 * PATCH of a record with an item's fields, leaving out the phone, email and website entries it already has (read
 * from `known`, else from the record itself). With nothing left to change, the record as it is, unchanged.
 */
export async function applyChanges(
	this: IExecuteFunctions,
	session: VibeSession,
	type: EntityType,
	{ id, fields, multi, known, itemIndex }: { id: number; fields: IDataObject; multi: string[]; known?: IDataObject; itemIndex: number },
): Promise<IDataObject> {
	const current = multi.length > 0 && !known ? await getRecord.call(this, session, type, id, itemIndex) : undefined;
	const changes = multi.length > 0 ? withoutKnownEntries(fields, (known ?? current)!, multi) : fields;
	if (Object.keys(changes).length === 0) return current ?? (await getRecord.call(this, session, type, id, itemIndex));
	return await updateRecord.call(this, session, type, id, changes, itemIndex, { addsEntries: multi.some((name) => changes[name] !== undefined) });
}
