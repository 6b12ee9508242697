/**
 * A CRM entity's fields as the portal describes them (GET /v1/{entity}/fields), and the one conversion of
 * what a user mapped into what VibeCode expects. Every refusal is an InputError that names the field.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { InputError, quote, scopeTexts } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import { CRM_DROPDOWN_FIELDS, type RecordType } from './entities';
import { EMAIL_ADDRESS } from './validate';

export interface PortalField {
	name: string;
	/** Bitrix24's type: string, integer, double, money, char, boolean, date, datetime, enumeration, crm_multifield, user, crm_status… */
	type: string;
	title: string;
	required: boolean;
	readOnly: boolean;
	multiple: boolean;
	/** An enumeration's choices: the ID VibeCode stores, the label users see. */
	items: Array<{ id: string; label: string }>;
	/** A crm_status field's /v1/statuses list (for a stage: the default pipeline's). */
	statusType?: string;
}

/** A field described by its name and type alone (a name the portal does not list is compared as text). */
export const portalField = (name: string, type = 'string', extra: Partial<PortalField> = {}): PortalField => ({
	name,
	type,
	title: name,
	required: false,
	readOnly: false,
	multiple: false,
	items: [],
	...extra,
});


const WHOLE_TYPES = ['integer', 'user', 'employee', 'crm_company', 'crm_contact', 'crm_category', 'crm_deal', 'crm_lead', 'crm_quote'];
export const NUMBER_TYPES = [...WHOLE_TYPES, 'double', 'money'];
/** A money value as Bitrix24 keeps a custom money field: "150.50|USD". */
export const MONEY_WITH_CURRENCY = /^\s*(-?\d+(?:\.\d+)?)\s*\|\s*([A-Za-z]{3})\s*$/;

/** Whether the field holds numbers (IDs of users and CRM records included), each entry of a multiple one too. */
export const isNumberField = (field: PortalField): boolean => NUMBER_TYPES.includes(field.type);

/**
 * How the editor's field mapper shows a portal type. A multiple field takes text: n8n checks a mapped value
 * against the type before the node sees it, and a list ("1, 7" or [1, 7]) is neither a number nor one option.
 * A number field takes text too, converted and checked by `prepareFields` in the field's label: n8n's number box
 * fills in 0 for a field it shows without a value (after "Refresh field list", or a field added by hand), and a 0
 * sent to a company, contact or amount field unlinks or zeroes it. An empty text box sends nothing.
 */
export function mapperType(field: PortalField): 'string' | 'boolean' | 'dateTime' | 'options' {
	if (field.multiple) return 'string';
	if (field.type === 'enumeration' && field.items.length > 0) return 'options';
	if (field.type === 'boolean' || field.type === 'char') return 'boolean';
	if (field.type === 'date' || field.type === 'datetime') return 'dateTime';
	return 'string';
}

