/**
 * The record whose timeline an operation writes or reads, picked as the other operations pick a record: Entity Type
 * (the six CRM types, or Smart Process Item with its Smart Process Type) and Record (From List, By ID, By URL).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { ENTITY_TYPES, entityType, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE, smartProcessId, smartProcessType } from '../../helpers/entities';
import { fetchSmartProcesses, parseSmartProcessId, smartProcessTypeParameter } from '../../helpers/smartProcesses';
import type { TimelineRecord } from '../../helpers/timeline';
import { locatorValue, parseEntity, parseEntityId, PATTERNS } from '../../helpers/validate';
import type { VibeSession } from '../../transport';
import { entityLocator } from '../entityLocator';
import type { ReadItem } from '../runItems';

export const TYPE_OPTIONS = [...ENTITY_TYPES.map(({ name, value }) => ({ name, value })), { name: 'Smart Process Item', value: SMART_PROCESS_ITEM }];

/**
 * Entity Type, Smart Process Type and Record. Entity Type and Record keep the names Fire gives them (`entityType`,
 * `entity`), which the editor's record list (methods/listSearch.ts) reads; n8n wants one name to mean one kind of
 * parameter across a node, and both are the same kinds here.
 */
export function recordProperties(purpose: string): INodeProperties[] {
	return [
		{
			displayName: 'Entity Type',
			name: 'entityType',
			type: 'options',
			noDataExpression: false,
			options: TYPE_OPTIONS,
			default: 'deal',
			required: true,
			description: 'The kind of CRM record whose timeline to use',
		},
		smartProcessTypeParameter({ entityType: [SMART_PROCESS_ITEM] }, 'the item belongs to'),
		entityLocator(purpose, 'Record'),
	];
}

export const TYPE_VALUES = TYPE_OPTIONS.map(({ value }) => value);

/** A Bitrix24 record link, read as the editor checks it (the type segment, the ID). */
const SMART_LINK = new RegExp(`^${PATTERNS.entityUrl.replace('(type/[0-9]+|[A-Za-z]+)', 'type/([0-9]+)')}$`);

/** Entity Type, Smart Process Type and Record of one item, checked before any request (a smart process still untitled). */
export function readRecord(context: IExecuteFunctions, itemIndex: number): TimelineRecord {
	const raw = context.getNodeParameter('entityType', itemIndex, 'deal');
	const value = typeof raw === 'string' ? raw.trim() : raw;
	if (typeof value !== 'string' || !TYPE_VALUES.includes(value)) {
		throw new InputError(`Entity Type must be one of ${TYPE_VALUES.join(', ')}; got ${quote(raw)}`, 'Pick the entity type from the list, or make the expression return one of these words.');
	}
	const type = value === SMART_PROCESS_ITEM ? smartProcessType(parseSmartProcessId(context.getNodeParameter(SMART_PROCESS_TYPE, itemIndex, ''))) : entityType(value)!;
	const entity = context.getNodeParameter('entity', itemIndex);
	// A smart process item's page is /crm/type/{entityTypeId}/details/{id}/, which the CRM types' link check does not know.
	const link = value === SMART_PROCESS_ITEM && (entity as { mode?: unknown })?.mode === 'url' ? SMART_LINK.exec(String(locatorValue(entity) ?? '').trim()) : null;
	if (link && Number(link[1]) === type.typeId) return { type, id: parseEntityId(link[2]) };
	let refusal: unknown;
	try {
		return { type, id: parseEntity(entity, type.value) };
	} catch (error) {
		refusal = error;
	}
	if (!(refusal instanceof InputError)) throw refusal;
	// Fire's Entity rules, said of this field: Record.
	throw new InputError(refusal.message.replace(/^Entity (ID|By URL)/, 'Record $1'), refusal.description, refusal.code);
}

/**
 * The runner's check: the smart processes the items name, read once (GET /v1/smart-processes) before anything is sent,
 * so that messages name each by its title ("orders 3"); an item naming one the portal lacks is refused. The items'
 * records are named in place.
 */
export async function nameSmartProcesses<Request extends { record: TimelineRecord }>(
	context: IExecuteFunctions,
	session: VibeSession,
	items: Array<ReadItem<Request>>,
	recordsOf: (request: Request) => TimelineRecord[] = (request) => [request.record],
): Promise<Map<number, unknown>> {
	const refused = new Map<number, unknown>();
	const smart = items.filter(({ request }) => recordsOf(request).some(({ type }) => smartProcessId(type.value) !== undefined));
	if (smart.length === 0) return refused;
	const types = await fetchSmartProcesses.call(context, session, smart[0].itemIndex);
	for (const { itemIndex, request } of smart) {
		for (const record of recordsOf(request)) {
			if (smartProcessId(record.type.value) === undefined) continue;
			const found = types.find(({ entityTypeId }) => entityTypeId === record.type.typeId);
			if (found) {
				record.type = smartProcessType(found.entityTypeId, found.title);
				continue;
			}
			refused.set(
				itemIndex,
				new InputError(
					`The portal has no smart process with type ID ${record.type.typeId}`,
					types.length ? `Choose one of: ${types.map(({ title, entityTypeId }) => `${title} (${entityTypeId})`).join(', ')}.` : "The portal has no smart processes the key can see: check the key's CRM scope and permissions.",
				),
			);
			break;
		}
	}
	return refused;
}
