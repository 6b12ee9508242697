// Types for the sandbox (plain JavaScript so that `npm run sandbox` needs no build).
export interface Fire {
	entityType: string;
	entityId: number;
	triggerId: string;
	keyType: string;
	requestId: string;
	at: number;
}

export interface Fault {
	/** `itemError`: one item or call of a batch fails with `code` (default BITRIX_ERROR, 422) while the others run. */
	kind: 'error' | 'successFalse' | 'html' | 'empty' | 'badjson' | 'echo' | 'reset' | 'hang' | 'itemError';
	/** error: what the answer carries beside the error, as `data` (a refused batch's `{ errors }` by call or place). */
	data?: Record<string, unknown>;
	/** itemError: the item's place in the batch request. */
	index?: number;
	/** itemError: values the item (or the call) must carry, e.g. `{ title: 'Lead 7' }` or `{ entityId: 5 }`. */
	where?: Record<string, unknown>;
	path?: string;
	method?: string;
	times?: number;
	status?: number;
	code?: string;
	message?: string;
	hint?: string;
	retryAfter?: number;
	delayMs?: number;
	/** Apply the fault after the request was processed (a fire is journaled, then the answer is lost). */
	afterProcessing?: boolean;
}

/**
 * Where a create or update body carries the record's fields: `documented` (VibeCode's entity-api page) at the top
 * level, a `fields` wrapper being an unknown field and dropped; `wrapped` (the older docs) only in `body.fields`;
 * `either` the wrapper when there is one, else the top level.
 */
export type BodyShape = 'documented' | 'wrapped' | 'either';

export interface SandboxConfig {
	rateLimit: number;
	windowMs: number;
	latencyMs: number;
	checkEntityExists: boolean;
	/** Default `documented`. */
	bodyShape: BodyShape;
	/** Fields a create or update accepts but silently does not store, on every entity that has them. Default `[]`. */
	dropOnWrite: string[];
	/** `{ fieldName: value }`: a write that sets the field stores this value instead (a robot rewrote it). Default `{}`. */
	rewriteOnWrite: Record<string, unknown>;
	/** Deals, leads and invoices carry `movedTime`, the time of their last stage move. Default `true`. */
	movedTime: boolean;
	/** A list or search answers the `UF_*` fields only when `select` names them (as crm.deal.list). Default `false`. */
	omitUserFields: boolean;
	/** Extra latency of an entity batch per 50 records (VibeCode's batches to Bitrix24), and of a /v1/batch call. Default 0. */
	batchLatencyMs: number;
	/**
	 * What an entity batch answers for a record written: `{ success, data: <record> }` (`whole`, default),
	 * `{ success, data: { id } }` (`id`), `{ index, success, id }` (`idBeside`), `{ success, data: <id> }` (`bareId`), or
	 * `{ index, success }` with no ID anywhere (`none`).
	 */
	batchRecords: 'whole' | 'id' | 'idBeside' | 'bareId' | 'none';
	/** Where an entity batch's results sit: `data.results` beside `data.summary` (`results`, default) or `data` itself (`array`). */
	batchResults: 'results' | 'array';
	/** An entity batch's results as sent (`sent`, default) or `reversed`, each then carrying its `index`. */
	batchOrder: 'sent' | 'reversed';
	/**
	 * How users are answered: camelCase with Bitrix24's upper-case twins and string IDs (`twins`, default), the users
	 * page's camelCase only with numeric IDs (`camel`), or upper case only (`upper`).
	 */
	usersShape: 'twins' | 'camel' | 'upper';
	/** GET /v1/users/:id answers the user (`object`, default) or a one-entry list (`array`). */
	userGet: 'object' | 'array';
}

/** The six CRM entity types the sandbox serves. */
export type EntityType = 'deal' | 'lead' | 'contact' | 'company' | 'quote' | 'invoice';

/** Bitrix24's field types, as GET /v1/{entity}/fields names them. */
export type FieldType =
	| 'integer'
	| 'double'
	| 'money'
	| 'string'
	| 'char'
	| 'boolean'
	| 'date'
	| 'datetime'
	| 'enumeration'
	| 'crm_status'
	| 'crm_category'
	| 'user'
	| 'crm_multifield'
	| 'crm_currency'
	| 'crm_company'
	| 'crm_contact'
	| 'crm_deal'
	| 'crm_lead'
	| 'url'
	| 'employee'
	| 'address'
	| 'crm';

/** One field of GET /v1/{entity}/fields. */
export interface FieldDefinition {
	type: FieldType;
	isRequired: boolean;
	isReadOnly: boolean;
	isMultiple: boolean;
	title: string;
	/** A crm_status field's /v1/statuses list (a deal's stages: DEAL_STAGE for pipeline 0, DEAL_STAGE_{n} otherwise). */
	statusType?: string;
	/** An enumeration's choices: the ID stored, the label shown. */
	items?: Array<{ ID: string; VALUE: string }>;
}

