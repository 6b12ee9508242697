/**
 * What the node adds when an AI agent runs it as a tool (the `Bitrix24 Tool` n8n makes of a `usableAsTool` node):
 * a description per resource and operation that a model can choose by, and output trimmed to the fields that hold
 * something. Failures become the tool's answer in the item runner (runItems.ts, errors/errorItem.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ENTITY_TYPES } from '../helpers/entities';

/** Parameters shown only in the tool variant: n8n's `@tool` display option is true for a type named `…Tool`. */
const TOOL_ONLY = { '@tool': [true] };

const FAILURE = 'If it fails, it answers success: false with error (what went wrong), hint (what to do) and code instead.';

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** The description a model gets for each CRM record operation, for one entity type. */
function recordTexts(name: string, path: string): Record<string, string> {
	const one = name.toLowerCase();
	const a = `${article(one)} ${one}`;
	const id = `the ${one}'s numeric ID (from Get many ${path}, or from another record that links to it)`;
	return {
		create: `Create ${a} in the Bitrix24 CRM from the values given. Each call writes a new ${one}: search first, or use Create or update ${a}, to avoid duplicates. Returns the new ${one} with its id.`,
		upsert: `Create ${a} in the Bitrix24 CRM, or update the ${one} that already has the same match value (such as the e-mail), so calling it again with the same value never makes a second ${one}. Returns the ${one} with its id and action: created or updated.`,
		delete: `Delete ${a} from the Bitrix24 CRM, for good. Needs ${id}. Returns the deleted id.`,
		get: `Read one ${one} from the Bitrix24 CRM. Needs ${id}. Returns its filled fields; stage and status are IDs such as NEW or WON, custom fields are named UF_CRM_….`,
		getMany: `Search ${path} in the Bitrix24 CRM by the conditions this tool sets (such as an e-mail or an order number). Returns each matching ${one} with its id and filled fields, or results: 0 when none matches. Use it to find the id other ${one} tools need.`,
		update: `Change ${a} in the Bitrix24 CRM: the values given, the stage (to move it) or the responsible person; the rest stays. Needs ${id}. Returns the ${one} after the change.`,
	};
}

const RECORD = 'the record\'s type (deal, lead, contact, company, quote, invoice or a smart process\'s item) and numeric ID';

const TEXTS: Record<string, Record<string, string>> = {
	...Object.fromEntries(ENTITY_TYPES.map(({ value, name, path }) => [value, recordTexts(name, path)])),
	smartProcessItem: recordTexts('Smart process item', 'smart process items'),
	task: {
		...recordTexts('Task', 'tasks'),
		create: 'Create a Bitrix24 task from the values given: a title, the responsible person (a user ID, such as a deal\'s assignedById), a deadline, the CRM records it belongs to. Each call writes a new task. Returns the new task with its id.',
		complete: 'Mark a Bitrix24 task as completed. Needs the task\'s numeric ID (from Get many tasks). Returns the task with its new status.',
		start: 'Start work on a Bitrix24 task (status In Progress). Needs the task\'s numeric ID. Returns the task with its new status.',
		defer: 'Defer a Bitrix24 task. Needs the task\'s numeric ID. Returns the task with its new status.',
		renew: 'Return a completed or deferred Bitrix24 task to work. Needs the task\'s numeric ID. Returns the task with its new status.',
		addComment: 'Add a comment to a Bitrix24 task. Needs the task\'s numeric ID and the text. Returns the comment with its id.',
		getManyComments: 'Read the comments of a Bitrix24 task. Needs the task\'s numeric ID. Returns each comment with its author and text.',
	},
	timeline: {
		addComment: `Write a comment on a CRM record's timeline in Bitrix24, such as what a customer asked. Needs ${RECORD} and the text. Returns the comment with its id.`,
		getManyComments: `Read the comments on a CRM record's timeline. Needs ${RECORD}. Returns each comment with its id and text.`,
		updateComment: 'Change the text of a timeline comment. Needs the comment\'s id (from Get many timeline comments). Returns the comment after the change.',
		deleteComment: 'Delete a timeline comment. Needs the comment\'s id (from Get many timeline comments). Returns the deleted id.',
		logEvent: `Log an event on a CRM record's timeline (a title and a text, such as "Payment received"). Needs ${RECORD}. Returns the log entry with its id.`,
		getManyLogEntries: `Read the log entries on a CRM record's timeline. Needs ${RECORD}. Returns each entry with its id, title and text.`,
		deleteLogEntry: 'Delete a timeline log entry this application logged. Needs the entry\'s id. Returns the deleted id.',
	},
	productRow: {
		set: 'Replace all product rows of a deal, quote, invoice, lead or smart process item with the rows given (rows not given are removed). Returns the rows stored and the record\'s new amount.',
		add: 'Add one product row to a deal, quote, invoice, lead or smart process item, keeping the others. Returns the row with its rowId and the record\'s new amount.',
		getMany: 'Read the product rows of a deal, quote, invoice, lead or smart process item. Returns each row with its rowId, product, price and quantity.',
		update: 'Change one product row by its rowId (from Get many product rows). Returns the row after the change and the record\'s new amount.',
		delete: 'Delete one product row by its rowId (from Get many product rows). Returns the deleted rowId and the record\'s new amount.',
	},
	notification: {
		send: 'Send a Bitrix24 notification to one user (an employee), such as a deal\'s responsible person by their user ID. Returns success: true with the notification\'s id.',
	},
	chatMessage: {
		send: 'Send a chat message in Bitrix24 to a user, a group chat or a CRM record\'s chat. Returns the message id and whether it was read back.',
	},
	otherEntity: {
		create: 'Create a record of a Bitrix24 entity (the one this tool is set to) from the values given. Returns the new record with its id.',
		delete: 'Delete a record of a Bitrix24 entity by its numeric ID (from Get many records). Returns the deleted id.',
		get: 'Read one record of a Bitrix24 entity by its numeric ID (from Get many records). Returns its filled fields.',
		getMany: 'Search records of a Bitrix24 entity by the conditions this tool sets. Returns each matching record with its id, or results: 0 when none matches.',
		update: 'Change a record of a Bitrix24 entity by its numeric ID (from Get many records): the values given; the rest stays. Returns the record after the change.',
	},
	automationTrigger: {
		fire: 'Fire a Bitrix24 automation trigger on one CRM record, so Bitrix24 runs the robots set for that trigger at the record\'s stage (send an e-mail, create a task, move the deal). Needs the record\'s type (deal, lead, contact, company, quote or invoice), its numeric ID and the trigger code. Returns success: true once Bitrix24 accepted it.',
		getMany: 'List the automation triggers of the Bitrix24 portal. Returns each trigger\'s code (what Fire needs) and name.',
	},
	user: {
		get: 'Read one Bitrix24 user (an employee) by numeric user ID, such as a record\'s assignedById. Returns name, e-mail, position and whether the user is active.',
		getCurrent: 'Tell who this Bitrix24 connection acts as: the portal, the user, the scopes the key has and when it expires.',
		getMany: 'Search Bitrix24 users (employees) by e-mail, name, department or whether they are active. Returns each user\'s id (what a record\'s responsible person takes), name and e-mail, or results: 0 when none matches.',
	},
	apiCall: {
		request: 'Send one request to the Bitrix24 VibeCode API (the method and path this tool is set to). Returns VibeCode\'s answer.',
	},
};

