import { ENTITY_TYPES, ENTITY_TYPE_VALUES, entityType } from './entities';

/**
 * Checks of what parameters and expressions produce. Each returns the clean value or throws an
 * InputError whose message the node shows with the item index; nothing here sends a request.
 */
export class InputError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

const show = (value: unknown): string => {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') {
		const printable = value.replace(/[\u0000-\u001f\u007f]/g, '?');
		return `"${printable.length > 40 ? `${printable.slice(0, 40)}…` : printable}"`;
	}
	if (typeof value === 'number') return String(value);
	return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
};

export function parseEntityType(value: unknown): string {
	const clean = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (ENTITY_TYPE_VALUES.includes(clean)) return clean;
	throw new InputError(
		`Entity Type must be one of ${ENTITY_TYPE_VALUES.join(', ')}; got ${show(value)}`,
		'Pick the entity type from the list, or make the expression return one of these words.',
	);
}

export function parseEntityId(value: unknown): number {
	const id =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*#?\d{1,16}\s*$/.test(value)
				? Number(value.trim().replace('#', ''))
				: NaN;
	if (Number.isSafeInteger(id) && id > 0) return id;
	throw new InputError(
		`Entity ID must be a positive whole number; got ${show(value)}`,
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
	const match = /\/crm\/((?:type\/\d+)|[a-z]+)\/(?:details|show|edit)\/(\d+)/i.exec(text);
	if (!match) {
		throw new InputError(
			`Not a Bitrix24 CRM record link: ${show(value)}`,
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
	if (value && typeof value === 'object' && !Array.isArray(value) && '__rl' in value) {
		const locator = value as { mode?: string; value?: unknown };
		if (locator.mode === 'url') return parseEntityUrl(locator.value, expectedType);
		return parseEntityId(locator.value);
	}
	return parseEntityId(value);
}

export function parseTriggerCode(value: unknown): string {
	const raw =
		value && typeof value === 'object' && !Array.isArray(value) && '__rl' in value
			? (value as { value?: unknown }).value
			: value;
	const code = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (/^[A-Za-z0-9_.:-]{1,100}$/.test(code)) return code;
	throw new InputError(
		code ? `Trigger code ${show(raw)} is not valid` : `Trigger is empty; got ${show(raw)}`,
		'A trigger code is the CODE from the trigger list: letters, digits, "_", "-", "." and ":", at most 100 characters (e.g. payment_received).',
	);
}

/** The codes closest to a mistyped one, for "did you mean" hints. */
export function nearestCodes(code: string, known: string[], count = 3): string[] {
	const distance = (a: string, b: string): number => {
		const row = Array.from({ length: b.length + 1 }, (_, j) => j);
		for (let i = 1; i <= a.length; i++) {
			let previous = row[0];
			row[0] = i;
			for (let j = 1; j <= b.length; j++) {
				const current = row[j];
				row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
				previous = current;
			}
		}
		return row[b.length];
	};
	return known
		.map((candidate) => ({ candidate, score: distance(code.toLowerCase(), candidate.toLowerCase()) }))
		.sort((a, b) => a.score - b.score)
		.slice(0, count)
		.map(({ candidate }) => candidate);
}
