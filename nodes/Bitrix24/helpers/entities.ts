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
	/** False when each item is sent on its own: VibeCode's pages show no batch call for the entity (smart-process items). */
	batch?: false;
	/** The field the Responsible Person dropdown sets: a CRM record's `assignedById` unless said (a task's `responsibleId`). */
	responsibleField?: string;
	/**
	 * The field that links the record to CRM records, set by the CRM Records parameter as Bitrix24's short codes
	 * (`D_5141` for deal 5141): a task's `ufCrmTask`.
	 */
	crmLinkField?: string;
}

/** The fields the node offers as dropdowns of their own for a CRM record (pipeline, stage or status, responsible), not in the field mapper. */
export const CRM_DROPDOWN_FIELDS = ['categoryId', 'stageId', 'statusId', 'assignedById'];

/** The dropdowns' fields of a type: the CRM's, with its own responsible field; none for Other Entity, whose fields are all mapped. */
export const dropdownFields = (type: RecordType): string[] =>
	type.other ? [] : CRM_DROPDOWN_FIELDS.map((name) => (name === 'assignedById' ? (type.responsibleField ?? name) : name));

/** Whether a run of several items may go through VibeCode's batch calls (`POST /v1/{entity}/batch`, `POST /v1/batch`). */
export const takesBatch = (type: RecordType): boolean => !type.other && type.batch !== false;

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

/**
 * A CRM type by its value: one of the six, or a smart process's items as `dynamic_{entityTypeId}` (named by
 * {@link smartProcessType}; without its title, "Smart process item").
 */
export function entityType(value: string): EntityType | undefined {
	const dynamic = SMART_PROCESS_VALUE.exec(value);
	return ENTITY_TYPES.find((type) => type.value === value) ?? (dynamic ? smartProcessType(Number(dynamic[1])) : undefined);
}

/** The Smart Process Item resource (and entity type of both triggers): its type is the Smart Process Type parameter. */
export const SMART_PROCESS_ITEM = 'smartProcessItem';
/** The resources the record engine serves with every CRM operation: the six CRM types and smart-process items. */
export const CRM_RESOURCES = [...ENTITY_TYPE_VALUES, SMART_PROCESS_ITEM];
/** The parameter that picks a smart process (its entityTypeId), for the resource and both triggers. */
export const SMART_PROCESS_TYPE = 'smartProcessType';
/** How a smart process's items are named as an entity type inside the node: `dynamic_1038`, as Bitrix24's DYNAMIC_1038. */
const SMART_PROCESS_VALUE = /^dynamic_(\d+)$/;

/** The entityTypeId of a `dynamic_{n}` type value; undefined for the six CRM types. */
export function smartProcessId(value: string): number | undefined {
	const dynamic = SMART_PROCESS_VALUE.exec(value);
	return dynamic ? Number(dynamic[1]) : undefined;
}

/**
 * A smart process's items as a CRM type of the record engine (`/v1/items/{entityTypeId}`, the older docs' Items
 * pages): titled, staged in pipelines (`categoryId`, `stageId` as `DT{n}_{category}:{STAGE}`), created and updated
 * as `createdTime`/`updatedTime`, linked as Bitrix24 links them. `title` is the type's name on the portal ("Order").
 */
export function smartProcessType(entityTypeId: number, title?: string): EntityType {
	return {
		value: `dynamic_${entityTypeId}`,
		name: title?.trim() || 'Smart process item',
		path: `items/${entityTypeId}`,
		labelFields: ['title'],
		typeId: entityTypeId,
		stageField: 'stageId',
		createdField: 'createdTime',
		updatedField: 'updatedTime',
		url: (id) => `/crm/type/${entityTypeId}/details/${id}/`,
		batch: false,
	};
}

/**
 * The record resources beyond the CRM's, each one entry (docs/vibecode-contract.md, "Tasks"): a task (`/v1/tasks`,
 * the current tasks pages) has a responsible person of its own (`responsibleId`), links to CRM records through
 * `ufCrmTask`, answers camelCase, and is sent one item at a time (the pages show no task batch).
 */
export const TASK = 'task';
export const RECORD_TYPES: RecordType[] = [{ value: TASK, name: 'Task', path: 'tasks', labelFields: ['title'], batch: false, responsibleField: 'responsibleId', crmLinkField: 'ufCrmTask' }];

/** Every resource of the record engine but Other Entity: the CRM's and RECORD_TYPES (a task). */
export const RECORD_RESOURCES = [...CRM_RESOURCES, ...RECORD_TYPES.map(({ value }) => value)];

/** The record engine's type of a resource: a CRM type (smart processes aside, which need their type), or one of RECORD_TYPES. */
export const recordType = (value: string): RecordType | undefined => entityType(value) ?? RECORD_TYPES.find((type) => type.value === value);

/**
 * Bitrix24's short code of a CRM record, as a task's CRM field takes it: `D_5141`, `L_101`, `C_201`, `CO_301`,
 * `Q_401`, `SI_501`; a smart process's item by its type in hexadecimal (`T40e_5` for 1038), as Bitrix24's
 * SYMBOL_CODE_SHORT (inferred: VibeCode has no call that lists them).
 */
export function crmCode(type: EntityType, id: number): string {
	const codes: Record<string, string> = { deal: 'D', lead: 'L', contact: 'C', company: 'CO', quote: 'Q', invoice: 'SI' };
	return `${codes[type.value] ?? `T${type.typeId.toString(16)}`}_${id}`;
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
