'use strict';
/**
 * The CRM's pipelines, stage and status lists and smart processes: their tables, the rule a record's stage follows
 * (`checkStage`), and their routes (`GET /v1/deal-categories`, `/v1/statuses`, `/v1/smart-processes`,
 * `/v1/categories/{entityTypeId}`).
 */
const { HttpError } = require('../../common/http');
const { listItems, queryOf } = require('../../common/list');

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

/** The pipeline routes; a smart-process item's path (`/v1/items/{entityTypeId}…`) is refused here when it names no type. */
function route(req, path, url) {
	const method = req.method;
	if (method === 'GET' && path === '/v1/deal-categories') return [200, listItems(DEAL_CATEGORIES, queryOf(url))];
	if (method === 'GET' && path === '/v1/smart-processes') return [200, smartProcessList(queryOf(url))];
	const categories = /^\/v1\/categories\/([^/]+)$/.exec(path);
	if (method === 'GET' && categories) return [200, { success: true, data: structuredClone(smartProcessOf(categories[1]) && SMART_PROCESS_CATEGORIES[categories[1]]) }];
	const items = /^\/v1\/items\/([^/]+)(?:\/|$)/.exec(path);
	if (items) smartProcessOf(items[1]);
	if (method === 'GET' && path === '/v1/statuses') return [200, listItems(STATUSES, { sort: 'sort', limit: 500, ...queryOf(url) })];
	return undefined;
}

module.exports = { dynamicId, defaultCategory, stageRule, stagesOf, checkStage, route };