/** GET /v1/{entity}/fields. */
export interface FieldsAnswer {
	success: true;
	data: { fields: Record<string, FieldDefinition> };
}

/** One entry of a phone, email or website list, as stored and answered. */
export interface MultiFieldEntry {
	id: number;
	value: string;
	/** WORK unless given: WORK, HOME, MOBILE, OTHER… */
	typeId: string;
}

/**
 * What a phone, email or website list may be given as on create and update: a string, an array of strings, or an
 * array of `{ value, typeId | valueType }` (with `id` on update to change that entry; with `id` and an empty
 * `value` to remove it).
 */
export type MultiFieldInput =
	| string
	| Array<string | { id?: number; value: string; typeId?: string; valueType?: string }>;

export type CrmRecord = Record<string, unknown> & { id: number };

/** A task as the tasks family stores it (camelCase). */
export type TaskRecord = Record<string, unknown> & { id: number; title: string; status: number; responsibleId: number; createdBy: number };

/** A comment or chat message of a task, as stored: the chat answers `message` as `text`. */
export interface TaskMessage {
	id: number;
	taskId: number;
	/** 0 for a system message. */
	authorId: number;
	message: string;
	createdAt: string;
	isSystem: boolean;
}

/** What `sandbox.store('tasks')` (GET /__sandbox/store/tasks) gives. */
export interface TasksStore {
	tasks: TaskRecord[];
	comments: TaskMessage[];
}

export interface Sandbox {
	url: string;
	keys: typeof KEYS;
	portal: string;
	journal: Fire[];
	/** `ms`: from the request's arrival to its answer (the configured latency included). */
	requests: Array<{ method: string; path: string; status: number | string; at: number; ms?: number }>;
	faults: Fault[];
	config: SandboxConfig;
	start(port?: number, host?: string): Promise<Sandbox>;
	stop(): Promise<void>;
	reset(): Sandbox;
	/** Family options (test/sandbox/families/) are checked at run time against their `options` values. */
	configure(changes: Partial<SandboxConfig> & Record<string, unknown>): Sandbox;
	/** What a family (test/sandbox/families/) stores, by its name: the same as GET /__sandbox/store/{name}. */
	store<T = Record<string, unknown>>(name: string): T;
	addFault(fault: Fault): Sandbox;
	/**
	 * Adds a record as given, unchecked (phone, email and website lists put in shape), created and updated at `at`.
	 * POST /v1/{entity} checks required fields, types and stages first.
	 */
	createRecord(type: string, fields?: Record<string, unknown>, at?: Date): CrmRecord;
	/**
	 * Changes a record as given, unchecked (phone, email and website lists merge as on PATCH); its update time
	 * becomes `at`. Undefined when there is none.
	 */
	updateRecord(type: string, id: number | string, changes?: Record<string, unknown>, at?: Date): CrmRecord | undefined;
	seedRecords(type: string, count: number, make?: (i: number) => Record<string, unknown>): void;
	/** Every stored record of a type. */
	recordsOf(type: string): CrmRecord[];
	/** Every stored record of an Other Entity path (`tasks`, `departments`), in camelCase as stored. */
	othersOf(path: string): Array<Record<string, unknown>>;
	/** Tasks (families/tasks.js): adds a task as given, unchecked (priority 1, status 2, the key's user as creator and responsible unless given). */
	createTask(fields?: Record<string, unknown>): TaskRecord;
	/** Tasks: adds a comment to a task's discussion as given, unchecked (`isSystem`: a system message of its chat). */
	addTaskComment(taskId: number | string, fields?: Partial<Omit<TaskMessage, 'id' | 'taskId'>>): TaskMessage;
	/** Adds `count` active users with IDs from 1001 (camelCase fields from `make(i)`), for paging. */
	seedUsers(count: number, make?: (i: number) => Record<string, unknown>): void;
	setTriggers(list: Array<Record<string, unknown>>, app?: string): void;
	fires(): number;
}

export declare const KEYS: {
	personal: string;
	app: string;
	session: string;
	expiredSession: string;
	otherAppSession: string;
	noCrm: string;
	readonly: string;
	revoked: string;
	management: string;
	emptyApp: string;
	emptySession: string;
	expiringSoon: string;
};
export declare const PORTAL: string;
export declare const DEFAULT_TRIGGERS: Array<{ NAME: string; CODE: string }>;
/** Every entity's field table, as GET /v1/{entity}/fields answers it. */
export declare const FIELDS: Record<EntityType, Record<string, FieldDefinition>>;
/** The Bitrix24 user every sandbox key acts as (a new record's creator and default responsible). */
export declare const KEY_USER: number;
export declare function createSandbox(options?: Partial<SandboxConfig> & Record<string, unknown>): Sandbox;