/** A resource another module adds later still gets words: the operation's action and its editor description. */
function fallbackText(option: INodePropertyOptions): string {
	const what = option.action ?? option.name;
	return `${what} in Bitrix24.${option.description ? ` ${option.description}.` : ''}`;
}

/**
 * One Description parameter per resource and operation, shown only in the tool variant, its default the text the
 * model gets. n8n gives a tool `toolDescription` unless its Tool Description is "Set Automatically", and adds its own
 * "{action} in Bitrix24" parameter only to a node that has none (n8n 1.123, 2.8, 2.41), so these take its place: the
 * user sees the words the model gets, and what they type there is what the model gets instead.
 */
export function toolDescriptions(properties: INodeProperties[]): INodeProperties[] {
	return properties
		.filter((property) => property.name === 'operation' && property.type === 'options' && property.displayOptions?.show?.resource)
		.flatMap((property) => {
			const resources = property.displayOptions!.show!.resource as string[];
			return resources.flatMap((resource) =>
				(property.options as INodePropertyOptions[]).map(
					(option): INodeProperties => ({
						displayName: 'Tool Description',
						name: 'toolDescription',
						type: 'string',
						typeOptions: { rows: 4 },
						default: `${TEXTS[resource]?.[String(option.value)] ?? fallbackText(option)} ${FAILURE}`,
						description: 'What the AI agent reads to decide when to call this tool and what to give it. Bitrix24 writes one for each operation; change it to say more about your CRM.',
						displayOptions: { show: { ...TOOL_ONLY, resource: [resource], operation: [option.value] } },
					}),
				),
			);
		});
}

/** Output as a tool: the fields that hold something by default (a real CRM record has dozens of empty ones). */
export const toolOutput: INodeProperties = {
	displayName: 'Output to the Model',
	name: 'toolOutput',
	type: 'options',
	options: [
		{ name: 'Filled Fields Only', value: 'filled', description: 'Leave out fields that are empty (null, empty text, empty lists), to keep what the model reads short' },
		{ name: 'All Fields', value: 'all', description: 'Every field, as the node outputs it in a workflow' },
	],
	default: 'filled',
	displayOptions: { show: TOOL_ONLY },
};

/** A value with nothing in it: null, empty text, an empty list or object (after their own empty parts left out). */
function compact(value: unknown): unknown {
	if (Array.isArray(value)) {
		const kept = value.map(compact).filter((entry) => entry !== undefined);
		return kept.length ? kept : undefined;
	}
	if (value !== null && typeof value === 'object') {
		const kept = Object.entries(value as IDataObject)
			.map(([key, entry]) => [key, compact(entry)] as const)
			.filter(([, entry]) => entry !== undefined);
		return kept.length ? Object.fromEntries(kept) : undefined;
	}
	if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
	return value;
}

/** Leaves out the empty fields of an output item; false and 0 say something and stay. */
export function filledFields(json: IDataObject): IDataObject {
	return (compact(json) as IDataObject | undefined) ?? {};
}

/** One item's outputs as its model reads them: filled fields only unless the tool says all, and never nothing. */
export function toolOutputs(context: IExecuteFunctions, outputs: IDataObject[]): IDataObject[] {
	// n8n's agents hand the model an empty string for a tool that output nothing: a search that matched nothing says so.
	if (outputs.length === 0) return [{ results: 0, note: 'Nothing matched: no record was returned.' }];
	if (context.getNodeParameter('toolOutput', 0, 'filled') === 'all') return outputs;
	return outputs.map(filledFields);
}
