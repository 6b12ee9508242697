import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { SMART_PROCESS_ITEM } from '../helpers/entities';
import { positiveId } from '../helpers/validate';

/** The smart processes whose item events start the workflow (their entityTypeIds). */
export const SMART_PROCESS_TYPES = 'smartProcessTypes';

/** The Smart Process Types parameter as entityTypeIds; an expression may give "1038, 1042". */
export function chosenSmartProcesses(value: unknown): number[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return list.map((entry) => positiveId(entry)).filter((id): id is number => id !== undefined);
}

/**
 * The Bitrix24 Instant Trigger's parameters: where to paste the URL in Bitrix24, the events, the application
 * token, and what to do with each event (read the record, filter it).
 */

/** The Events options: CRM add, update and delete for the six entity types, and the Webhook robot's call. */
const ENTITIES: Array<[string, string, string]> = [
	['company', 'Company', 'ONCRMCOMPANY'],
	['contact', 'Contact', 'ONCRMCONTACT'],
	['deal', 'Deal', 'ONCRMDEAL'],
	['invoice', 'Invoice', 'ONCRMDYNAMICITEM'],
	['lead', 'Lead', 'ONCRMLEAD'],
	['quote', 'Quote', 'ONCRMQUOTE'],
	[SMART_PROCESS_ITEM, 'Smart Process Item', 'ONCRMDYNAMICITEM'],
];
const ACTIONS: Array<[string, string, string]> = [
	['add', 'Created', 'ADD'],
	['update', 'Updated', 'UPDATE'],
	['delete', 'Deleted', 'DELETE'],
];

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	...ENTITIES.flatMap(([entity, name, prefix]) =>
		ACTIONS.map(([action, verb, suffix]) => ({
			name: `${name} ${verb}`,
			value: `${entity}.${action}`,
			description:
				entity === 'invoice'
					? `Bitrix24 event ${prefix}${suffix} of a smart invoice (entity type 31)`
					: entity === SMART_PROCESS_ITEM
						? `Bitrix24 event ${prefix}${suffix} of the smart processes chosen under Smart Process Types`
						: `Bitrix24 event ${prefix}${suffix}`,
		})),
	),
	{ name: 'Robot Call', value: 'robot', description: 'The "Webhook" robot of an automation rule, with the parameters added to it' },
].sort((a, b) => a.name.localeCompare(b.name));

/**
 * The canvas subtitle: the chosen events' names as the Events list shows them ("Deal Updated, Robot Call"), an
 * expression over a constant map of their values (an unknown value, from an expression, as it is).
 */
export const eventsSubtitle = `={{[].concat($parameter["events"] || []).map((event) => (${JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
)})[event] || event).join(", ")}}`;

/**
 * Where to paste the URL in Bitrix24, step by step. n8n shows the URLs themselves above the parameters, in a
 * section named "Webhook URLs" that starts collapsed.
 */
const SETUP =
	'Open <b>Webhook URLs</b> above, copy the Production URL and paste it into Bitrix24. Needs administrator rights and an n8n that Bitrix24 can reach at a public https address. ' +
	'<b>Events:</b> Developer resources → Other → Outgoing webhook; choose the events (for example ONCRMDEALUPDATE), paste the URL as the handler address, save, and copy the application token Bitrix24 shows into Application Token below. ' +
	'<b>Robot:</b> CRM → the pipeline → Automation rules → add the "Webhook" robot to a stage with the same URL (parameters you add to it arrive as params). ' +
	'Activate this workflow (n8n 2: publish) so the Production URL answers.';

export const instantProperties: INodeProperties[] = [
	{
		displayName: SETUP,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: [],
		required: true,
		description: 'The Bitrix24 events that start the workflow. Other events are answered and start nothing.',
	},
	{
		displayName: 'Smart Process Type Names or IDs',
		name: SMART_PROCESS_TYPES,
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' },
		default: [],
		displayOptions: { show: { events: ACTIONS.map(([action]) => `${SMART_PROCESS_ITEM}.${action}`) } },
		description:
			'The smart processes whose item events start the workflow; Bitrix24 sends ONCRMDYNAMICITEM… for all of them, with the type\'s ID. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Application Token',
		name: 'applicationToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'Required, for a test too: the application token Bitrix24 shows for the outgoing webhook. Calls without it are refused with HTTP 401, so Listen for Test Event receives nothing until it is filled in. Several tokens (one per outgoing webhook) may be separated by commas.',
	},
	{
		displayName: 'Read the Record',
		name: 'readRecord',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the record through VibeCode and emit it as the Bitrix24 Trigger does (needs a Bitrix24 VibeCode API credential). Off: the event as Bitrix24 sent it (for most events the ID only). Deletions are never read.',
	},
	{
		displayName: 'Watch Field Names or IDs',
		name: 'watchFields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getInstantWatchableFields', loadOptionsDependsOn: ['events'] },
		default: [],
		displayOptions: { show: { readRecord: [true] } },
		description:
			'Start the workflow for an update only when one of these fields differs from the last time this trigger read the record; none chosen: every update. The first update of a record after activation or a restart of n8n starts it whatever changed. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show: { readRecord: [true] } },
		description: 'Start the workflow only for records that match every filter set',
		options: [
			{
				displayName: 'Pipeline Names or IDs',
				name: 'categoryIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getInstantPipelines', loadOptionsDependsOn: ['events', 'smartProcessTypes'] },
				default: [],
				description:
					'Only records in one of these pipelines: deals and smart-process items among the Events (invoices by ID). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Responsible User Names or IDs',
				name: 'assignedByIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getUsers' },
				default: [],
				description: 'Only records assigned to one of these Bitrix24 users. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage or Status Names or IDs',
				name: 'stageIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getInstantStages', loadOptionsDependsOn: ['events', 'smartProcessTypes'] },
				default: [],
				description:
					'Only records at one of these stages (a lead\'s status), of the entity types among the Events. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Accept Robot Calls Without Token',
				name: 'robotWithoutToken',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept a "Webhook" robot call that carries no application token at all. Off by default: anyone who knows the URL could start the workflow.',
			},
		],
	},
];
