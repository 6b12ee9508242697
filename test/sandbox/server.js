'use strict';
/**
 * A local VibeCode sandbox: a real HTTP server on 127.0.0.1 that answers like the API described in
 * docs/vibecode-contract.md (keys of every type, /v1/me, /v1/triggers, /v1/triggers/fire, the six CRM
 * entity APIs, the error envelope, per-key rate limits with Retry-After, latency) and keeps a journal of
 * every fire it accepted; where VibeCode's documentation is silent it decides as that page's section
 * "Assumptions the sandbox makes" says. Faults can be queued to test how clients behave (docs/sandbox.md).
 * Used by tests and the demo; never shipped.
 */
const http = require('node:http');
const crypto = require('node:crypto');

const FAMILIES = require('./families');

const KEYS = {
	personal: 'vibe_api_sandbox_personal',
	app: 'vibe_app_sandbox_application',
	session: 'vibe_session_sandbox_valid',
	expiredSession: 'vibe_session_sandbox_expired',
	otherAppSession: 'vibe_session_sandbox_other_app',
	noCrm: 'vibe_api_sandbox_without_crm',
	readonly: 'vibe_api_sandbox_readonly',
	revoked: 'vibe_api_sandbox_revoked',
	management: 'vibe_live_sandbox_management',
	emptyApp: 'vibe_app_sandbox_no_triggers',
	emptySession: 'vibe_session_sandbox_no_triggers',
	expiringSoon: 'vibe_api_sandbox_expiring_soon',
};

const PORTAL = 'sandbox.bitrix24.com';

const ENTITIES = {
	deal: { path: 'deals', dates: ['createdAt', 'updatedAt'] },
	lead: { path: 'leads', dates: ['createdTime', 'updatedTime'] },
	contact: { path: 'contacts', dates: ['createdTime', 'updatedTime'] },
	company: { path: 'companies', dates: ['createdTime', 'updatedTime'] },
	quote: { path: 'quotes', dates: ['createdAt', 'updatedAt'] },
	invoice: { path: 'invoices', dates: ['createdTime', 'updatedTime'] },
	// Smart-process items (`/v1/items/{entityTypeId}`, the older docs' Items pages), one type each: see SMART_PROCESSES.
	dynamic_1038: { path: 'items/1038', dates: ['createdTime', 'updatedTime'] },
	dynamic_1042: { path: 'items/1042', dates: ['createdTime', 'updatedTime'] },
};
const ENTITY_BY_PATH = Object.fromEntries(Object.entries(ENTITIES).map(([type, { path }]) => [path, type]));

const DEFAULT_TRIGGERS = [
	{ NAME: 'Payment received', CODE: 'payment_received' },
	{ NAME: 'Delivery confirmed', CODE: 'delivery_confirmed' },
	{ NAME: 'Contract signed', CODE: 'contract_signed' },
	{ NAME: 'Form submitted', CODE: 'form_submitted' },
];

/**
 * Every entity's fields, as GET /v1/{entity}/fields describes them (docs/vibecode-contract.md, "CRM records"); create,
 * update, filters and sorts are checked against this table. A row is [name, type, flags, title, extra]: flags `R`
 * required, `O` read-only, `M` multiple; `extra` holds a crm_status field's `statusType` or an enumeration's `items`.
 * Types are Bitrix24's. A deal's stage list depends on its pipeline (`DEAL_STAGE` for pipeline 0, `DEAL_STAGE_{n}`
 * otherwise); the statusType shown is the default pipeline's, as Bitrix24 shows it.
 * `movedTime` (deals, leads, invoices): the time of the record's last stage (a lead's: status) move, set at creation
 * and at each move, as Bitrix24 keeps it (`movedTime` of crm.item, `MOVED_TIME` of crm.lead); quotes have none. It is
 * not on VibeCode's pages (docs/vibecode-contract.md, "Stage moves"): `movedTime: false` runs a portal that does not
 * pass it on, the field then neither listed nor answered.
 */
const DELIVERY_TYPES = [{ ID: '41', VALUE: 'Courier' }, { ID: '42', VALUE: 'Pickup' }, { ID: '43', VALUE: 'Post' }];
const CHANNELS = [{ ID: '51', VALUE: 'Email' }, { ID: '52', VALUE: 'Phone' }, { ID: '53', VALUE: 'Messenger' }];
/**
 * A deal's custom fields of every Bitrix24 user-field type. A write through the API stores them as Bitrix24 does,
 * not as given (see `storeAsBitrix24`), so that a client comparing what it sent with the answer meets what a real
 * portal answers; the older custom fields above keep the sandbox's plain storage, which other suites compare.
 */
