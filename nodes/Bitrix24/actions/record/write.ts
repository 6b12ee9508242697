/**
 * What Create, Create or Update and Update share: reading the mapped fields and the dropdowns of an item, and
 * turning them into VibeCode's `fields` against the portal's own field list and stages, before anything is written.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../errors';
import type { EntityType } from '../../helpers/entities';
import { DROPDOWN_FIELDS, fetchFields, prepareFields, type PortalField } from '../../helpers/fields';
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
				`${word === 'status' ? 'Status' : 'Stage'} "${request.stage}" is not a ${type.name.toLowerCase()} ${word}${wanted === undefined ? '' : ` of pipeline ${wanted}`} on this portal`,
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
