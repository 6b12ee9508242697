/**
 * What the record engine (actions/record/) needs of an entity: one of the six CRM types below, or any other path of
 * VibeCode's entity API chosen under Other Entity ({@link otherEntityType}), where only the path is known.
 */
export interface RecordType {
	value: string;
	name: string;
	/** Path segment of the VibeCode entity API: /v1/{path}. */
	path: string;
	/** Fields searched with $contains and shown in the list. */
	labelFields: string[];
	/** Bitrix24's link to a record, after the portal host; none when the node does not know where the record is shown. */
	url?: (id: string) => string;
	/** Where the record's stage is kept (CRM types only). */
	stageField?: 'stageId' | 'statusId';
	/**
	 * Set for an Other Entity path: its field list may be missing (the mapper then takes the input's keys), and each
	 * item is sent on its own, since the pages do not say which entities take VibeCode's batch calls.
	 */
	other?: true;
}

/** The CRM entity types VibeCode can fire triggers on, with what the node needs to search and link them. */
export interface EntityType extends RecordType {
	/** Bitrix24's CRM link to a record, after the portal host. */
	url: (id: string) => string;
	/** Bitrix24's CRM entityTypeId, as used in /crm/type/{n}/details/ links. */
	typeId: number;
	/**
	 * The creation-time field of VibeCode's responses: deals and quotes say createdAt, the others createdTime
	 * (see docs/vibecode-contract.md; whether filters accept the other name is not documented).
	 */
	createdField: 'createdAt' | 'createdTime';
	/** The update-time field, named like the creation one (updatedAt or updatedTime). */
	updatedField: 'updatedAt' | 'updatedTime';
}

export const ENTITY_TYPES: EntityType[] = [
	{ value: 'company', name: 'Company', path: 'companies', labelFields: ['title'], typeId: 4, createdField: 'createdTime', updatedField: 'updatedTime', url: (id) => `/crm/company/details/${id}/` },
	{ value: 'contact', name: 'Contact', path: 'contacts', labelFields: ['name', 'lastName'], typeId: 3, createdField: 'createdTime', updatedField: 'updatedTime', url: (id) => `/crm/contact/details/${id}/` },
	{ value: 'deal', name: 'Deal', path: 'deals', labelFields: ['title'], typeId: 2, stageField: 'stageId', createdField: 'createdAt', updatedField: 'updatedAt', url: (id) => `/crm/deal/details/${id}/` },
	{ value: 'invoice', name: 'Invoice', path: 'invoices', labelFields: ['title'], typeId: 31, stageField: 'stageId', createdField: 'createdTime', updatedField: 'updatedTime', url: (id) => `/crm/type/31/details/${id}/` },
	{ value: 'lead', name: 'Lead', path: 'leads', labelFields: ['title', 'name', 'lastName'], typeId: 1, stageField: 'statusId', createdField: 'createdTime', updatedField: 'updatedTime', url: (id) => `/crm/lead/details/${id}/` },
	{ value: 'quote', name: 'Quote', path: 'quotes', labelFields: ['title'], typeId: 7, stageField: 'stageId', createdField: 'createdAt', updatedField: 'updatedAt', url: (id) => `/crm/type/7/details/${id}/` },
];

export const ENTITY_TYPE_VALUES = ENTITY_TYPES.map((type) => type.value);

export function entityType(value: string): EntityType | undefined {
	return ENTITY_TYPES.find((type) => type.value === value);
}

/** The Other Entity resource: any entity path the key may use (`GET /v1/me` → `api.entityApi.entities`) beyond the six above. */
export const OTHER_ENTITY = 'otherEntity';

/**
 * An entity path as the node accepts it under Other Entity: lower-case letters, digits and dashes, starting with a
 * letter (`tasks`, `calendar-events`). Nothing else can reach the URL: no slash, query or dot.
 */
export const ENTITY_PATH = '[a-z][a-z0-9-]{0,63}';

/** "tasks" → "Task", "calendar-events" → "Calendar event", "companies" → "Company": how messages name a record. */
export function nameOfPath(path: string): string {
	const last = path.split('-');
	const word = last[last.length - 1];
	last[last.length - 1] = /ies$/.test(word) ? word.replace(/ies$/, 'y') : /(ss|ch|sh|x)es$/.test(word) ? word.replace(/es$/, '') : word.replace(/s$/, '');
	const text = last.join(' ');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * An Other Entity path as the record engine's type: named from the path, labelled by its title or name, with no
 * stage, CRM type number, link or known time fields. The path must already match {@link ENTITY_PATH}.
 */
export function otherEntityType(path: string): RecordType {
	return { value: path, name: nameOfPath(path), path, labelFields: ['title', 'name'], other: true };
}

/** A record's label as Bitrix24 shows it: the title, first and last name for people, a lead's title with the person's name. */
export function entityLabel(type: RecordType, record: Record<string, unknown>): string {
	const part = (field: string) => {
		const value = record[field] ?? record[field.toUpperCase()];
		return typeof value === 'string' ? value.trim() : '';
	};
	// A lead reads as its title, then the person's name: "Web form: pricing — Oleg Volkov".
	const [first, ...rest] = type.labelFields;
	const person = type.labelFields.length > 2 ? rest.map(part).filter(Boolean).join(' ') : '';
	const label = person ? [part(first), person].filter(Boolean).join(' — ') : type.labelFields.map(part).filter(Boolean).join(' ');
	return label || `${type.name} ${String(record.id ?? record.ID ?? '')}`.trim();
}