const DEAL_USER_FIELDS = [
	['UF_CRM_PRIORITY', 'integer', '', 'Priority'],
	['UF_CRM_DISCOUNT', 'double', '', 'Discount, %'],
	['UF_CRM_BUDGET', 'money', '', 'Budget'],
	['UF_CRM_VIP', 'boolean', '', 'VIP client'],
	['UF_CRM_DUE_DATE', 'date', '', 'Due date'],
	['UF_CRM_CALL_AT', 'datetime', '', 'Call scheduled at'],
	['UF_CRM_CHANNELS', 'enumeration', 'M', 'Contact channels', { items: CHANNELS }],
	['UF_CRM_TAGS', 'string', 'M', 'Tags'],
	['UF_CRM_SITE', 'url', '', 'Website'],
	['UF_CRM_MANAGER', 'employee', '', 'Account manager'],
	['UF_CRM_ADDRESS', 'address', '', 'Delivery address'],
	['UF_CRM_RELATED', 'crm', '', 'Related CRM record'],
];
const FIELD_TABLE = {
	deal: [
		['id', 'integer', 'O', 'ID'],
		['title', 'string', 'R', 'Deal name'],
		['amount', 'double', '', 'Amount'],
		['currency', 'crm_currency', '', 'Currency'],
		['categoryId', 'crm_category', '', 'Pipeline'],
		['stageId', 'crm_status', '', 'Stage', { statusType: 'DEAL_STAGE' }],
		['probability', 'integer', '', 'Probability, %'],
		['companyId', 'crm_company', '', 'Company'],
		['contactId', 'crm_contact', '', 'Contact'],
		['contactIds', 'crm_contact', 'OM', 'Contacts'],
		['assignedById', 'user', '', 'Responsible person'],
		['observers', 'user', 'M', 'Observers'],
		['sourceId', 'crm_status', '', 'Source', { statusType: 'SOURCE' }],
		['sourceDescription', 'string', '', 'Source information'],
		['opened', 'boolean', '', 'Available to everyone'],
		['closedAt', 'date', '', 'Expected close date'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdAt', 'datetime', 'O', 'Created on'],
		['updatedAt', 'datetime', 'O', 'Modified on'],
		['movedTime', 'datetime', 'O', 'Moved on'],
		['UF_CRM_ORDER_NUMBER', 'string', '', 'Order number'],
		['UF_CRM_DELIVERY_TYPE', 'enumeration', '', 'Delivery type', { items: DELIVERY_TYPES }],
		...DEAL_USER_FIELDS,
	],
	lead: [
		['id', 'integer', 'O', 'ID'],
		['title', 'string', '', 'Lead name'],
		['name', 'string', '', 'First name'],
		['secondName', 'string', '', 'Middle name'],
		['lastName', 'string', '', 'Last name'],
		['post', 'string', '', 'Position'],
		['companyTitle', 'string', '', 'Company name'],
		['statusId', 'crm_status', '', 'Status', { statusType: 'STATUS' }],
		['sourceId', 'crm_status', '', 'Source', { statusType: 'SOURCE' }],
		['sourceDescription', 'string', '', 'Source information'],
		['amount', 'double', '', 'Amount'],
		['currency', 'crm_currency', '', 'Currency'],
		['phone', 'crm_multifield', 'M', 'Phone'],
		['email', 'crm_multifield', 'M', 'Email'],
		['companyId', 'crm_company', '', 'Company'],
		['contactId', 'crm_contact', '', 'Contact'],
		['assignedById', 'user', '', 'Responsible person'],
		['opened', 'char', '', 'Available to everyone'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdTime', 'datetime', 'O', 'Created on'],
		['updatedTime', 'datetime', 'O', 'Modified on'],
		['movedTime', 'datetime', 'O', 'Moved on'],
		['UF_CRM_CAMPAIGN', 'string', '', 'Ad campaign'],
	],
	contact: [
		['id', 'integer', 'O', 'ID'],
		['name', 'string', 'R', 'First name'],
		['secondName', 'string', '', 'Middle name'],
		['lastName', 'string', '', 'Last name'],
		['post', 'string', '', 'Position'],
		['birthdate', 'date', '', 'Date of birth'],
		['phone', 'crm_multifield', 'M', 'Phone'],
		['email', 'crm_multifield', 'M', 'Email'],
		['companyId', 'crm_company', '', 'Company'],
		['leadId', 'crm_lead', '', 'Lead'],
		['sourceId', 'crm_status', '', 'Source', { statusType: 'SOURCE' }],
		['sourceDescription', 'string', '', 'Source information'],
		['assignedById', 'user', '', 'Responsible person'],
		['opened', 'char', '', 'Available to everyone'],
		['export', 'char', '', 'Included in export'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdTime', 'datetime', 'O', 'Created on'],
		['updatedTime', 'datetime', 'O', 'Modified on'],
		['UF_CRM_LOYALTY_CARD', 'string', '', 'Loyalty card number'],
	],
	company: [
		['id', 'integer', 'O', 'ID'],
		['title', 'string', 'R', 'Company name'],
		['companyType', 'crm_status', '', 'Company type', { statusType: 'COMPANY_TYPE' }],
		['industry', 'crm_status', '', 'Industry', { statusType: 'INDUSTRY' }],
		['revenue', 'double', '', 'Annual revenue'],
		['currencyId', 'crm_currency', '', 'Currency'],
		['phone', 'crm_multifield', 'M', 'Phone'],
		['email', 'crm_multifield', 'M', 'Email'],
		['web', 'crm_multifield', 'M', 'Website'],
		['leadId', 'crm_lead', '', 'Lead'],
		['sourceId', 'crm_status', '', 'Source', { statusType: 'SOURCE' }],
		['sourceDescription', 'string', '', 'Source information'],
		['assignedById', 'user', '', 'Responsible person'],
		['opened', 'char', '', 'Available to everyone'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdTime', 'datetime', 'O', 'Created on'],
		['updatedTime', 'datetime', 'O', 'Modified on'],
		['UF_CRM_TAX_ID', 'string', '', 'Tax ID'],
	],
	quote: [
		['id', 'integer', 'O', 'ID'],
		['title', 'string', 'R', 'Quote name'],
		['amount', 'double', '', 'Amount'],
		['currency', 'crm_currency', '', 'Currency'],
		['stageId', 'crm_status', '', 'Status', { statusType: 'QUOTE_STATUS' }],
		['dealId', 'crm_deal', '', 'Deal'],
		['contactId', 'crm_contact', '', 'Contact'],
		['companyId', 'crm_company', '', 'Company'],
		['assignedById', 'user', '', 'Responsible person'],
		['opened', 'char', '', 'Available to everyone'],
		['beginDate', 'date', '', 'Date'],
		['closeDate', 'date', '', 'Valid until'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdAt', 'datetime', 'O', 'Created on'],
		['updatedAt', 'datetime', 'O', 'Modified on'],
		['UF_CRM_PROJECT_CODE', 'string', '', 'Project code'],
	],
	invoice: [
		['id', 'integer', 'O', 'ID'],
		['title', 'string', 'R', 'Invoice name'],
		['categoryId', 'crm_category', '', 'Pipeline'],
		['stageId', 'crm_status', '', 'Stage', { statusType: 'SMART_INVOICE_STAGE_2' }],
		['opportunity', 'double', '', 'Amount'],
		['currencyId', 'crm_currency', '', 'Currency'],
		['contactId', 'crm_contact', '', 'Contact'],
		['companyId', 'crm_company', '', 'Company'],
		['mycompanyId', 'crm_company', '', 'Your company details'],
		['assignedById', 'user', '', 'Responsible person'],
		['opened', 'boolean', '', 'Available to everyone'],
		['comments', 'string', '', 'Comment'],
		['createdBy', 'user', 'O', 'Created by'],
		['updatedBy', 'user', 'O', 'Modified by'],
		['createdTime', 'datetime', 'O', 'Created on'],
		['updatedTime', 'datetime', 'O', 'Modified on'],
		['movedTime', 'datetime', 'O', 'Moved on'],
		['UF_CRM_SMART_INVOICE_PO_NUMBER', 'string', '', 'Customer PO number'],
	],
};
/**
 * The smart processes (`GET /v1/smart-processes`, its current list page: every type in one array, `entityTypeId` the
 * number the items' paths take, `id` another number) and their pipelines (`GET /v1/categories/{entityTypeId}`, only
 * referenced by the older docs: rows of `{ id, name, sort, entityTypeId, isDefault }` as Bitrix24's crm.category.list
 * gives them, inferred). The default pipeline is not 0: a smart process's first pipeline gets an ID of its own.
 */
const SMART_PROCESSES = [
	{ id: 3, entityTypeId: 1038, title: 'Orders', code: 'orders', isCategoriesEnabled: true, isStagesEnabled: true, isClientEnabled: true, isLinkWithProductsEnabled: true, createdTime: '2026-10-01T09:00:00+03:00', updatedTime: '2026-10-01T09:00:00+03:00' },
	{ id: 5, entityTypeId: 1042, title: 'Service requests', code: '', isCategoriesEnabled: false, isStagesEnabled: true, isClientEnabled: false, isLinkWithProductsEnabled: false, createdTime: '2026-10-02T09:00:00+03:00', updatedTime: '2026-10-02T09:00:00+03:00' },
];
const SMART_PROCESS_CATEGORIES = {
	1038: [
		{ id: 7, name: 'Retail', sort: 100, entityTypeId: 1038, isDefault: true },
		{ id: 9, name: 'Wholesale', sort: 200, entityTypeId: 1038, isDefault: false },
	],
	1042: [{ id: 11, name: 'Requests', sort: 100, entityTypeId: 1042, isDefault: true }],
};
/** The entityTypeId of a `dynamic_{n}` type; undefined for the six CRM types. */
const dynamicId = (type) => (/^dynamic_(\d+)$/.exec(type) ? Number(type.slice(8)) : undefined);
const defaultCategory = (entityTypeId) => SMART_PROCESS_CATEGORIES[entityTypeId]?.find((category) => category.isDefault)?.id;
/** A smart-process item's fields (the older docs' Items: Create), with one user field of the type's own. */
const itemFields = (entityTypeId, extra) => [
	['id', 'integer', 'O', 'ID'],
	['title', 'string', '', 'Name'],
	['xmlId', 'string', '', 'External ID'],
	['categoryId', 'crm_category', '', 'Pipeline'],
	['stageId', 'crm_status', '', 'Stage', { statusType: `DYNAMIC_${entityTypeId}_STAGE_${defaultCategory(entityTypeId)}` }],
	['opportunity', 'double', '', 'Amount'],
	['currencyId', 'crm_currency', '', 'Currency'],
	['contactId', 'crm_contact', '', 'Contact'],
	['companyId', 'crm_company', '', 'Company'],
	['assignedById', 'user', '', 'Responsible person'],
	['observers', 'user', 'M', 'Observers'],
	['begindate', 'date', '', 'Start date'],
	['closedate', 'date', '', 'End date'],
	['parentId2', 'crm_deal', '', 'Deal'],
	['createdBy', 'user', 'O', 'Created by'],
	['updatedBy', 'user', 'O', 'Modified by'],
	['createdTime', 'datetime', 'O', 'Created on'],
	['updatedTime', 'datetime', 'O', 'Modified on'],
	['movedTime', 'datetime', 'O', 'Moved on'],
	...extra,
];
FIELD_TABLE.dynamic_1038 = itemFields(1038, [['ufCrm3OrderNumber', 'string', '', 'Order number']]);
FIELD_TABLE.dynamic_1042 = itemFields(1042, []);
/** FIELDS[entity][name] → { type, isRequired, isReadOnly, isMultiple, title, statusType?, items? } */
const FIELDS = Object.fromEntries(
	Object.entries(FIELD_TABLE).map(([type, rows]) => [
		type,
		Object.fromEntries(
			rows.map(([name, fieldType, flags, title, extra = {}]) => [
				name,
				{ type: fieldType, isRequired: flags.includes('R'), isReadOnly: flags.includes('O'), isMultiple: flags.includes('M'), title, ...extra },
			]),
		),
	]),
);
/** The field holding a record's stage (or a lead's status), per entity that has one. */
const STAGE_FIELDS = { deal: 'stageId', quote: 'stageId', invoice: 'stageId', lead: 'statusId', dynamic_1038: 'stageId', dynamic_1042: 'stageId' };
/** The fields a write stores as Bitrix24 does, per entity. */
const STORED_AS_BITRIX24 = { deal: new Set(DEAL_USER_FIELDS.map(([name]) => name)) };

const SEED = {
	deal: [
		{ id: 5141, title: 'Website redesign', amount: 12000, currency: 'USD', categoryId: 0, stageId: 'NEW', assignedById: 1, UF_CRM_ORDER_NUMBER: 'ORD-1001' },
		{ id: 5142, title: 'Annual support contract', amount: 4800, currency: 'USD', categoryId: 0, stageId: 'PREPARATION', assignedById: 1, UF_CRM_ORDER_NUMBER: 'ORD-1002' },
		{ id: 5143, title: 'Office chairs for Globex', amount: 2300, currency: 'EUR', categoryId: 0, stageId: 'EXECUTING', assignedById: 1 },
	],
	lead: [
		{ id: 101, title: 'Inbound call', name: 'Anna', lastName: 'Smirnova', statusId: 'NEW', phone: '+15550100101', email: 'anna.smirnova@mail.example' },
		{ id: 102, title: 'Web form: pricing', name: 'Oleg', lastName: 'Volkov', statusId: 'IN_PROCESS', phone: '+15550100102', email: 'Oleg.Volkov@mail.example' },
	],
	contact: [
		{ id: 201, name: 'Ivan', lastName: 'Petrov', post: 'Buyer', phone: [{ value: '+15550100201', typeId: 'WORK' }, { value: '+15550100299', typeId: 'MOBILE' }], email: 'ivan.petrov@acme.example' },
		{ id: 202, name: 'Maria', lastName: 'Ivanova', post: 'CFO', phone: '+15550100202', email: [{ value: 'maria.ivanova@globex.example', typeId: 'WORK' }, { value: 'maria@home.example', typeId: 'HOME' }] },
	],
	company: [
		{ id: 301, title: 'Acme LLC', industry: 'IT', web: 'https://acme.example' },
		{ id: 302, title: 'Globex Corporation', industry: 'MANUFACTURING' },
	],
	quote: [{ id: 401, title: 'Quote for Acme: redesign', amount: 12000, stageId: 'DRAFT' }],
	invoice: [{ id: 501, title: 'Invoice 501 for Globex', opportunity: 2300, categoryId: 2, stageId: 'DT31_2:N' }],
	dynamic_1038: [{ id: 1, title: 'Order A-1001', categoryId: 7, stageId: 'DT1038_7:NEW', opportunity: 4800, currencyId: 'USD', assignedById: 7, parentId2: 5142, ufCrm3OrderNumber: 'A-1001' }],
	dynamic_1042: [{ id: 1, title: 'Broken office chair', categoryId: 11, stageId: 'DT1042_11:NEW', assignedById: 1 }],
};

/** Pipelines, stage/status lists and users (docs/vibecode-contract.md, "Pipelines, stages and users"). */
const DEAL_CATEGORIES = [
	{ id: 0, name: 'General', sort: 100, isDefault: 'Y' },
	{ id: 1, name: 'Wholesale', sort: 200, isDefault: 'N' },
];
const stages = (entityId, categoryId, list) =>
	list.map(([statusId, name], index) => ({ id: 0, entityId, statusId, name, sort: (index + 1) * 10, categoryId }));
const STATUSES = [
	...stages('DEAL_STAGE', 0, [['NEW', 'New'], ['PREPARATION', 'Preparing documents'], ['EXECUTING', 'In progress'], ['WON', 'Deal won'], ['LOSE', 'Deal lost']]),
	...stages('DEAL_STAGE_1', 1, [['C1:NEW', 'New'], ['C1:NEGOTIATION', 'Negotiation'], ['C1:WON', 'Won'], ['C1:LOSE', 'Lost']]),
	...stages('STATUS', null, [['NEW', 'Unassigned'], ['IN_PROCESS', 'In progress'], ['CONVERTED', 'Good lead'], ['JUNK', 'Junk lead']]),
	...stages('QUOTE_STATUS', null, [['DRAFT', 'New'], ['SENT', 'Sent to client'], ['APPROVED', 'Approved'], ['DECLAINED', 'Declined']]),
	...stages('SMART_INVOICE_STAGE_2', 2, [['DT31_2:N', 'New'], ['DT31_2:S', 'Sent'], ['DT31_2:P', 'Paid'], ['DT31_2:D', 'Not paid']]),
	...stages('DYNAMIC_1038_STAGE_7', 7, [['DT1038_7:NEW', 'New order'], ['DT1038_7:PREPARATION', 'Packing'], ['DT1038_7:CLIENT', 'Shipped'], ['DT1038_7:SUCCESS', 'Delivered'], ['DT1038_7:FAIL', 'Cancelled']]),
	...stages('DYNAMIC_1038_STAGE_9', 9, [['DT1038_9:NEW', 'New'], ['DT1038_9:SUCCESS', 'Fulfilled'], ['DT1038_9:FAIL', 'Cancelled']]),
	...stages('DYNAMIC_1042_STAGE_11', 11, [['DT1042_11:NEW', 'New'], ['DT1042_11:SUCCESS', 'Resolved'], ['DT1042_11:FAIL', 'Rejected']]),
	...stages('SOURCE', null, [['CALL', 'Call'], ['WEB', 'Website']]),
	...stages('COMPANY_TYPE', null, [['CUSTOMER', 'Client'], ['SUPPLIER', 'Supplier'], ['PARTNER', 'Partner'], ['OTHER', 'Other']]),
	...stages('INDUSTRY', null, [['IT', 'Information Technology'], ['TELECOM', 'Telecommunication'], ['MANUFACTURING', 'Manufacturing'], ['BANKING', 'Banking Services'], ['OTHER', 'Other']]),
].map((status, index) => ({ ...status, id: index + 1 }));
/**
 * Portal users, by the API names of VibeCode's users page (docs/vibecode-contract.md, "Users"), each with the Bitrix24
 * name it is converted from; `secondName` (SECOND_NAME) is one of the Bitrix24 fields the page does not list. How
 * they are answered (camelCase, upper case or both) is the `usersShape` option.
 */
const USER_FIELDS = {
	id: ['ID', { type: 'integer' }],
	name: ['NAME', { type: 'string' }],
	lastName: ['LAST_NAME', { type: 'string' }],
	email: ['EMAIL', { type: 'string' }],
	active: ['ACTIVE', { type: 'boolean' }],
	workPosition: ['WORK_POSITION', { type: 'string' }],
	departmentId: ['UF_DEPARTMENT', { type: 'integer', isMultiple: true }],
	personalPhone: ['PERSONAL_PHONE', { type: 'string' }],
	personalPhoto: ['PERSONAL_PHOTO', { type: 'string' }],
	isAdmin: ['IS_ADMIN', { type: 'boolean', isReadOnly: true }],
	lastLogin: ['LAST_LOGIN', { type: 'datetime', isReadOnly: true }],
};
const USER_TABLE = Object.fromEntries(Object.entries(USER_FIELDS).map(([name, [, field]]) => [name, field]));
const USERS = [
	{ id: 1, name: 'Sandbox', lastName: 'Owner', secondName: '', email: 'owner@sandbox.example', active: true, workPosition: 'Director', departmentId: [1], personalPhone: '', personalPhoto: '', isAdmin: true, lastLogin: '2026-11-01T08:30:00+00:00' },
	{ id: 7, name: 'Olga', lastName: 'Sales', secondName: 'Petrovna', email: 'olga@sandbox.example', active: true, workPosition: 'Sales manager', departmentId: [5], personalPhone: '+49 30 1234567', personalPhoto: '', isAdmin: false, lastLogin: '2026-11-01T07:55:00+00:00' },
	{ id: 9, name: 'Former', lastName: 'Employee', secondName: '', email: 'former@sandbox.example', active: false, workPosition: 'Sales manager', departmentId: [5], personalPhone: '', personalPhoto: '', isAdmin: false, lastLogin: '2025-03-14T16:00:00+00:00' },
];

/**
 * Entities beyond the CRM records that `server.js` serves itself for the Other Entity resource
 * (docs/vibecode-contract.md, "Other entities"); tasks are a family of their own (families/tasks.js):
 * - `departments`, which has no `/fields` (`GET /v1/departments/fields` is `404 NOT_FOUND`, as for any route that is
 *   not there) and answers in Bitrix24's UPPER_CASE with the ID as text, as the older docs say the legacy entities
 *   do; the `department` scope.
 * A row of `fields` is [name, type, flags, title]: flags `R` required, `O` read-only, `C` set on create only. It
 * drops a field it does not have, filters and sorts only on its fields (else `400 INVALID_FILTER_FIELD` /
 * `UNKNOWN_SORT_FIELD`) and has no batch calls (`POST /v1/{e}/batch` is `404 NOT_FOUND`).
 */
const OTHER_ENTITIES = {
	departments: {
		scopes: ['department'],
		listsFields: false,
		upper: true,
		method: 'department',
		times: [],
		defaults: {},
		fields: [
			['id', 'integer', 'O', 'ID'],
			['name', 'string', 'R', 'Name'],
			['parent', 'integer', '', 'Parent department'],
			['sort', 'integer', '', 'Sort'],
		],
		seed: [{ id: 1, name: 'Sandbox Inc.', sort: 100 }, { id: 5, name: 'Sales', parent: 1, sort: 200 }],
	},
};
/** "responsibleId" → "RESPONSIBLE_ID": Bitrix24's name of a field. */
const upperName = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
/** OTHER_FIELDS[path][name] → { type, isRequired, isReadOnly, isMultiple, title, createOnly } */
const OTHER_FIELDS = Object.fromEntries(
	Object.entries(OTHER_ENTITIES).map(([path, { fields }]) => [
		path,
		Object.fromEntries(fields.map(([name, type, flags, title]) => [name, { type, isRequired: flags.includes('R'), isReadOnly: flags.includes('O'), isMultiple: false, title, createOnly: flags.includes('C') }])),
	]),
);

function keyTable() {
	return {
		[KEYS.personal]: { type: 'personal', scopes: ['crm', 'task', 'user', 'department', 'im'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.app]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-1' },
		[KEYS.emptyApp]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-2' },
		[KEYS.noCrm]: { type: 'personal', scopes: ['task'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.readonly]: { type: 'personal', scopes: ['crm', 'im'], status: 'ACTIVE', accessMode: 'READONLY' },
		[KEYS.revoked]: { type: 'personal', scopes: ['crm'], status: 'REVOKED', accessMode: 'READWRITE' },
		// Expires three days after the sandbox (re)starts: the connection test warns about keys expiring within 7 days.
		[KEYS.expiringSoon]: { type: 'personal', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
		[KEYS.management]: { type: 'management', scopes: ['vibe:mgmt:keys'], status: 'ACTIVE', accessMode: 'READWRITE' },
	};
}

function sessionTable() {
	return {
		[KEYS.session]: { app: 'app-1', expired: false },
		[KEYS.expiredSession]: { app: 'app-1', expired: true },
		[KEYS.otherAppSession]: { app: 'app-9', expired: false },
		[KEYS.emptySession]: { app: 'app-2', expired: false },
	};
}

class HttpError extends Error {
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.extra = extra;
	}
}

/** The user every sandbox key acts as: Bitrix24 makes it a new record's creator and, unless told, its responsible. */
const KEY_USER = 1;

/** Field types whose values are whole numbers (IDs included) or any number. */
const WHOLE_TYPES = ['integer', 'user', 'employee', 'crm_company', 'crm_contact', 'crm_category', 'crm_deal', 'crm_lead', 'crm_quote'];
const NUMBER_TYPES = ['double', 'money'];
const YES = [true, 'Y', 'y', 'true', 1, '1'];
const NO = [false, 'N', 'n', 'false', 0, '0'];

/** Filter operators in their three spellings (`$gte`, a `>=` prefix, a nested `>=` key) → the operator. */
const OPERATORS = {
	$eq: '$eq', '=': '$eq',
	$ne: '$ne', '!': '$ne', '!=': '$ne',
	$gt: '$gt', '>': '$gt',
	$gte: '$gte', '>=': '$gte',
	$lt: '$lt', '<': '$lt',
	$lte: '$lte', '<=': '$lte',
	$in: '$in',
	$contains: '$contains', '%': '$contains',
};

/**
 * Where an entity keeps its stage (a lead its status) and the /v1/statuses list the value must come from: a deal's
 * depends on its pipeline (0 → DEAL_STAGE, n → DEAL_STAGE_n), an invoice's on its category (2 by default).
 */
function stageRule(type, record) {
	if (type === 'deal') {
		const category = Number(record.categoryId ?? 0);
		return { field: 'stageId', list: category === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${category}`, label: 'Stage' };
	}
	if (type === 'lead') return { field: 'statusId', list: 'STATUS', label: 'Status' };
	if (type === 'quote') return { field: 'stageId', list: 'QUOTE_STATUS', label: 'Status' };
	if (type === 'invoice') return { field: 'stageId', list: `SMART_INVOICE_STAGE_${record.categoryId ?? 2}`, label: 'Stage' };
	const dynamic = dynamicId(type);
	if (dynamic !== undefined) return { field: 'stageId', list: `DYNAMIC_${dynamic}_STAGE_${record.categoryId ?? defaultCategory(dynamic)}`, label: 'Stage' };
	return undefined;
}
const stagesOf = (list) => STATUSES.filter((status) => status.entityId === list).map((status) => status.statusId);

/** A stage, status or pipeline Bitrix24 does not have: refused with BITRIX_ERROR, as Bitrix24 refuses it. */
function checkStage(type, record) {
	const rule = stageRule(type, record);
	if (!rule) return;
	if (type === 'deal' && !DEAL_CATEGORIES.some((category) => category.id === Number(record.categoryId ?? 0))) {
		throw new HttpError(422, 'BITRIX_ERROR', `Pipeline ${record.categoryId} does not exist`);
	}
	const dynamic = dynamicId(type);
	if (dynamic !== undefined && !SMART_PROCESS_CATEGORIES[dynamic].some((category) => category.id === Number(record.categoryId ?? defaultCategory(dynamic)))) {
		throw new HttpError(422, 'BITRIX_ERROR', `Pipeline ${record.categoryId} does not exist`);
	}
	const known = stagesOf(rule.list);
	if (type === 'invoice' && known.length === 0) throw new HttpError(422, 'BITRIX_ERROR', `Invoice pipeline ${record.categoryId} does not exist`);
	const value = record[rule.field];
	if (value === undefined || value === null || value === '') return;
	if (!known.includes(String(value))) {
		throw new HttpError(422, 'BITRIX_ERROR', `${rule.label} "${value}" does not exist in ${rule.list}; known: ${known.join(', ')}`);
	}
}

const kindOf = (value) => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * A value given for a field, stored with the field's type (numbers as numbers, `char` as 'Y'/'N', `boolean` as
 * true/false, an enumeration as its item's ID). A value that does not fit adds a VibeCode-style issue
 * ("fields.amount: Expected number, received \"abc\"") and gives undefined.
 */
function coerce(name, field, value, issues) {
	if (value === null) return null;
	if (field.isMultiple) return (Array.isArray(value) ? value : [value]).map((entry) => coerce(name, { ...field, isMultiple: false }, entry, issues));
	const fail = (expected) => {
		issues.push(`fields.${name}: Expected ${expected}, received ${kindOf(value)}`);
		return undefined;
	};
	const { type } = field;
	if (value === '' && type !== 'string') return null;
	if (WHOLE_TYPES.includes(type) || NUMBER_TYPES.includes(type)) {
		const whole = WHOLE_TYPES.includes(type);
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
		if (!Number.isFinite(number) || (whole && !Number.isInteger(number))) return fail(whole ? 'integer' : 'number');
		return number;
	}
	if (type === 'char' || type === 'boolean') {
		const yes = YES.includes(value);
		if (!yes && !NO.includes(value)) return fail(type === 'char' ? '"Y" or "N"' : 'boolean');
		return type === 'char' ? (yes ? 'Y' : 'N') : yes;
	}
	if (type === 'date' || type === 'datetime') {
		if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return fail('ISO 8601 date');
		return value;
	}
	if (type === 'enumeration') {
		const item = field.items.find(({ ID }) => ID === String(value));
		if (!item) return fail(`one of ${field.items.map(({ ID, VALUE }) => `${ID} (${VALUE})`).join(', ')}`);
		return item.ID;
	}
	if (typeof value === 'string' || typeof value === 'number') return String(value);
	return fail('string');
}

/**
 * The portal's time zone and currency, which Bitrix24 applies to what it stores: dates are answered in the portal's
 * time zone, and a money amount without a currency gets the portal's.
 */
const PORTAL_OFFSET = '+03:00';
const PORTAL_OFFSET_MS = 3 * 3_600_000;
const PORTAL_CURRENCY = 'USD';
/** A money value as Bitrix24 answers it ("150.50|EUR"): compared and sorted by its amount. */
const MONEY = /^-?\d+(?:\.\d+)?\|[A-Z]{3}$/;
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * An ISO 8601 date or date-time as its instant (ms); NaN when it is not one. Without an offset it is portal time
 * (a bare date its midnight there), as Bitrix24 reads it.
 */
function portalInstant(value) {
	const match = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d\d:?\d\d)?)?$/i.exec(value.trim());
	if (!match) return NaN;
	const [, year, month, day, time = '00:00:00', zone = PORTAL_OFFSET] = match;
	// Date.parse rolls 2026-02-30 over into March; Bitrix24 refuses such a date.
	const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return NaN;
	const offset = /^z$/i.test(zone) ? 'Z' : zone.replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
	return Date.parse(`${year}-${month}-${day}T${time}${offset}`);
}

/** An instant as Bitrix24 answers a date-time: portal time, whole seconds, with the offset ("…T17:00:00+03:00"). */
const portalTime = (ms) => `${new Date(ms + PORTAL_OFFSET_MS).toISOString().slice(0, 19)}${PORTAL_OFFSET}`;

/**
 * A value given for one of the deal's user fields (DEAL_USER_FIELDS), stored as Bitrix24 stores it, which is not
 * always as it was sent: money as "amount|currency" (the portal's currency unless given), a boolean as 1 or 0, a
 * date as its portal-time midnight, a date-time in portal time without milliseconds, a multiple enumeration as
 * numeric item IDs, an address as "text|lat;lng" with empty coordinates, an employee as a number. Empty entries of a
 * multiple field are left out, as Bitrix24 leaves them. Problems are issues, as in `coerce`.
 */
function storeAsBitrix24(name, field, value, issues) {
	if (field.isMultiple) {
		const entries = value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
		return entries
			.filter((entry) => entry !== null && entry !== undefined && entry !== '')
			.map((entry) => storeAsBitrix24(name, { ...field, isMultiple: false }, entry, issues));
	}
	const fail = (expected) => {
		issues.push(`fields.${name}: Expected ${expected}, received ${kindOf(value)}`);
		return undefined;
	};
	if (value === null || (value === '' && field.type !== 'string' && field.type !== 'url' && field.type !== 'crm')) return null;
	switch (field.type) {
		case 'money': {
			const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
			const [, amount, currency = PORTAL_CURRENCY] = /^([^|]+?)\s*(?:\|\s*([A-Za-z]{3}))?$/.exec(text) ?? [];
			const number = amount === undefined ? NaN : Number(amount);
			if (!Number.isFinite(number)) return fail('a number or "amount|currency"');
			// The amount keeps its decimals as written ("150.50"); another spelling of a number ("1e3") is written out.
			return `${/^-?\d+(?:\.\d+)?$/.test(amount) ? amount : String(number)}|${currency.toUpperCase()}`;
		}
		case 'boolean':
			if (YES.includes(value)) return 1;
			if (NO.includes(value)) return 0;
			return fail('boolean');
		case 'date':
		case 'datetime': {
			const ms = typeof value === 'string' ? portalInstant(value) : NaN;
			if (Number.isNaN(ms)) return fail('ISO 8601 date');
			return field.type === 'date' ? `${portalTime(ms).slice(0, 10)}T00:00:00${PORTAL_OFFSET}` : portalTime(ms);
		}
		case 'enumeration': {
			const item = field.items.find(({ ID }) => ID === String(value));
			if (!item) return fail(`one of ${field.items.map(({ ID, VALUE }) => `${ID} (${VALUE})`).join(', ')}`);
			return Number(item.ID);
		}
		case 'address': {
			if (typeof value !== 'string') return fail('string');
			// A value already in Bitrix24's form (read back from a record, say) is kept; plain text gets no coordinates.
			return /\|-?[\d.]*;-?[\d.]*(?:\|\d*)?$/.test(value) ? value : `${value}|;|`;
		}
		default:
			return coerce(name, field, value, issues);
	}
}

const isEmpty = (value) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** How a create or update body carries the fields: see `writableFields`. */
const BODY_SHAPES = ['documented', 'wrapped', 'either'];

/**
 * What `POST /v1/{entity}/batch` answers for each record it wrote. The pages say only "an array of results with a
 * success flag for each element" (docs/vibecode-contract.md, "Batches"), so every shape they leave open can be served:
 * `whole` `{ success: true, data: <the record> }` (default); `id` `{ success: true, data: { id } }`; `idBeside`
 * `{ index, success: true, id }`, no `data`; `bareId` `{ success: true, data: <id> }`. `none` answers
 * `{ index, success: true }` with no ID anywhere: no reading of the pages, but what a client must survive (the
 * records exist, and it cannot tell which is whose). A delete answers its ID in the same place (`whole` as `id`).
 */
const BATCH_RECORDS = ['whole', 'id', 'idBeside', 'bareId', 'none'];
/** Where the entity batch's results sit: `data.results` beside `data.summary` (`results`, default), or `data` itself (`array`). */
const BATCH_RESULTS = ['results', 'array'];
/** The results' order: as sent (`sent`, default) or `reversed`, each result then carrying its `index`. */
const BATCH_ORDER = ['sent', 'reversed'];
/**
 * How users are answered: `twins` camelCase names with Bitrix24's upper-case twins, IDs as strings as Bitrix24 gives
 * them (default); `camel` the users page's camelCase only, `id` a number; `upper` Bitrix24's names only (the older docs).
 */
const USERS_SHAPES = ['twins', 'camel', 'upper'];
/** What GET /v1/users/:id answers: the user (`object`, default) or a one-entry list (`array`, the older docs' user.get). */
const USER_GET = ['object', 'array'];

/** A configuration the sandbox can run with; a mistyped option fails here rather than as a puzzling test. */
function checkConfig(config) {
	if (!BODY_SHAPES.includes(config.bodyShape)) throw new Error(`bodyShape must be one of ${BODY_SHAPES.join(', ')}; got ${JSON.stringify(config.bodyShape)}`);
	if (!Array.isArray(config.dropOnWrite) || config.dropOnWrite.some((name) => typeof name !== 'string')) {
		throw new Error('dropOnWrite must be an array of field names');
	}
	if (!isObject(config.rewriteOnWrite)) throw new Error('rewriteOnWrite must be an object of { fieldName: value }');
	if (typeof config.movedTime !== 'boolean') throw new Error('movedTime must be true or false');
	if (typeof config.omitUserFields !== 'boolean') throw new Error('omitUserFields must be true or false');
	if (typeof config.batchLatencyMs !== 'number' || config.batchLatencyMs < 0) throw new Error('batchLatencyMs must be a number of milliseconds');
	if (!BATCH_RECORDS.includes(config.batchRecords)) throw new Error(`batchRecords must be one of ${BATCH_RECORDS.join(', ')}; got ${JSON.stringify(config.batchRecords)}`);
	if (!BATCH_RESULTS.includes(config.batchResults)) throw new Error(`batchResults must be one of ${BATCH_RESULTS.join(', ')}; got ${JSON.stringify(config.batchResults)}`);
	if (!BATCH_ORDER.includes(config.batchOrder)) throw new Error(`batchOrder must be one of ${BATCH_ORDER.join(', ')}; got ${JSON.stringify(config.batchOrder)}`);
	if (!USERS_SHAPES.includes(config.usersShape)) throw new Error(`usersShape must be one of ${USERS_SHAPES.join(', ')}; got ${JSON.stringify(config.usersShape)}`);
	if (!USER_GET.includes(config.userGet)) throw new Error(`userGet must be one of ${USER_GET.join(', ')}; got ${JSON.stringify(config.userGet)}`);
	return config;
}

/**
 * createSandbox({ rateLimit, windowMs, latencyMs, checkEntityExists, bodyShape, dropOnWrite, rewriteOnWrite, movedTime, omitUserFields,
 * batchLatencyMs, batchRecords, batchResults, batchOrder }) →
 * sandbox with start(), stop(), url, journal, faults, configure(), reset(), createRecord(), updateRecord(),
 * seedRecords().
 */
function createSandbox(options = {}) {
	const sandbox = {
		url: '',
		keys: KEYS,
		portal: PORTAL,
		journal: [],
		/** Every request as { method, path, status, key } (keys shortened), for counting 429s and calls. */
		requests: [],
		faults: [],
		config: {},
		server: undefined,
	};
	let keys;
	let sessions;
	let records;
	let users;
	/** Other Entity records by path, then ID, stored in camelCase (OTHER_ENTITIES). */
	let others;
	let triggers;
	let windows;
	let nextId;
	let nextMultiId;

	sandbox.configure = (changes) => {
		Object.assign(sandbox.config, checkFamilyOptions(checkConfig({ ...sandbox.config, ...structuredClone(changes) })));
		// The seeded records too: a portal without it has it on no record.
		if (!sandbox.config.movedTime) for (const table of Object.values(records)) for (const record of table.values()) delete record.movedTime;
		return sandbox;
	};

	sandbox.reset = () => {
		sandbox.journal.length = 0;
		sandbox.requests.length = 0;
		sandbox.faults.length = 0;
		// Copies, so that a test changing sandbox.config.dropOnWrite in place does not change the next reset's.
		sandbox.config = checkConfig({
			rateLimit: 300,
			windowMs: 60_000,
			latencyMs: 0,
			checkEntityExists: true,
			bodyShape: 'documented',
			dropOnWrite: [],
			rewriteOnWrite: {},
			movedTime: true,
			omitUserFields: false,
			batchLatencyMs: 0,
			batchRecords: 'whole',
			batchResults: 'results',
			batchOrder: 'sent',
			usersShape: 'twins',
			userGet: 'object',
			...Object.fromEntries(families.flatMap((family) => Object.entries(family.options ?? {}).map(([name, { values }]) => [name, values[0]]))),
			...structuredClone(options),
		});
		checkFamilyOptions(sandbox.config);
		keys = keyTable();
		sessions = sessionTable();
		triggers = { 'app-1': DEFAULT_TRIGGERS.map((t) => ({ ...t })), 'app-2': [] };
		windows = new Map();
		nextId = 10_000;
		nextMultiId = 1;
		records = {};
		users = structuredClone(USERS);
		for (const family of families) family.reset?.();
		const base = Date.parse('2026-11-01T09:00:00Z');
		others = Object.fromEntries(Object.entries(OTHER_ENTITIES).map(([path, { seed }]) => [path, new Map(seed.map((record) => [record.id, { ...structuredClone(record), ...stamps(path, new Date(base)) }]))]));
		for (const [type, list] of Object.entries(SEED)) {
			records[type] = new Map();
			list.forEach((record, index) => sandbox.createRecord(type, record, new Date(base + index * 60_000)));
		}
		return sandbox;
	};

	/**
	 * A phone, email or website list after a write, as Bitrix24 keeps it: `[{ id, value, typeId }]`. The value given
	 * may be a string, an array of strings, or an array of `{ value, typeId | valueType }` objects. An entry without
	 * an `id` is added (typeId WORK unless given); `{ id, value }` changes that entry; `{ id, value: '' }` removes it.
	 */
	function mergeMultiField(name, current, value) {
		const list = (current ?? []).map((entry) => ({ ...entry }));
		if (value === undefined || value === null) return list;
		for (const given of Array.isArray(value) ? value : [value]) {
			const entry = given && typeof given === 'object' ? given : { value: given };
			const text = entry.value ?? entry.VALUE;
			if (text !== undefined && text !== null && typeof text !== 'string' && typeof text !== 'number') {
				throw new HttpError(400, 'VALIDATION_ERROR', `fields.${name}: Expected string, received ${kindOf(text)}`);
			}
			const typeId = entry.typeId ?? entry.valueType ?? entry.VALUE_TYPE ?? entry.TYPE_ID;
			const id = entry.id ?? entry.ID;
			const existing = id === undefined ? -1 : list.findIndex((old) => old.id === Number(id));
			const clean = text === undefined || text === null ? '' : String(text).trim();
			if (existing >= 0) {
				if (clean === '') list.splice(existing, 1);
				else list[existing] = { id: list[existing].id, value: clean, typeId: String(typeId ?? list[existing].typeId) };
			} else if (clean !== '') {
				list.push({ id: nextMultiId++, value: clean, typeId: String(typeId ?? 'WORK') });
			}
		}
		return list;
	}

	/** The record's stored values with every phone, email and website list in Bitrix24's shape. */
	function withMultiFields(type, record, changes) {
		const out = { ...changes };
		for (const [name, value] of Object.entries(changes)) {
			if (FIELDS[type][name]?.type === 'crm_multifield') out[name] = mergeMultiField(name, record[name], value);
		}
		return out;
	}

	/**
	 * Adds a record as it is (only phone, email and website lists are put in shape), with its creation and update
	 * times `at`; returns it. For tests that set up a state; POST /v1/{entity} validates first (see `create`).
	 */
	sandbox.createRecord = (type, fields = {}, at = new Date()) => {
		const [created, updated] = ENTITIES[type].dates;
		const values = withMultiFields(type, {}, fields);
		const id = fields.id ?? nextId++;
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const record = { id, ...values, [created]: stamp, [updated]: stamp };
		if (carriesMovedTime(type)) record.movedTime = fields.movedTime ?? stamp;
		records[type].set(id, record);
		return record;
	};

	/**
	 * Changes a record as it is told (a stage move is `{ stageId }`; phone, email and website lists merge as on
	 * PATCH): its update time becomes `at`. Returns the record, or undefined when there is none.
	 */
	sandbox.updateRecord = (type, id, changes = {}, at = new Date()) => {
		const record = records[type].get(Number(id));
		if (!record) return undefined;
		const [created, updated] = ENTITIES[type].dates;
		const { id: _id, [created]: _created, ...rest } = changes;
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const stage = STAGE_FIELDS[type];
		const moved = stage && Object.hasOwn(rest, stage) && String(rest[stage]) !== String(record[stage]);
		Object.assign(record, withMultiFields(type, record, rest), { [updated]: stamp });
		if (moved && carriesMovedTime(type)) record.movedTime = stamp;
		return record;
	};

	/** Whether the entity's records carry `movedTime` on this run (see FIELD_TABLE). */
	const carriesMovedTime = (type) => Boolean(FIELDS[type].movedTime) && sandbox.config.movedTime;

	/**
	 * The fields of a create or update body, read as `config.bodyShape` says:
	 * - 'documented' (VibeCode's entity-api page): the body's top-level keys are the fields, so a `{ fields: { … } }`
	 *   wrapper is an unknown field and dropped like any other, as the real API drops it: the create then has none of
	 *   the wrapped values (and fails if one was required), the update changes nothing;
	 * - 'wrapped' (the older docs): only `body.fields` is read, top-level keys are ignored;
	 * - 'either': the wrapper when `body.fields` is an object, else the top level.
	 * Read-only and unknown fields are dropped, values put in their field's type (the deal's user fields as Bitrix24
	 * stores them). Problems are one 400 VALIDATION_ERROR naming every field, worded as VibeCode's Zod words them
	 * ("fields.title: Required") whatever the body's shape.
	 */
	function writableFields(type, body, { create }) {
		const wrapper = isObject(body.fields) ? body.fields : undefined;
		const { bodyShape } = sandbox.config;
		const given = bodyShape === 'wrapped' ? (wrapper ?? {}) : bodyShape === 'either' ? (wrapper ?? body) : body;
		const table = FIELDS[type];
		const storedAs = STORED_AS_BITRIX24[type];
		const issues = [];
		const out = {};
		for (const [name, value] of Object.entries(given)) {
			const field = table[name];
			if (!field || field.isReadOnly || value === undefined) continue;
			if (field.type === 'crm_multifield') out[name] = value;
			else out[name] = storedAs?.has(name) ? storeAsBitrix24(name, field, value, issues) : coerce(name, field, value, issues);
		}
		for (const [name, field] of Object.entries(table)) {
			if (field.isRequired && (create || name in out) && isEmpty(out[name])) issues.unshift(`fields.${name}: Required`);
		}
		if (issues.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', issues.join('; '));
		return out;
	}

	/**
	 * `config.dropOnWrite`: fields VibeCode accepted (and /fields lists as writable) that Bitrix24 does not store,
	 * without a word, as it does with a field the key may not write or a stale custom field. Bitrix24 never sees
	 * them, so it fills in its defaults (first stage, responsible) as if they were not sent.
	 */
	function dropOnWrite(fields) {
		for (const name of sandbox.config.dropOnWrite) delete fields[name];
		return fields;
	}

	/**
	 * `config.rewriteOnWrite`: a field the write set is stored with the configured value instead, as when a robot or
	 * business process rewrites it on save; after Bitrix24's checks, since the rewrite happens after them.
	 */
	function rewriteOnWrite(fields, written) {
		const { rewriteOnWrite: rewrites } = sandbox.config;
		for (const name of written) if (Object.hasOwn(rewrites, name)) fields[name] = structuredClone(rewrites[name]);
		return fields;
	}

	/** POST /v1/{entity}: validated, with the values Bitrix24 fills in itself (pipeline, first stage, users). */
	function create(type, body) {
		const fields = dropOnWrite(writableFields(type, body, { create: true }));
		const written = Object.keys(fields);
		if (type === 'deal') fields.categoryId ??= 0;
		if (type === 'invoice') fields.categoryId ??= 2;
		if (dynamicId(type) !== undefined) fields.categoryId ??= defaultCategory(dynamicId(type));
		const rule = stageRule(type, fields);
		checkStage(type, fields);
		if (rule && isEmpty(fields[rule.field])) fields[rule.field] = stagesOf(rule.list)[0];
		fields.assignedById ??= KEY_USER;
		return sandbox.createRecord(type, { ...rewriteOnWrite(fields, written), createdBy: KEY_USER, updatedBy: KEY_USER });
	}

	/** PATCH /v1/{entity}/:id: validated like a create; a stage is checked when it or the pipeline changes. */
	function update(type, id, body) {
		const changes = dropOnWrite(writableFields(type, body, { create: false }));
		const after = { ...records[type].get(id), ...changes };
		const rule = stageRule(type, after);
		if (rule && (rule.field in changes || 'categoryId' in changes)) checkStage(type, after);
		return sandbox.updateRecord(type, id, { ...rewriteOnWrite(changes, Object.keys(changes)), updatedBy: KEY_USER });
	}

	sandbox.seedRecords = (type, count, make = (i) => ({ title: `Generated ${type} ${i}`, name: `Person${i}`, lastName: `Test${i}` })) => {
		for (let i = 0; i < count; i++) sandbox.createRecord(type, make(i));
	};

	/** Every stored record of a type, for counting what a run wrote (the benchmark). */
	sandbox.recordsOf = (type) => [...records[type].values()];

	/** Adds `count` active users (IDs from 1001), for paging; `make(i)` gives each one's fields. */
	sandbox.seedUsers = (count, make = (i) => ({ name: `Person${i}`, lastName: `Test${i}`, email: `person${i}@sandbox.example` })) => {
		const first = Math.max(1000, ...users.map((user) => user.id)) + 1;
		for (let i = 0; i < count; i++) {
			users.push({ id: first + i, secondName: '', active: true, workPosition: '', departmentId: [5], personalPhone: '', personalPhoto: '', isAdmin: false, lastLogin: null, ...make(i) });
		}
	};

	sandbox.setTriggers = (list, app = 'app-1') => {
		triggers[app] = list;
	};

	/** Queue a fault for the next matching request(s): see docs/sandbox.md, "Faults", for the kinds. */
	sandbox.addFault = (fault) => {
		sandbox.faults.push({ times: 1, method: undefined, path: undefined, ...fault });
		return sandbox;
	};

	sandbox.fires = () => sandbox.journal.length;

	/** What a family (families/index.js) may use of the sandbox; the stores are read through functions, as reset replaces them. */
	const familyContext = {
		sandbox,
		HttpError,
		KEY_USER,
		PORTAL,
		newId: () => nextId++,
		record: (type, id) => records[type]?.get(Number(id)),
		updateRecord: (type, id, changes) => sandbox.updateRecord(type, id, changes),
		user: (id) => users.find((user) => user.id === Number(id)),
		parseBody: (req, raw) => parseBody(req, raw),
		queryOf: (url) => queryOf(url),
		listItems: (all, body, table) => listItems(all, body, table),
		conditionsOf: (rawKey, condition) => conditionsOf(rawKey, condition),
		filterOf: (body) => filterOf(body),
		normaliseSort: (sort) => normaliseSort(sort),
		coerce,
		isEmpty,
		portalTime,
	};
	const families = FAMILIES.map((make) => make(familyContext));
	sandbox.store = (name) => {
		const family = families.find((candidate) => candidate.name === name);
		if (!family?.store) throw new Error(`no sandbox family stores ${JSON.stringify(name)}`);
		return family.store();
	};
	/** A family's options (`options: { name: { values } }`, the first value the default) take only their values. */
	function checkFamilyOptions(config) {
		for (const family of families) {
			for (const [name, { values }] of Object.entries(family.options ?? {})) {
				if (!values.includes(config[name])) throw new Error(`${name} must be one of ${values.join(', ')}; got ${JSON.stringify(config[name])}`);
			}
		}
		return config;
	}

	sandbox.reset();

	const server = http.createServer((req, res) => {
		let raw = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const received = Date.now();
			const delay = sandbox.config.latencyMs + batchChunks(req, raw) * sandbox.config.batchLatencyMs;
			if (delay > 0) setTimeout(() => handle(req, res, raw, received), delay);
			else handle(req, res, raw, received);
		});
	});
	server.keepAliveTimeout = 5000;
	sandbox.server = server;

	function takeFault(method, path) {
		const index = sandbox.faults.findIndex(
			(f) => f.kind !== 'itemError' && (!f.method || f.method === method) && (!f.path || f.path === path) && f.times > 0,
		);
		if (index < 0) return undefined;
		const fault = sandbox.faults[index];
		fault.times -= 1;
		if (fault.times <= 0) sandbox.faults.splice(index, 1);
		return fault;
	}

	/** `received`: when the request's body arrived; each logged request gets `ms`, the time until its answer was sent. */
	function handle(req, res, raw, received = Date.now()) {
		const requestId = `req_${crypto.randomBytes(6).toString('hex')}`;
		const url = new URL(req.url, 'http://sandbox');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const headers = { 'X-Request-Id': requestId };
		const log = { method: req.method, path, status: 0, at: Date.now() };
		sandbox.requests.push(log);

		const send = (status, body, extraHeaders = {}, contentType = 'application/json; charset=utf-8') => {
			log.status = status;
			log.ms = Date.now() - received;
			const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			res.writeHead(status, { ...(status === 204 ? {} : { 'Content-Type': contentType }), ...headers, ...extraHeaders });
			res.end(text);
		};
		const fail = (error) => {
			const extra = {};
			if (error.extra.retryAfter !== undefined) extra['Retry-After'] = String(error.extra.retryAfter);
			send(error.status, { success: false, error: { code: error.code, message: error.message, ...error.extra } }, extra);
		};

		if (path.startsWith('/__sandbox/')) return control(req, res, path, raw, send);
		// The browser page a user opens from the connection test's link: no key, as a sign-in page takes none.
		if (req.method === 'GET' && path === '/v1/oauth/authorize') {
			const page = signInPage(url.searchParams.get('app') ?? '');
			return send(page.status, page.html, {}, 'text/html; charset=utf-8');
		}

		try {
			const caller = authenticate(req, path);
			rateLimit(caller, headers, batchChunks(req, raw) || 1);
			const fault = takeFault(req.method, path);
			if (fault && !fault.afterProcessing) return applyFault(fault, req, res, send, headers);
			const [status, body] = route(req, path, url, raw, caller, requestId);
			if (fault) return applyFault(fault, req, res, send, headers);
			send(status, body);
		} catch (error) {
			if (error instanceof HttpError) return fail(error);
			send(500, { success: false, error: { code: 'INTERNAL_ERROR', message: String(error && error.message) } });
		}
	}

	function applyFault(fault, req, res, send, headers) {
		const status = fault.status;
		switch (fault.kind) {
			case 'error': {
				const extra = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
				const error = { code: fault.code, message: fault.message ?? fault.code };
				if (fault.retryAfter !== undefined) error.retryAfter = fault.retryAfter;
				if (fault.hint) error.hint = fault.hint;
				// `data`: what VibeCode adds beside the error, such as a refused batch's errors by call (`{ errors }`).
				return send(status ?? 400, { success: false, error, ...(fault.data ? { data: fault.data } : {}) }, extra);
			}
			case 'successFalse':
				return send(200, { success: false, error: { code: fault.code ?? 'BITRIX_ERROR', message: fault.message ?? 'Bitrix24 said no' } });
			case 'html':
				return send(status ?? 502, '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', {}, 'text/html');
			case 'empty':
				return send(status ?? 200, '');
			case 'badjson':
				return send(status ?? 200, '{"success": true, "data": tr');
			case 'echo':
				// A broken proxy that echoes the request headers (secrets included) in its error body.
				return send(status ?? 500, { success: false, error: { code: 'INTERNAL_ERROR', message: `Upstream failed for ${JSON.stringify(req.headers)}`, hint: `x-api-key was ${req.headers['x-api-key']}; authorization was ${req.headers.authorization}` } });
			case 'reset':
				sandbox.requests[sandbox.requests.length - 1].status = 'reset';
				return req.socket.destroy();
			case 'hang':
				// Answer only after `delayMs` (longer than the client's timeout); the request was processed.
				return setTimeout(() => {
					if (!res.writableEnded && !req.socket.destroyed) send(200, { success: true, data: true });
				}, fault.delayMs ?? 5000);
			default:
				return send(500, { success: false, error: { code: 'INTERNAL_ERROR', message: `unknown fault ${fault.kind}` } });
		}
	}

	function authenticate(req, path) {
		let key = req.headers['x-api-key'];
		const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (!key && bearer && /^vibe_(api|live)_/.test(bearer)) key = bearer;
		if (!key) throw new HttpError(401, 'MISSING_API_KEY', 'API key required. Pass via X-Api-Key header.');
		const info = keys[key];
		if (!info) throw new HttpError(401, 'INVALID_API_KEY', 'Invalid or expired API key');
		if (info.status !== 'ACTIVE') throw new HttpError(401, 'KEY_INACTIVE', 'API key is revoked or expired');
		const caller = { key, ...info };
		if (path === '/v1/me') return caller;
		if (info.type === 'management') {
			throw new HttpError(403, 'MANAGEMENT_KEY_NO_ENTITY_ACCESS', 'Management keys have no access to entity data');
		}
		if (info.type === 'oauth_app') {
			if (!bearer || bearer === key) throw new HttpError(401, 'TOKEN_MISSING', 'The OAuth key has no active user session — Authorization: Bearer is missing');
			const session = sessions[bearer];
			if (!session) throw new HttpError(401, 'INVALID_SESSION', 'Invalid session token');
			if (session.expired) throw new HttpError(401, 'TOKEN_EXPIRED', 'The OAuth user session has expired — re-authorize via /v1/oauth/authorize');
			if (session.app !== info.app) throw new HttpError(403, 'SESSION_APP_MISMATCH', 'Session belongs to another application');
		}
		// The users page puts users under the `user` scope; everything else the sandbox serves is CRM.
		const scope = /^\/v1\/users(\/|$)/.test(path) ? 'user' : 'crm';
		// A family's path or an Other Entity path needs its own scope, any one of those listed (tasks: `task` or `tasks`).
		const needs = families.map((family) => family.scopes?.(path)).find(Boolean) ?? OTHER_ENTITIES[path.split('/')[2]]?.scopes ?? [scope];
		if (!needs.some((name) => info.scopes.includes(name))) throw new HttpError(403, 'SCOPE_DENIED', `This endpoint requires '${needs[0]}' scope`);
		return caller;
	}

	/**
	 * The units a request costs: 1, and for `POST /v1/{entity}/batch` one per 50 records (the older entity-api page:
	 * 500 records for 10 units), as VibeCode sends them to Bitrix24 in batches of 50. 0 for anything but a batch.
	 */
	function batchChunks(req, raw) {
		if (req.method !== 'POST') return 0;
		const path = new URL(req.url, 'http://sandbox').pathname.replace(/\/+$/, '');
		if (path === '/v1/batch') return 1;
		if (!/^\/v1\/[a-z]+\/batch$/.test(path)) return 0;
		let body;
		try {
			body = JSON.parse(raw || '{}');
		} catch {
			return 1;
		}
		const list = Array.isArray(body?.items) ? body.items : Array.isArray(body?.ids) ? body.ids : [];
		return Math.max(1, Math.ceil(list.length / 50));
	}

	function rateLimit(caller, headers, cost = 1) {
		const { rateLimit: limit, windowMs } = sandbox.config;
		const now = Date.now();
		let window = windows.get(caller.key);
		if (!window) windows.set(caller.key, (window = []));
		while (window.length && window[0] <= now - windowMs) window.shift();
		const resetSeconds = (oldest) => Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
		headers['X-RateLimit-Limit'] = String(limit);
		if (window.length + cost > limit) {
			const retryAfter = resetSeconds(window[Math.max(0, Math.min(window.length - 1, window.length + cost - limit - 1))] ?? now);
			headers['X-RateLimit-Remaining'] = '0';
			headers['X-RateLimit-Reset'] = String(retryAfter);
			throw new HttpError(429, 'RATE_LIMITED', 'QUERY_LIMIT_EXCEEDED', {
				hint: 'Wait 1-2 seconds and retry. Use POST /v1/batch to combine up to 50 calls in 1 request.',
				retryAfter,
			});
		}
		for (let unit = 0; unit < cost; unit++) window.push(now);
		headers['X-RateLimit-Remaining'] = String(limit - window.length);
		headers['X-RateLimit-Reset'] = String(resetSeconds(window[0]));
	}

	function parseBody(req, raw) {
		if (!/application\/json/i.test(req.headers['content-type'] ?? '')) {
			throw new HttpError(400, 'VALIDATION_ERROR', 'Content-Type must be application/json');
		}
		try {
			const body = JSON.parse(raw || '{}');
			if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
			return body;
		} catch {
			throw new HttpError(400, 'VALIDATION_ERROR', 'Request body is not valid JSON');
		}
	}

	function route(req, path, url, raw, caller, requestId) {
		const method = req.method;
		if (method === 'GET' && path === '/v1/me') return [200, me(caller)];
		if (method === 'GET' && path === '/v1/triggers') {
			if (caller.type !== 'oauth_app') throw new HttpError(403, 'BITRIX_ACCESS_DENIED', 'Access denied! Application context required');
			return [200, { success: true, data: triggers[caller.app] ?? [] }];
		}
		if (method === 'GET' && path === '/v1/deal-categories') return [200, listItems(DEAL_CATEGORIES, queryOf(url))];
		if (method === 'GET' && path === '/v1/smart-processes') return [200, smartProcessList(queryOf(url))];
		const categories = /^\/v1\/categories\/([^/]+)$/.exec(path);
		if (method === 'GET' && categories) return [200, { success: true, data: structuredClone(smartProcessOf(categories[1]) && SMART_PROCESS_CATEGORIES[categories[1]]) }];
		const items = /^\/v1\/items\/([^/]+)(?:\/|$)/.exec(path);
		if (items) smartProcessOf(items[1]);
		if (method === 'GET' && path === '/v1/statuses') return [200, listItems(STATUSES, { sort: 'sort', limit: 500, ...queryOf(url) })];
		if (method === 'GET' && path === '/v1/users') return [200, listUsers(queryOf(url))];
		const userPath = /^\/v1\/users\/([^/]+)$/.exec(path);
		if (method === 'GET' && userPath?.[1] === 'fields') return [200, { success: true, data: { fields: structuredClone(USER_TABLE) } }];
		if (method === 'GET' && userPath) return [200, getUser(userPath[1])];
		if (method === 'POST' && path === '/v1/triggers/fire') {
			return [200, fire(parseBody(req, raw), caller, requestId)];
		}
		if (method === 'POST' && path === '/v1/batch') return callBatch(parseBody(req, raw), caller, path);
		for (const family of families) {
			const answer = family.route?.(req, path, url, raw, caller);
			if (answer) return answer;
		}
		const other = otherEntity(req, path, url, raw, caller);
		if (other) return other;
		const match = /^\/v1\/(items\/\d+|[a-z]+)(?:\/(search|\d+|[^/]+))?$/.exec(path);
		const type = match && ENTITY_BY_PATH[match[1]];
		if (type) {
			const sub = match[2];
			const blockWrite = (action) => {
				if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${action}`);
			};
			if (method === 'GET' && !sub) return [200, list(type, queryOf(url))];
			if (method === 'POST' && sub === 'search') return [200, list(type, parseBody(req, raw))];
			if (method === 'POST' && sub === 'batch') return entityBatch(type, parseBody(req, raw), caller, path);
			if (method === 'GET' && sub === 'fields') {
				const fields = structuredClone(FIELDS[type]);
				if (!sandbox.config.movedTime) delete fields.movedTime;
				return [200, { success: true, data: { fields } }];
			}
			if (method === 'POST' && !sub) {
				blockWrite('add');
				return [201, { success: true, data: create(type, parseBody(req, raw)) }];
			}
			if (sub && /^\d+$/.test(sub)) {
				const id = Number(sub);
				// A read-only key is turned away before VibeCode asks Bitrix24 anything, so before a 404.
				if (method === 'PATCH') blockWrite('update');
				if (method === 'DELETE') blockWrite('delete');
				if (!records[type].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (method === 'GET') return [200, { success: true, data: records[type].get(id) }];
				if (method === 'PATCH') return [200, { success: true, data: update(type, id, parseBody(req, raw)) }];
				if (method === 'DELETE') {
					records[type].delete(id);
					return [204, undefined];
				}
			}
			if (sub && !/^\d+$/.test(sub) && sub !== 'search' && sub !== 'fields' && sub !== 'batch') {
				throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
			}
		}
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	/** A queued per-item fault (`kind: 'itemError'`) for this item of a batch: by its place (`index`) or its values (`where`). */
	function itemFault(path, item, index) {
		const at = sandbox.faults.findIndex(
			(f) =>
				f.kind === 'itemError' &&
				f.times > 0 &&
				(!f.path || f.path === path) &&
				(f.index === undefined || f.index === index) &&
				(!f.where || Object.entries(f.where).every(([name, value]) => isObject(item) && JSON.stringify(item[name]) === JSON.stringify(value))),
		);
		if (at < 0) return undefined;
		const fault = sandbox.faults[at];
		fault.times -= 1;
		if (fault.times <= 0) sandbox.faults.splice(at, 1);
		return new HttpError(fault.status ?? 422, fault.code ?? 'BITRIX_ERROR', fault.message ?? 'Bitrix24 refused the record');
	}

	const VALIDATION_CODES = new Set(['VALIDATION_ERROR', 'INVALID_PARAMS', 'INVALID_CALL', 'MISSING_ENTITY_ID', 'UNKNOWN_ENTITY', 'ACTION_NOT_SUPPORTED']);
	const asError = (error) => (error instanceof HttpError ? { code: error.code, message: error.message } : { code: 'INTERNAL_ERROR', message: String(error?.message) });
	/** An entity batch's result for a record it wrote (or, for a delete, `{ id }`), in the shape `batchRecords` names. */
	function answered(record) {
		switch (sandbox.config.batchRecords) {
			case 'id':
				return { success: true, data: { id: record.id } };
			case 'idBeside':
				return { success: true, id: record.id };
			case 'bareId':
				return { success: true, data: record.id };
			case 'none':
				return { success: true };
			default:
				return { success: true, data: record };
		}
	}

	/**
	 * When every call or item of a batch failed its validation, nothing ran: the whole request is
	 * `400 INVALID_REQUEST` with the errors under `data.errors` by call id (the batch page; the same assumed for
	 * the entity batch).
	 */
	function refuseWhole(errors, count) {
		const list = Object.values(errors);
		if (count === 0 || list.length < count || !list.every((error) => VALIDATION_CODES.has(error.code))) return undefined;
		return [400, { success: false, error: { code: 'INVALID_REQUEST', message: 'All calls in the batch failed validation' }, data: { errors } }];
	}

	/**
	 * POST /v1/{entity}/batch (the batch and optimization pages): `{ action: 'create' | 'update', items }` or
	 * `{ action: 'delete', ids }`, 1 to 500, each processed on its own. Answers `data.results` in the items' order,
	 * each `{ success, data | error }`, and `data.summary` (the per-item shape is assumed: the pages say only "an
	 * array of results with a success flag for each element"). The other shapes they leave open: `batchRecords`
	 * (where a result carries the ID), `batchResults` (`data` the bare list, no summary) and `batchOrder` (results
	 * out of order, placed by their `index`); a result carries `index` with `idBeside`, `none` or `reversed`.
	 */
	function entityBatch(type, body, caller, path) {
		const { action } = body;
		if (!['create', 'update', 'delete'].includes(action)) {
			throw new HttpError(400, 'INVALID_REQUEST', `action must be one of create, update, delete (read actions take calls); got ${JSON.stringify(action)}`);
		}
		const list = action === 'delete' ? body.ids : body.items;
		const name = action === 'delete' ? 'ids' : 'items';
		if (!Array.isArray(list) || list.length === 0) throw new HttpError(400, 'INVALID_REQUEST', `${name}: Array must contain at least 1 element(s)`);
		if (list.length > 500) throw new HttpError(400, 'INVALID_REQUEST', `${name}: Array must contain at most 500 element(s)`);
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${action === 'create' ? 'add' : action}`);
		const checked = list.map((item, index) => {
			if (action === 'delete') return Number.isInteger(item) && item > 0 ? undefined : new HttpError(400, 'INVALID_PARAMS', `ids.${index}: Expected a positive integer`);
			if (!isObject(item)) return new HttpError(400, 'VALIDATION_ERROR', `items.${index}: Expected object`);
			if (action === 'update' && !(Number.isInteger(item.id) && item.id > 0)) return new HttpError(400, 'INVALID_PARAMS', `items.${index}.id: Expected a positive integer`);
			return undefined;
		});
		const refused = refuseWhole(Object.fromEntries(checked.flatMap((error, index) => (error ? [[String(index), asError(error)]] : []))), list.length);
		if (refused) return refused;
		const results = list.map((item, index) => {
			try {
				if (checked[index]) throw checked[index];
				const fault = itemFault(path, item, index);
				if (fault) throw fault;
				if (action === 'create') return answered(create(type, item));
				const id = action === 'delete' ? item : item.id;
				if (!records[type].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (action === 'delete') {
					records[type].delete(id);
					return answered({ id });
				}
				const { id: _id, ...changes } = item;
				return answered(update(type, id, changes));
			} catch (error) {
				return { success: false, error: asError(error) };
			}
		});
		const failed = results.filter((result) => !result.success).length;
		const { batchRecords, batchResults, batchOrder } = sandbox.config;
		const indexed = batchRecords === 'idBeside' || batchRecords === 'none' || batchOrder === 'reversed';
		const listed = results.map((result, index) => (indexed ? { index, ...result } : result));
		if (batchOrder === 'reversed') listed.reverse();
		if (batchResults === 'array') return [200, { success: true, data: listed }];
		return [200, { success: true, data: { results: listed, summary: { total: results.length, succeeded: results.length - failed, failed } } }];
	}

	/**
	 * POST /v1/batch (the batch page): `{ calls: [{ id?, entity, action, entityId?, params? }] }`, 1 to 50 calls, each
	 * processed on its own; `data.results`, `totals`, `errors`, `summary`, `meta` by call id. The sandbox serves the
	 * CRM entities only.
	 */
	function callBatch(body, caller, path) {
		const { calls } = body;
		if (!Array.isArray(calls) || calls.length === 0) throw new HttpError(400, 'INVALID_REQUEST', 'calls: Array must contain at least 1 element(s)');
		if (calls.length > 50) throw new HttpError(400, 'INVALID_REQUEST', 'calls: Array must contain at most 50 element(s)');
		const ids = calls.map((call, index) => (isObject(call) && typeof call.id === 'string' && call.id ? call.id.slice(0, 64) : String(index)));
		const checked = calls.map((call) => {
			if (!isObject(call) || typeof call.entity !== 'string' || typeof call.action !== 'string') return new HttpError(400, 'INVALID_CALL', 'A call needs entity and action');
			if (!ENTITY_BY_PATH[call.entity]) return new HttpError(400, 'UNKNOWN_ENTITY', `Unknown entity "${call.entity}". Check GET /v1/guide for available entities.`);
			if (!['list', 'get', 'create', 'update', 'delete', 'fields', 'search'].includes(call.action)) return new HttpError(400, 'ACTION_NOT_SUPPORTED', `Action "${call.action}" is not supported`);
			if (['get', 'update', 'delete'].includes(call.action) && (call.entityId === undefined || call.entityId === null || call.entityId === '')) {
				return new HttpError(400, 'MISSING_ENTITY_ID', `Action "${call.action}" requires entityId.`);
			}
			return undefined;
		});
		const refused = refuseWhole(Object.fromEntries(checked.flatMap((error, index) => (error ? [[ids[index], asError(error)]] : []))), calls.length);
		if (refused) return refused;
		const data = { results: {}, totals: {}, errors: {}, summary: { total: calls.length, succeeded: 0, failed: 0 }, meta: {} };
		calls.forEach((call, index) => {
			const id = ids[index];
			try {
				if (checked[index]) throw checked[index];
				const fault = itemFault(path, call, index);
				if (fault) throw fault;
				const type = ENTITY_BY_PATH[call.entity];
				const params = isObject(call.params) ? call.params : {};
				const writes = { create: 'add', update: 'update', delete: 'delete' };
				if (writes[call.action] && caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.${type}.${writes[call.action]}`);
				const entityId = Number(call.entityId);
				if (['get', 'update', 'delete'].includes(call.action) && !records[type].has(entityId)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
				if (call.action === 'get') data.results[id] = records[type].get(entityId);
				else if (call.action === 'create') data.results[id] = create(type, params);
				else if (call.action === 'update') data.results[id] = update(type, entityId, params);
				else if (call.action === 'delete') {
					records[type].delete(entityId);
					data.results[id] = true;
				} else if (call.action === 'fields') data.results[id] = structuredClone(FIELDS[type]);
				else {
					const answer = list(type, params);
					data.results[id] = answer.data;
					data.totals[id] = answer.total;
					data.meta[id] = { total: answer.total, returned: answer.data.length, hasMore: answer.meta?.hasMore ?? false, truncated: false };
				}
				data.summary.succeeded += 1;
			} catch (error) {
				data.errors[id] = asError(error);
				data.summary.failed += 1;
			}
		});
		return [200, { success: true, data }];
	}

	function queryOf(url) {
		const query = { filter: {} };
		for (const [name, value] of url.searchParams) {
			const filter = /^filter\[(.+)\]$/.exec(name);
			const order = /^order\[(.+)\]$/.exec(name);
			// `filter[field][$op]=v` is an operator object, `filter[field][]=v` a list (the filtering page's syntaxes in a URL).
			const nested = filter && /^([^\]]+)\]\[([^\]]*)$/.exec(filter[1]);
			if (nested && nested[2] === '') query.filter[nested[1]] = [...(Array.isArray(query.filter[nested[1]]) ? query.filter[nested[1]] : []), value];
			else if (nested) query.filter[nested[1]] = { ...(isObject(query.filter[nested[1]]) ? query.filter[nested[1]] : {}), [nested[2]]: value };
			else if (filter) query.filter[filter[1]] = value;
			else if (order) query.sort = { ...(typeof query.sort === 'object' ? query.sort : {}), [order[1]]: value };
			else if (name === 'limit' || name === 'offset') query[name] = Number(value);
			else if (name === 'sort' || name === 'order') query.sort = value;
			else if (name === 'select') query.select = value.split(',').map((field) => field.trim()).filter(Boolean);
		}
		return query;
	}

	/** A user as `usersShape` answers it: see USERS_SHAPES. */
	function userAnswer(user) {
		const { usersShape } = sandbox.config;
		const upper = Object.fromEntries(
			Object.entries(user).map(([name, value]) => [USER_FIELDS[name]?.[0] ?? name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase(), name === 'id' ? String(value) : value]),
		);
		if (usersShape === 'upper') return upper;
		if (usersShape === 'camel') return { ...user };
		return { ...user, id: String(user.id), ...upper };
	}

	/**
	 * GET /v1/users: `filter[…]` on the users page's fields only (else 400 INVALID_FILTER_FIELD; an unknown operator
	 * 400 INVALID_FILTER_OPERATOR), sorted by a field of that list (else 400 UNKNOWN_SORT_FIELD), by ID unless asked.
	 */
	function listUsers(query) {
		for (const [rawKey, condition] of Object.entries(filterOf(query))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!USER_TABLE[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		const sort = query.sort ?? 'id';
		for (const [field] of normaliseSort(sort)) {
			if (!USER_TABLE[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems(users, { ...query, sort }, USER_TABLE);
		return { ...answer, data: answer.data.map(userAnswer) };
	}

	/**
	 * GET /v1/users/:id: a positive whole number (else 400 INVALID_PARAMS); a user that does not exist is 404 NOT_FOUND,
	 * or, with `userGet: 'array'`, the empty list Bitrix24's user.get gives.
	 */
	function getUser(raw) {
		if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
		const user = users.find(({ id }) => id === Number(raw));
		if (!user && sandbox.config.userGet === 'array') return { success: true, data: [] };
		if (!user) throw new HttpError(404, 'NOT_FOUND', 'User not found');
		return { success: true, data: sandbox.config.userGet === 'array' ? [userAnswer(user)] : userAnswer(user) };
	}

	/** An Other Entity record's creation and update times (none for an entity without them), `at`. */
	function stamps(path, at) {
		const stamp = at.toISOString().replace(/\.\d{3}Z$/, '+00:00');
		return Object.fromEntries(OTHER_ENTITIES[path].times.map((name) => [name, stamp]));
	}

	/** An Other Entity record as its entity answers it: camelCase, or Bitrix24's UPPER_CASE with the ID as text. */
	function otherAnswer(path, record) {
		if (!OTHER_ENTITIES[path].upper) return { ...record };
		return Object.fromEntries(Object.entries(record).map(([name, value]) => [upperName(name), name === 'id' ? String(value) : value]));
	}

	/**
	 * A create (`id` undefined) or update of an Other Entity record: unknown and read-only fields dropped, values in
	 * their field's type, required fields checked (`400 VALIDATION_ERROR` "title: Required"), a create-only field in
	 * an update refused (`400 READONLY_FIELD`); `dropOnWrite` applies as to CRM records.
	 */
	function otherWrite(path, body, id) {
		const table = OTHER_FIELDS[path];
		const issues = [];
		const out = {};
		for (const [name, value] of Object.entries(body)) {
			const field = table[name];
			if (!field || field.isReadOnly || value === undefined) continue;
			if (id !== undefined && field.createOnly) throw new HttpError(400, 'READONLY_FIELD', `${name} can be set only when the record is created`);
			out[name] = coerce(name, field, value, issues);
		}
		for (const [name, field] of Object.entries(table)) {
			if (field.isRequired && (id === undefined || name in out) && isEmpty(out[name])) issues.unshift(`${name}: Required`);
		}
		if (issues.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', issues.join('; '));
		for (const name of sandbox.config.dropOnWrite) delete out[name];
		const store = others[path];
		const spec = OTHER_ENTITIES[path];
		// An update moves the update time (the second of `times`) only.
		const [, updated] = spec.times;
		if (id !== undefined) return Object.assign(store.get(id), out, updated ? { [updated]: stamps(path, new Date())[updated] } : {});
		const record = { id: nextId++, ...spec.defaults, ...(table.createdBy ? { createdBy: KEY_USER } : {}), ...out, ...stamps(path, new Date()) };
		store.set(record.id, record);
		return record;
	}

	/** A list or search of an Other Entity: filters and sorts on its fields only, as `list` checks the CRM's. */
	function otherList(path, body) {
		const table = OTHER_FIELDS[path];
		for (const [rawKey, condition] of Object.entries(filterOf(body))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!table[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		for (const [field] of normaliseSort(body.sort ?? body.order ?? 'id')) {
			if (!table[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems([...others[path].values()], body, table);
		return { ...answer, data: answer.data.map((record) => otherAnswer(path, record)) };
	}

	/** The routes of an Other Entity (OTHER_ENTITIES); undefined for any other path. */
	function otherEntity(req, path, url, raw, caller) {
		const match = /^\/v1\/([a-z][a-z0-9-]*)(?:\/([^/]+))?$/.exec(path);
		const spec = match && OTHER_ENTITIES[match[1]];
		if (!spec) return undefined;
		const [, name, sub] = match;
		const { method } = req;
		const blockWrite = (action) => {
			if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: ${spec.method}.${action}`);
		};
		if (method === 'GET' && sub === 'fields' && spec.listsFields) {
			// Each field by its camelCase name and by Bitrix24's UPPER_CASE twin, as the tasks fields page shows.
			const fields = Object.entries(OTHER_FIELDS[name]).map(([field, { createOnly: _createOnly, ...described }]) => [field, described]);
			return [200, { success: true, data: { fields: Object.fromEntries([...fields, ...fields.map(([field, described]) => [upperName(field), described])]) } }];
		}
		if (method === 'GET' && !sub) return [200, otherList(name, queryOf(url))];
		if (method === 'POST' && sub === 'search') return [200, otherList(name, parseBody(req, raw))];
		if (method === 'POST' && !sub) {
			blockWrite('add');
			return [201, { success: true, data: otherAnswer(name, otherWrite(name, parseBody(req, raw), undefined)) }];
		}
		if (sub && /^\d+$/.test(sub)) {
			const id = Number(sub);
			if (method === 'PATCH') blockWrite('update');
			if (method === 'DELETE') blockWrite('delete');
			if (!others[name].has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
			if (method === 'GET') return [200, { success: true, data: otherAnswer(name, others[name].get(id)) }];
			if (method === 'PATCH') return [200, { success: true, data: otherAnswer(name, otherWrite(name, parseBody(req, raw), id)) }];
			if (method === 'DELETE') {
				others[name].delete(id);
				return [204, undefined];
			}
		}
		throw new HttpError(404, 'NOT_FOUND', `Route ${method} ${path} not found`);
	}

	/** Every stored record of an Other Entity path (OTHER_ENTITIES, or a family's records: tasks), as stored (camelCase). */
	sandbox.othersOf = (path) => {
		if (others[path]) return [...others[path].values()];
		const family = families.find((candidate) => candidate.name === path && candidate.records);
		if (!family) throw new Error(`no sandbox entity ${JSON.stringify(path)}`);
		return family.records();
	};

	/** GET /v1/smart-processes: every type in one array (no paging), filtered, selected and sorted as the list page says. */
	function smartProcessList(query) {
		const { data } = listItems(SMART_PROCESSES, { limit: 5000, ...query });
		return { success: true, data: structuredClone(data) };
	}

	/**
	 * The smart process a path names by its entityTypeId: a CRM type's own number is refused (the older docs:
	 * `400 RESERVED_ENTITY_TYPE`, use its own route), one the portal lacks is `404 NOT_FOUND` (inferred).
	 */
	function smartProcessOf(raw) {
		if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :entityTypeId must be a positive integer');
		if ([1, 2, 3, 4, 7, 31].includes(Number(raw))) throw new HttpError(400, 'RESERVED_ENTITY_TYPE', `entityTypeId ${raw} is a CRM type of its own; use its route`);
		const type = SMART_PROCESSES.find(({ entityTypeId }) => entityTypeId === Number(raw));
		if (!type) throw new HttpError(404, 'NOT_FOUND', `Smart process ${raw} not found`);
		return type;
	}

	function me(caller) {
		if (caller.type === 'management') {
			return { success: true, data: { type: 'management', keyPrefix: 'vibe_live_sand', scopes: caller.scopes, portals: [{ id: 1, domain: PORTAL, status: 'ACTIVE', role: 'ADMIN' }] } };
		}
		const data = {
			type: caller.type,
			portal: PORTAL,
			scopes: caller.scopes,
			accessMode: caller.accessMode,
			rateLimit: { requestsPerSecond: 10 },
			expiresAt: caller.expiresAt ?? null,
		};
		if (caller.type === 'oauth_app') {
			data.app = { title: 'Sandbox App', id: caller.app };
			// The application's ID, never its key: the link is shown to the user and opened in a browser.
			data.oauth = { authorizeUrl: `${sandbox.url}/v1/oauth/authorize?app=${encodeURIComponent(caller.app)}`, tokenUrl: `${sandbox.url}/v1/oauth/token` };
		} else {
			// `userId`: seen by third parties, not on VibeCode's pages.
			data.owner = { name: 'Sandbox Owner', userId: KEY_USER };
		}
		// The entity paths the key may use, by its scopes, in the older docs' shape: name → "/v1/{path}".
		const paths = [
			...(caller.scopes.includes('crm') ? Object.values(ENTITIES).map(({ path }) => path).filter((path) => !path.startsWith('items/')) : []),
			...(caller.scopes.includes('user') ? ['users'] : []),
			...Object.entries(OTHER_ENTITIES).filter(([, { scopes }]) => scopes.some((scope) => caller.scopes.includes(scope))).map(([path]) => path),
			...families.flatMap((family) => family.entities?.(caller.scopes) ?? []),
		];
		data.api = { entityApi: { entities: Object.fromEntries(paths.map((path) => [path, `/v1/${path}`])) } };
		return { success: true, data };
	}

	/**
	 * The sandbox's stand-in for signing in to Bitrix24 and allowing the application (VibeCode's own
	 * /v1/oauth/authorize is not documented): a page that shows the application's valid session token with a copy
	 * button, to paste into the credential's Session Token.
	 */
	function signInPage(app) {
		const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
		const token = Object.entries(sessions).find(([, session]) => session.app === app && !session.expired)?.[0];
		const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
		if (!token) {
			return { status: 404, html: page('No such application', `<p>The sandbox has no OAuth application <code>${escape(app)}</code>. Open the link a Bitrix24 node run shows.</p>`) };
		}
		return {
			status: 200,
			html: page(
				'Signed in to the VibeCode sandbox',
				`<p>You are signed in to ${PORTAL} as Sandbox Owner and allowed <b>Sandbox App</b>. Paste this session token into the credential's <b>Session Token</b> field:</p>` +
					`<p><code id="session-token">${escape(token)}</code> <button id="copy-token" type="button" onclick="navigator.clipboard.writeText(document.getElementById('session-token').textContent).then(() => { this.textContent = 'Copied'; })">Copy</button></p>`,
			),
		};
	}

	function fire(body, caller, requestId) {
		const { entityType, entityId, triggerId } = body;
		if (entityType === undefined || entityId === undefined || triggerId === undefined || entityType === '' || triggerId === '') {
			throw new HttpError(400, 'MISSING_PARAMS', 'One of the required parameters is missing: entityType, entityId, triggerId');
		}
		if (!ENTITIES[entityType]) {
			throw new HttpError(400, 'INVALID_ENTITY_TYPE', `Unknown entityType "${entityType}". Supported: deal, lead, contact, company, quote, invoice`);
		}
		if (typeof entityId !== 'number' || !Number.isInteger(entityId) || entityId <= 0) {
			throw new HttpError(400, 'VALIDATION_ERROR', `entityId: Expected positive integer, received ${typeof entityId}`);
		}
		if (typeof triggerId !== 'string') throw new HttpError(400, 'VALIDATION_ERROR', `triggerId: Expected string, received ${typeof triggerId}`);
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', 'Write blocked: crm.automation.trigger');
		if (sandbox.config.checkEntityExists && !records[entityType].has(entityId)) {
			throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		}
		sandbox.journal.push({ entityType, entityId, triggerId, keyType: caller.type, requestId, at: Date.now() });
		return { success: true, data: true };
	}

	/**
	 * A list or search of an entity. Every filter field (prefixed `>=createdTime` and nested `{ field: { $gte } }`
	 * alike) and every sort field must be one of the entity's fields: else 400 INVALID_FILTER_FIELD /
	 * UNKNOWN_SORT_FIELD.
	 */
	function list(type, body) {
		const table = FIELDS[type];
		for (const [rawKey, condition] of Object.entries(filterOf(body))) {
			const { field } = conditionsOf(rawKey, condition);
			if (!table[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
		}
		for (const [field] of normaliseSort(body.sort ?? body.order ?? 'id')) {
			if (!table[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
		}
		const answer = listItems([...records[type].values()], body, table, STORED_AS_BITRIX24[type]);
		// Bitrix24's crm.deal.list leaves the user fields out unless `select` names them: a VibeCode that passes
		// that on is `omitUserFields`.
		const selected = Array.isArray(body.select) && body.select.length > 0;
		if (sandbox.config.omitUserFields && !selected) {
			answer.data = answer.data.map((record) => Object.fromEntries(Object.entries(record).filter(([name]) => !name.startsWith('UF_'))));
		}
		return answer;
	}

	const filterOf = (body) => (body.filter && typeof body.filter === 'object' && !Array.isArray(body.filter) ? body.filter : {});

	/**
	 * `storedAs`: the fields kept as Bitrix24 stores them; a filter value for one is put in that form first, so that
	 * `{ UF_CRM_VIP: true }` finds the 1 stored and `{ UF_CRM_BUDGET: 150 }` the "150|USD" (a value that does not fit
	 * is compared as given; `$contains` always is).
	 */
	function listItems(all, body, table = {}, storedAs = undefined) {
		let items = [...all];
		for (const [rawKey, condition] of Object.entries(filterOf(body))) {
			const { field, ops } = conditionsOf(rawKey, condition);
			const stored = storedAs?.has(field) ? ops.map(([op, expected]) => [op, op === '$contains' ? expected : asStored(field, table[field], expected)]) : ops;
			items = items.filter((record) => matches(record[field], stored, table[field], field));
		}
		const sort = normaliseSort(body.sort ?? body.order ?? 'id');
		const key = (value) => (typeof value === 'string' && MONEY.test(value) ? Number.parseFloat(value) : value);
		items.sort((a, b) => {
			for (const [field, direction] of sort) {
				const [x, y] = [key(a[field]), key(b[field])];
				const cmp = x < y ? -1 : x > y ? 1 : 0;
				if (cmp) return direction * cmp;
			}
			return 0;
		});
		const limit = Math.min(Number(body.limit ?? 50) || 50, 5000);
		const offset = Number(body.offset ?? 0) || 0;
		const page = items.slice(offset, offset + limit);
		const select = Array.isArray(body.select) && body.select.length ? body.select : undefined;
		const data = select ? page.map((r) => Object.fromEntries(select.filter((f) => f in r).map((f) => [f, r[f]]))) : page;
		const hasMore = offset + page.length < items.length;
		return { success: true, data, total: items.length, meta: { total: items.length, hasMore, truncated: false } };
	}

	/** A filter value in the form a Bitrix24-stored field keeps (each of an `$in` list); as given when it does not fit. */
	function asStored(name, field, expected) {
		if (Array.isArray(expected)) return expected.map((entry) => asStored(name, field, entry));
		const issues = [];
		const value = storeAsBitrix24(name, { ...field, isMultiple: false }, expected, issues);
		return issues.length > 0 || value === undefined ? expected : value;
	}

	function normaliseSort(sort) {
		const parts = typeof sort === 'string' ? sort.split(',') : Array.isArray(sort) ? sort : Object.entries(sort).map(([f, d]) => (/desc|-1/i.test(String(d)) ? `-${f}` : f));
		return parts.filter(Boolean).map((p) => (p.startsWith('-') ? [p.slice(1), -1] : [p, 1]));
	}

	/**
	 * One filter entry as its field and `[operator, expected]` pairs: `{ ">=amount": 5 }`, `{ amount: { $gte: 5 } }`
	 * and `{ amount: { ">=": 5 } }` are the same; a plain value is equals, a plain array "in". An unknown operator is
	 * 400 INVALID_FILTER_OPERATOR.
	 */
	function conditionsOf(rawKey, condition) {
		const prefix = /^(>=|<=|!=|>|<|!|%|=)?(.+)$/.exec(rawKey);
		const ops = prefix[1]
			? [[prefix[1], condition]]
			: condition && typeof condition === 'object' && !Array.isArray(condition)
				? Object.entries(condition)
				: [[Array.isArray(condition) ? '$in' : '$eq', condition]];
		return {
			field: prefix[2],
			ops: ops.map(([op, expected]) => {
				const name = Object.hasOwn(OPERATORS, op) ? OPERATORS[op] : undefined;
				if (!name) throw new HttpError(400, 'INVALID_FILTER_OPERATOR', `Unknown operator ${op}`);
				return [name, expected];
			}),
		};
	}

	/**
	 * Whether a record's value meets every operator. A phone, email or website list, like any multiple field, matches
	 * when any entry does (`$ne` / `!`: when none equals); emails compare case-insensitively, money by its amount.
	 */
	function matches(value, ops, field, name) {
		const multi = field?.type === 'crm_multifield';
		const values = multi ? (Array.isArray(value) ? value.map((entry) => entry?.value) : []) : field?.isMultiple && Array.isArray(value) ? value : [value];
		const same = multi && name === 'email' ? (v) => String(v).toLowerCase() : (v) => String(v);
		const amount = (v) => (typeof v === 'string' && MONEY.test(v) ? Number.parseFloat(v) : v);
		const cmp = (a, b) => (typeof a === 'string' && /^\d{4}-\d\d-\d\d/.test(a) ? Date.parse(a) - Date.parse(b) : amount(a) - amount(b));
		const any = (test) => values.some((v) => test(v));
		return ops.every(([op, expected]) => {
			switch (op) {
				case '$eq': return any((v) => same(v) === same(expected));
				case '$ne': return !any((v) => same(v) === same(expected));
				case '$gt': return any((v) => v !== undefined && cmp(v, expected) > 0);
				case '$gte': return any((v) => v !== undefined && cmp(v, expected) >= 0);
				case '$lt': return any((v) => v !== undefined && cmp(v, expected) < 0);
				case '$lte': return any((v) => v !== undefined && cmp(v, expected) <= 0);
				case '$in': return Array.isArray(expected) && any((v) => expected.map(same).includes(same(v)));
				default: return any((v) => typeof v === 'string' && v.toLowerCase().includes(String(expected).toLowerCase()));
			}
		});
	}

	function control(req, res, path, raw, send) {
		if (req.method === 'GET' && path === '/__sandbox/journal') return send(200, { journal: sandbox.journal });
		if (req.method === 'GET' && path === '/__sandbox/requests') return send(200, { requests: sandbox.requests });
		if (req.method === 'POST' && path === '/__sandbox/reset') {
			sandbox.reset();
			return send(200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__sandbox/faults') {
			sandbox.addFault(JSON.parse(raw || '{}'));
			return send(200, { ok: true });
		}
		if (req.method === 'POST' && path === '/__sandbox/config') {
			// A bad option is the caller's mistake: say so, rather than let the throw end the request unanswered.
			try {
				sandbox.configure(JSON.parse(raw || '{}'));
			} catch (error) {
				return send(400, { error: String(error.message) });
			}
			return send(200, { ok: true, config: sandbox.config });
		}
		const stored = /^\/__sandbox\/store\/([a-z-]+)$/.exec(path);
		const family = stored && families.find((candidate) => candidate.name === stored[1]);
		if (req.method === 'GET' && family?.store) return send(200, family.store());
		const updated = /^\/__sandbox\/records\/([a-z0-9_]+)\/(\d+)$/.exec(path);
		if (req.method === 'PATCH' && updated && ENTITIES[updated[1]]) {
			const record = sandbox.updateRecord(updated[1], updated[2], JSON.parse(raw || '{}'));
			return record ? send(200, { record }) : send(404, { error: 'no such record' });
		}
		const created = /^\/__sandbox\/records\/([a-z0-9_]+)$/.exec(path);
		if (req.method === 'POST' && created && ENTITIES[created[1]]) {
			const body = JSON.parse(raw || '{}');
			// An array seeds many records at once (the benchmark's sandbox runs in a process of its own).
			if (Array.isArray(body)) return send(201, { ids: body.map((fields) => sandbox.createRecord(created[1], fields).id) });
			return send(201, { record: sandbox.createRecord(created[1], body) });
		}
		if (req.method === 'GET' && created && ENTITIES[created[1]]) return send(200, { records: sandbox.recordsOf(created[1]) });
		return send(404, { error: 'unknown sandbox control' });
	}

	sandbox.start = (port = 0, host = '127.0.0.1') =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				sandbox.url = `http://${host}:${server.address().port}`;
				resolve(sandbox);
			});
		});

	sandbox.stop = () =>
		new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		});

	return sandbox;
}

module.exports = { createSandbox, KEYS, PORTAL, DEFAULT_TRIGGERS, FIELDS, KEY_USER };
