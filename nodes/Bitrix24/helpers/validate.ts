/**
 * Checks of what parameters and expressions produce. Each returns the clean value or throws an InputError
 * whose message names the field; nothing here sends a request.
 */
import { InputError, quote } from '../errors';
import { ENTITY_PATH, ENTITY_TYPES, ENTITY_TYPE_VALUES, entityType } from './entities';

/**
 * The patterns the editor checks as the user types (n8n anchors them: the whole value must match) and the
 * node checks again at run time, when expressions have resolved. One definition serves both.
 */
export const PATTERNS = {
	entityId: '\\s*#?[0-9]{1,16}\\s*',
	/** Groups: the type segment (`deal`, or `type/31` for smart processes), the record ID. */
	entityUrl: '.*/crm/(type/[0-9]+|[A-Za-z]+)/(?:details|show|edit)/([0-9]+).*',
	triggerCode: '\\s*[A-Za-z0-9_.:-]{1,100}\\s*',
} as const;

/** A pattern as n8n applies a resource locator's regex validation. */
const wholly = (pattern: string) => new RegExp(`^${pattern}$`);
const ENTITY_ID = wholly(PATTERNS.entityId);
const ENTITY_URL = wholly(PATTERNS.entityUrl);
const TRIGGER_CODE = wholly(PATTERNS.triggerCode);

/** The value inside a resource locator ({ __rl, mode, value }); any other value as it is. */
export function locatorValue(value: unknown): unknown {
	return value && typeof value === 'object' && !Array.isArray(value) && '__rl' in value
		? (value as { value?: unknown }).value
		: value;
}

export function parseEntityType(value: unknown): string {
	const clean = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (ENTITY_TYPE_VALUES.includes(clean)) return clean;
	throw new InputError(
		`Entity Type must be one of ${ENTITY_TYPE_VALUES.join(', ')}; got ${quote(value)}`,
		'Pick the entity type from the list, or make the expression return one of these words.',
	);
}

const ENTITY_PATH_PATTERN = wholly(ENTITY_PATH);

/**
 * Other Entity's Entity parameter: a path of VibeCode's entity API (`tasks`, `calendar-events`), checked before it
 * becomes part of a URL. A leading `/v1/` or `/` is dropped, since that is how paths are written in the pages.
 */
export function parseEntityPath(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().replace(/^\/?(v1\/)?/, '').replace(/\/+$/, '') : '';
	if (ENTITY_PATH_PATTERN.test(text)) return text;
	throw new InputError(
		text === '' ? `Entity is empty; got ${quote(value)}` : `Entity must be an entity path such as tasks or calendar-events; got ${quote(value)}`,
		'Choose the entity from the list, or make the expression return its path: lower-case letters, digits and dashes (tasks, calendar-events).',
	);
}

/** An e-mail address as the node checks one before sending it: something, an @, something, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** Whether a value is an entity path Other Entity accepts (see {@link parseEntityPath}). */
export const isEntityPath = (value: string): boolean => ENTITY_PATH_PATTERN.test(value);

/**
 * A Bitrix24 ID as a field or expression gives it (42, "42", " #42 "), or undefined when it is none: what every ID
 * field checks, each then saying so in its own words.
 */
export function positiveId(value: unknown): number | undefined {
	const inner = locatorValue(value);
	const id = typeof inner === 'number' ? inner : typeof inner === 'string' && ENTITY_ID.test(inner) ? Number(inner.trim().replace('#', '')) : NaN;
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function parseEntityId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	// A record's address pasted into By ID: say that By URL takes exactly that, and which ID it holds.
	const link = typeof value === 'string' ? ENTITY_URL.exec(value.trim()) : null;
	if (link) {
		throw new InputError(
			`Entity ID must be a positive whole number; got a Bitrix24 link to record ${link[2]}`,
			`Switch the field to By URL, which takes this link as it is, or give the record's ID: ${link[2]}.`,
		);
	}
	throw new InputError(
		`Entity ID must be a positive whole number; got ${quote(value)}`,
		'Use the record ID from Bitrix24 (the number in its address, e.g. 5141 in /crm/deal/details/5141/). Check that the expression does not return an empty value, a decimal or text.',
	);
}

const URL_TYPES: Record<string, string> = Object.fromEntries(
	ENTITY_TYPES.flatMap((type) => [
		[type.value, type.value],
		[`type/${type.typeId}`, type.value],
	]),
);

/** Reads a Bitrix24 CRM link such as https://portal.bitrix24.com/crm/deal/details/5141/. */
export function parseEntityUrl(value: unknown, expectedType: string): number {
	const text = typeof value === 'string' ? value.trim() : '';
	const match = ENTITY_URL.exec(text);
	if (!match) {
		throw new InputError(
			`Entity By URL is not a Bitrix24 CRM record link; got ${quote(value)}`,
			'Paste the address of the record page, such as https://your-portal.bitrix24.com/crm/deal/details/5141/.',
		);
	}
	const urlType = URL_TYPES[match[1].toLowerCase()];
	if (urlType !== expectedType) {
		const expected = entityType(expectedType)?.name ?? expectedType;
		throw new InputError(
			`The link is to a ${urlType ? entityType(urlType)!.name.toLowerCase() : `"${match[1]}" record`}, but Entity Type is ${expected}`,
			'Change Entity Type to match the link, or paste a link to a record of the chosen type.',
		);
	}
	return parseEntityId(match[2]);
}

/** The Entity parameter: a resource locator (From List, By ID, By URL) or, in older workflows, a plain number. */
export function parseEntity(value: unknown, expectedType: string): number {
	const inner = locatorValue(value);
	if (inner !== value && (value as { mode?: unknown }).mode === 'url') return parseEntityUrl(inner, expectedType);
	return parseEntityId(inner);
}

export function parseTriggerCode(value: unknown): string {
	const raw = locatorValue(value);
	const code = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
	if (TRIGGER_CODE.test(code)) return code.trim();
	throw new InputError(
		code.trim() ? `Trigger code ${quote(raw)} is not valid` : `Trigger is empty; got ${quote(raw)}`,
		'A trigger code is the CODE from the trigger list: letters, digits, "_", "-", "." and ":", at most 100 characters (e.g. payment_received).',
	);
}
