import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { entityType, SMART_PROCESS_ITEM, smartProcessType } from '../../helpers/entities';
import { smartProcessTypeParameter } from '../../helpers/smartProcesses';
import { addLogEntry, bindingIs, bindLogEntry, logBindings, notApplied, pinLogEntry, recordName, type LogEvent, type TimelineRecord } from '../../helpers/timeline';
import { positiveId } from '../../helpers/validate';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { nameSmartProcesses, readRecord, recordProperties, TYPE_OPTIONS, TYPE_VALUES } from './record';

/** Options → Icon Code: the entry's icon, from the portal's set (Bitrix24's crm.timeline.icon.* manage it). */
const iconCode: INodeProperties = {
	displayName: 'Icon Code',
	name: 'iconCode',
	type: 'string',
	default: '',
	placeholder: 'info',
	description: "The code of one of the portal's timeline icons; empty for the default icon",
};

const properties: INodeProperties[] = [
	...recordProperties('The record whose timeline gets the entry, from the list, by its ID or by its Bitrix24 address'),
	{
		displayName: 'Title',
		name: 'logTitle',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Payment received',
		description: "The entry's heading in the timeline",
	},
	{
		displayName: 'Text',
		name: 'logText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: '4,800 USD, Stripe ch_3P…',
		description: "The entry's text under its title",
	},
	{
		displayName: 'Pin to Top',
		name: 'pinEntry',
		type: 'boolean',
		default: false,
		description: "Whether to pin the entry at the top of the record's timeline, so the manager sees it first",
	},
	{
		displayName: 'Also Show On',
		name: 'alsoShowOn',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Record',
		default: {},
		description: "Other records whose timelines show the same entry, such as the deal's contact and company",
		options: [
			{
				displayName: 'Record',
				name: 'record',
				values: [
					{ displayName: 'Entity Type', name: 'entityType', type: 'options', options: TYPE_OPTIONS, default: 'contact' },
					// Needed whenever it is shown (this row's Entity Type: Smart Process Item).
					smartProcessTypeParameter({ entityType: [SMART_PROCESS_ITEM] }, 'the item belongs to', { required: true }),
					{ displayName: 'Record ID', name: 'recordId', type: 'string', default: '', placeholder: '201', description: "The record's ID: the number in its Bitrix24 address" },
				],
			},
		],
	},
	{
		...searchOptions,
		options: [iconCode, ...(searchOptions.options as INodeProperties[])].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['logEvent'] } }, properties);

interface LogRequest {
	record: TimelineRecord;
	event: LogEvent;
	pin: boolean;
	also: TimelineRecord[];
}

function text(value: unknown, label: string, hint: string): string {
	const given = typeof value === 'number' ? String(value) : value;
	if (typeof given === 'string' && given.trim() !== '') return given;
	throw new InputError(`${label} is empty; got ${quote(value)}`, hint);
}

/** Also Show On's records, each checked by its place in the list ("Also Show On → Record 2 …"). */
function readAlso(value: unknown, record: TimelineRecord): TimelineRecord[] {
	const rows = (((value ?? {}) as IDataObject).record ?? []) as IDataObject[];
	return rows.map((row, index) => {
		const place = `Also Show On → Record ${index + 1}`;
		const kind = row.entityType;
		if (typeof kind !== 'string' || !TYPE_VALUES.includes(kind)) {
			throw new InputError(`${place}: Entity Type must be one of ${TYPE_VALUES.join(', ')}; got ${quote(kind)}`, 'Pick the entity type from the list.');
		}
		const processId = kind === SMART_PROCESS_ITEM ? positiveId(row.smartProcessType) : undefined;
		if (kind === SMART_PROCESS_ITEM && processId === undefined) {
			throw new InputError(`${place}: Smart Process Type must be a smart process's type ID (a whole number); got ${quote(row.smartProcessType)}`, 'Choose the smart process from the list, or make the expression return its entityTypeId.');
		}
		const type = processId === undefined ? entityType(kind)! : smartProcessType(processId);
		const id = positiveId(row.recordId);
		if (id === undefined) throw new InputError(`${place}: Record ID must be a positive whole number; got ${quote(row.recordId)}`, "Use the record's ID from Bitrix24 (the number in its address), or remove the row.");
		if (type.typeId === record.type.typeId && id === record.id) throw new InputError(`${place} is the entry's own record (${record.type.name.toLowerCase()} ${id})`, 'Remove the row: the entry is shown on its own record anyway.');
		return { type, id };
	});
}

/**
 * POST /v1/timeline-logs for each item, then, when asked, one bind per Also Show On record (proven by the entry's
 * bindings) and the pin. The entry is never logged twice: a failure after it names the entry that was logged.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const log: ItemOperation<LogRequest> = {
		read: (itemIndex) => {
			const record = readRecord(this, itemIndex);
			const title = text(this.getNodeParameter('logTitle', itemIndex, ''), 'Title', 'Give the entry a title, such as Payment received; check that the expression does not return an empty value.');
			const body = text(this.getNodeParameter('logText', itemIndex, ''), 'Text', "Write the entry's text; check that the expression does not return an empty value.");
			const iconCode = (this.getNodeParameter('options', itemIndex, {}) as IDataObject).iconCode;
			if (iconCode !== undefined && typeof iconCode !== 'string') throw new InputError(`Options → Icon Code must be text; got ${quote(iconCode)}`, "Give the icon's code, or remove the option.");
			const pin = this.getNodeParameter('pinEntry', itemIndex, false);
			if (typeof pin !== 'boolean') throw new InputError(`Pin to Top must be true or false; got ${quote(pin)}`, 'Turn the switch on or off, or make the expression return true or false.');
			return { record, event: { title, text: body, iconCode: iconCode?.trim() || undefined }, pin, also: readAlso(this.getNodeParameter('alsoShowOn', itemIndex, {}), record) };
		},
		check: async (session, items) => await nameSmartProcesses(this, session, items, (request) => [request.record, ...request.also]),
		send: async (session, { record, event, pin, also }, itemIndex) => {
			const entry = await addLogEntry.call(this, session, record, event, itemIndex);
			const id = entry.id as number;
			for (const other of also) await bindLogEntry.call(this, session, id, record, other, itemIndex);
			if (also.length > 0) {
				const bindings = await logBindings.call(this, session, id, itemIndex);
				const missing = also.filter((other) => !bindings.some((row) => bindingIs(row, other)));
				if (missing.length > 0) {
					throw notApplied(
						this,
						itemIndex,
						`Log entry ${id} was logged on ${recordName(record)}, but is not shown on ${missing.map(recordName).join(', ')}`,
						`VibeCode accepted the binding, but the entry's bindings do not list ${missing.length > 1 ? 'those records' : 'that record'}. Check the entry in Bitrix24; running this item again would log a second entry.`,
					);
				}
			}
			if (pin) await pinLogEntry.call(this, session, id, record, itemIndex);
			return [{ ...entry, pinned: pin, alsoShownOn: also.map((other) => ({ entityTypeId: other.type.typeId, entityId: other.id })) }];
		},
		fields: (_itemIndex, request) => (request ? { entityType: request.record.type.value, entityId: request.record.id } : {}),
	};
	return await runItems.call(this, log);
}
