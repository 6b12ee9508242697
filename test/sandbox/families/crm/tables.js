'use strict';
/** The CRM records' tables: the entities and their paths, every entity's fields, the records every reset seeds. */
const { defaultCategory } = require('./pipelines');

const ENTITIES = {
	deal: { path: 'deals', dates: ['createdAt', 'updatedAt'] },
	lead: { path: 'leads', dates: ['createdTime', 'updatedTime'] },
	contact: { path: 'contacts', dates: ['createdTime', 'updatedTime'] },
	company: { path: 'companies', dates: ['createdTime', 'updatedTime'] },
	quote: { path: 'quotes', dates: ['createdAt', 'updatedAt'] },
	invoice: { path: 'invoices', dates: ['createdTime', 'updatedTime'] },
	// Smart-process items (`/v1/items/{entityTypeId}`, the older docs' Items pages), one type each: see SMART_PROCESSES (pipelines.js).
	dynamic_1038: { path: 'items/1038', dates: ['createdTime', 'updatedTime'] },
	dynamic_1042: { path: 'items/1042', dates: ['createdTime', 'updatedTime'] },
};
const ENTITY_BY_PATH = Object.fromEntries(Object.entries(ENTITIES).map(([type, { path }]) => [path, type]));

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
		{ id: 101, title: 'Inbound call', name: 'Anna', lastName: 'Smirnova', statusId: 'NEW', phone: '+15550100101', email: 'anna.smirnova@mail.example', assignedById: 7 },
		{ id: 102, title: 'Web form: pricing', name: 'Oleg', lastName: 'Volkov', statusId: 'IN_PROCESS', phone: '+15550100102', email: 'Oleg.Volkov@mail.example', assignedById: 1 },
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

module.exports = { ENTITIES, ENTITY_BY_PATH, FIELDS, STAGE_FIELDS, STORED_AS_BITRIX24, SEED };