/** GET /v1/{entity}/fields, in the portal's order. */
export async function fetchFields(this: VibeContext, session: VibeSession, type: RecordType, itemIndex?: number): Promise<PortalField[]> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/${type.path}/fields`, itemIndex, errorTexts: scopeTexts(type) });
	return parseFields(((data as IDataObject | undefined)?.fields ?? data ?? {}) as Record<string, IDataObject>);
}

/**
 * What VibeCode answers `GET /v1/{entity}/fields` for an entity that has no field list: no such route (404
 * NOT_FOUND), or `fields` read as a record ID (404 ENTITY_NOT_FOUND, 400 INVALID_PARAMS "must be a positive integer").
 */
const NO_FIELD_LIST = ['NOT_FOUND', 'ENTITY_NOT_FOUND', 'INVALID_PARAMS'];

/**
 * {@link fetchFields} of an Other Entity path: undefined when the entity has no field list (the entity index lists
 * several without one), so that the caller sends the values as given instead of refusing them. Any other failure
 * (scope, key, network) is thrown as it is. A CRM type always has its list.
 */
export async function fetchFieldsIfListed(this: VibeContext, session: VibeSession, type: RecordType, itemIndex?: number): Promise<PortalField[] | undefined> {
	if (!type.other) return await fetchFields.call(this, session, type, itemIndex);
	const missing = (error: unknown) => error instanceof NodeApiError && NO_FIELD_LIST.includes(String(error.context.vibeCode));
	return await fetchFields.call(this, session, type, itemIndex).catch((error: unknown) => {
		if (missing(error)) return undefined;
		throw error;
	});
}

/**
 * The field table of GET /v1/{entity}/fields (camelCase or Bitrix24's UPPER_CASE keys) as the node reads it. An
 * UPPER_CASE name whose camelCase twin is listed too (`RESPONSIBLE_ID` beside `responsibleId`: the tasks page keeps
 * both for older clients) is the same field, listed once by the name VibeCode takes in requests.
 */
export function parseFields(table: Record<string, IDataObject>): PortalField[] {
	const twin = (name: string) => name.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
	const names = new Set(Object.keys(table));
	return Object.entries(table)
		.filter(([name, spec]) => spec && typeof spec === 'object' && !(/^[A-Z][A-Z0-9_]*$/.test(name) && twin(name) !== name && names.has(twin(name))))
		.map(([name, spec]) => {
			const flag = (camel: string, upper: string) => [true, 'Y', 'true'].includes((spec[camel] ?? spec[upper]) as string);
			const items = Array.isArray(spec.items) ? (spec.items as IDataObject[]) : [];
			return {
				name,
				type: String(spec.type ?? 'string'),
				title: String(spec.title ?? spec.formLabel ?? spec.listLabel ?? name),
				required: flag('isRequired', 'IS_REQUIRED'),
				readOnly: flag('isReadOnly', 'IS_READ_ONLY'),
				multiple: flag('isMultiple', 'IS_MULTIPLE'),
				items: items.map((item) => ({ id: String(item.ID ?? item.id ?? ''), label: String(item.VALUE ?? item.value ?? item.ID ?? item.id ?? '') })),
				statusType: typeof (spec.statusType ?? spec.STATUS_TYPE) === 'string' ? String(spec.statusType ?? spec.STATUS_TYPE) : undefined,
			};
		});
}

export const label = (field: PortalField) => (field.title && field.title !== field.name ? `${field.title} (${field.name})` : field.name);
const empty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A list given as an array, or as text separated by commas or semicolons. */
function listOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(/[,;]/).map((part) => part.trim()).filter(Boolean);
	return [value];
}

/** A phone, email or website list in VibeCode's shape: [{ value, typeId }], WORK unless the value says otherwise. */
function multiField(field: PortalField, value: unknown): IDataObject[] {
	return listOf(value).map((entry) => {
		const given: IDataObject = entry && typeof entry === 'object' ? (entry as IDataObject) : { value: entry as string };
		const text = String(given.value ?? given.VALUE ?? '').trim();
		if (!text) throw new InputError(`${label(field)} has an empty entry`, `Give ${label(field)} as text, a list separated by commas, or a list of { value, typeId }.`);
		if (field.name.toLowerCase() === 'email' && !EMAIL_ADDRESS.test(text)) {
			throw new InputError(`${label(field)} is not an email address; got ${quote(text)}`, `Check the expression that gives ${label(field)}.`);
		}
		return { value: text, typeId: String(given.typeId ?? given.valueType ?? given.VALUE_TYPE ?? 'WORK') };
	});
}

function scalar(field: PortalField, value: unknown): string | number | boolean {
	// A custom money field also takes the amount with its currency, as Bitrix24 keeps it.
	if (field.type === 'money' && typeof value === 'string' && MONEY_WITH_CURRENCY.test(value)) {
		const [, amount, currency] = MONEY_WITH_CURRENCY.exec(value)!;
		return `${Number(amount)}|${currency.toUpperCase()}`;
	}
	if (NUMBER_TYPES.includes(field.type)) {
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
		const whole = WHOLE_TYPES.includes(field.type);
		if (!Number.isFinite(number) || (whole && !Number.isInteger(number))) {
			throw new InputError(`${label(field)} must be a ${whole ? 'whole number' : 'number'}; got ${quote(value)}`, `Give ${label(field)} a ${whole ? 'whole number such as 42' : field.type === 'money' ? 'number such as 1250.50, or an amount with its currency such as 1250.50|EUR' : 'number such as 1250.50'}.`);
		}
		return number;
	}
	if (field.type === 'boolean' || field.type === 'char') {
		const yes = [true, 'true', 'Y', 'y', 'yes', 1, '1'].includes(value as string);
		const no = [false, 'false', 'N', 'n', 'no', 0, '0'].includes(value as string);
		if (!yes && !no) throw new InputError(`${label(field)} must be true or false; got ${quote(value)}`, `Give ${label(field)} true or false.`);
		return field.type === 'char' ? (yes ? 'Y' : 'N') : yes;
	}
	if (field.type === 'date' || field.type === 'datetime') {
		const iso = value instanceof Date ? value.toISOString() : typeof (value as { toISO?: unknown })?.toISO === 'function' ? (value as { toISO: () => string }).toISO() : String(value);
		if (typeof value === 'number' || Number.isNaN(Date.parse(iso))) {
			throw new InputError(`${label(field)} must be a date; got ${quote(value)}`, `Give ${label(field)} as an ISO date such as 2026-12-31 or 2026-12-31T17:00:00+03:00.`);
		}
		return field.type === 'date' ? iso.slice(0, 10) : iso;
	}
	if (field.type === 'enumeration' && field.items.length > 0) {
		const wanted = String(value).trim().toLowerCase();
		const item = field.items.find(({ id, label: name }) => id === String(value).trim() || name.toLowerCase() === wanted);
		if (!item) {
			throw new InputError(`${label(field)} has no choice ${quote(value)}`, `Choose one of: ${field.items.map(({ label: name }) => name).join(', ')}.`);
		}
		return item.id;
	}
	if (typeof value === 'object') throw new InputError(`${label(field)} must be text; got ${quote(value)}`, `Give ${label(field)} a text value.`);
	return String(value);
}

/**
 * What the user mapped, as VibeCode's `fields`: empty values are left out, each value converted to its field's
 * type, phone and email lists in VibeCode's shape. `required` checks that every required field has a value (a
 * create), except the fields a dropdown of the node sets (`dropdowns`, the CRM's unless said); `keepRequired` refuses a required field mapped empty (an update). A name the portal does not have is refused unless `ignoreUnknown` (values mapped automatically from
 * the input, where other keys are expected).
 */
export function prepareFields(
	fields: PortalField[],
	values: IDataObject,
	{
		required = false,
		ignoreUnknown = false,
		keepRequired = false,
		entity = 'record',
		dropdowns = CRM_DROPDOWN_FIELDS,
	}: { required?: boolean; ignoreUnknown?: boolean; keepRequired?: boolean; entity?: string; dropdowns?: string[] } = {},
): IDataObject {
	const byName = new Map(fields.map((field) => [field.name, field]));
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		if (empty(value)) {
			// An update leaves an empty value out; a required field the user mapped but left empty is a mistake
			// (an expression that found nothing), not a wish to keep the old value, so it is said.
			const field = byName.get(name);
			if (keepRequired && field?.required && !field.readOnly) {
				throw new InputError(
					`${label(field)} is empty, and a ${entity} cannot be without it`,
					`Give ${label(field)} a value (check its expression in Values to Send), or remove it from Values to Send to keep the current one.`,
				);
			}
			continue;
		}
		const field = byName.get(name);
		if (!field) {
			if (ignoreUnknown) continue;
			throw new InputError(`The ${entity} has no field "${name}"`, 'Reload the fields in the field mapper (the portal may have renamed or removed it).');
		}
		if (field.readOnly) {
			if (ignoreUnknown) continue;
			throw new InputError(`${label(field)} is read-only`, 'Remove it from the mapped fields: Bitrix24 sets it itself.');
		}
		if (field.type === 'crm_multifield') out[name] = multiField(field, value);
		else if (field.multiple) out[name] = listOf(value).map((entry) => scalar(field, entry)) as string[];
		else out[name] = scalar(field, value);
	}
	if (required) {
		const missing = fields.filter((field) => field.required && !field.readOnly && out[field.name] === undefined && !dropdowns.includes(field.name));
		if (missing.length > 0) {
			throw new InputError(
				`${missing.map(label).join(', ')} ${missing.length > 1 ? 'are' : 'is'} required for a new ${entity}`,
				'Map a value to every required field (marked in the field mapper).',
			);
		}
	}
	return out;
}
